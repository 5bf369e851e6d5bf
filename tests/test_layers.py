"""The order between the apps, kept by a test.

Each app may import from itself and from the apps in layers before its own in LAYERS, never
from one after it or beside it: the graph between apps has no cycles, and an app can be read
(and tested) knowing only what lies below it. Every import counts, also one inside a function
(hiding it there dodges a cycle at import time but keeps the dependency), and so does a model
relation named by string ("meetings.MeetingSeries"). Migrations are history and are not read.
A new app is added to LAYERS in its place, the way a new route is added to the permission
matrix.
"""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "stelsel"

LAYERS = (
    ("lib",),  # shared mechanisms: revisions, form fields, dates, throttle, library files
    ("accounts",),  # people who sign in, their tokens
    ("frameworks",),  # the inspection frameworks (library data, no boards)
    ("organisations",),  # boards, schools, roles, the core of access
    ("identity",),  # how a board's people sign in (its own identity provider), staff imports
    ("selfevaluation",),
    ("picture",),
    ("planning",),
    ("meetings",),
    ("insight",),
    # Reports compose every app's data (insight's results and signals too); trajectories sit
    # beside them: neither imports the other.
    ("reports", "trajectories"),
    ("web",),  # the layout, the homes, pages that bring apps together
    ("api",),
    ("demo",),
    ("project",),  # settings, urls, wsgi, the command line
)
RANK = {name: rank for rank, group in enumerate(LAYERS) for name in group}
PROJECT_MODULES = {"__init__", "__main__", "settings", "urls", "wsgi"}


def layer_of(module: str) -> str | None:
    """The app of a dotted module name inside stelsel, or None for anything outside it."""
    parts = module.split(".")
    if parts[0] != "stelsel":
        return None
    if len(parts) == 1 or parts[1] in PROJECT_MODULES:
        return "project"
    return parts[1]


def may_import(own: str, theirs: str) -> bool:
    """Its own app, or an app in a lower layer."""
    return theirs == own or RANK[theirs] < RANK[own]


def module_name(path: Path, root: Path = SOURCE) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module imported anywhere in `source` (top level, in functions, in classes), as
    (line, dotted name); relative imports are resolved against `module`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "stelsel":  # `from stelsel import picture` imports stelsel.picture
                found += [(node.lineno, f"stelsel.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Call) and _relation(node):
            found.append((node.lineno, f"stelsel.{_relation(node)}"))
    return found


RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _relation(call: ast.Call) -> str | None:
    """The app a model relation names by string ("meetings.MeetingSeries"): a dependency as
    real as an import, though no import statement shows it."""
    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
    if name not in RELATIONS or not call.args:
        return None
    target = call.args[0]
    if isinstance(target, ast.Constant) and isinstance(target.value, str) and "." in target.value:
        return target.value.split(".")[0]
    return None


def violations(root: Path = SOURCE) -> list[str]:
    """Imports from a layer above the importing module's own, and modules in no known layer."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # history: it records the relations as they were
        module = module_name(path, root)
        own = layer_of(module)
        if own not in RANK:
            problems.append(f"{path.relative_to(root)}: '{own}' is not in LAYERS")
            continue
        source = path.read_text(encoding="utf-8")
        for line, target in imports_of(source, module, is_package=path.name == "__init__.py"):
            theirs = layer_of(target)
            if theirs is None or theirs == own:
                continue
            if theirs not in RANK:
                problems.append(f"{path.relative_to(root)}:{line} imports unknown layer {target}")
            elif not may_import(own, theirs):
                where = f"{path.relative_to(root)}:{line}"
                problems.append(f"{where} {own} imports {target} ({theirs} is not below)")
    return problems


def test_no_app_imports_an_app_above_it():
    assert violations() == []


def test_the_project_lists_only_known_layers():
    apps = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps <= set(RANK), f"apps missing from LAYERS: {sorted(apps - set(RANK))}"


def test_imports_stand_at_the_top_except_where_apps_get_ready():
    """An import inside a function hides a dependency from a reader of the module's head; the
    one place that needs it is `AppConfig.ready`, where a higher app registers with a lower one
    (models cannot be imported while the apps load)."""
    hidden = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                continue
            for node in ast.walk(function):
                module = getattr(node, "module", None) or ""
                if isinstance(node, ast.ImportFrom) and module.startswith("stelsel"):
                    hidden.append(f"{path.relative_to(SOURCE)}:{node.lineno} {module}")
    assert hidden == []


@pytest.mark.parametrize(
    ("where", "code", "upward"),
    [
        ("picture/sample.py", "from stelsel.planning.models import Action\n", True),
        ("picture/sample.py", "def f():\n    from stelsel.planning import models\n", True),
        ("picture/sample.py", "class C:\n    import stelsel.meetings.feed\n", True),
        ("lib/sample.py", "from stelsel.organisations.models import Board\n", True),
        ("organisations/sample.py", "from stelsel import urls\n", True),
        ("planning/sample.py", "from stelsel.picture.models import Entry\n", False),
        ("planning/sample.py", "from . import models\n", False),
        ("web/sample.py", "from stelsel.meetings import selectors\n", False),
        ("organisations/sample.py", 'x = models.ManyToManyField("meetings.MeetingSeries")\n', True),
        ("meetings/sample.py", 'x = models.ForeignKey("planning.Action", on_delete=None)\n', False),
        ("insight/sample.py", "from stelsel.reports import blocks\n", True),
        ("reports/sample.py", "from stelsel.insight import signals\n", False),
        ("reports/sample.py", "from stelsel.trajectories import models\n", True),
        ("picture/sample.py", "from stelsel import planning\n", True),
        ("picture/sample.py", "from stelsel import lib\n", False),
    ],
)
def test_the_check_sees_an_upward_import(tmp_path, where, code, upward):
    """The check itself, on a small tree: an upward import anywhere in a module is found, an
    import downward or within the app is not."""
    root = tmp_path / "stelsel"
    for app in RANK:
        if app != "project":
            (root / app).mkdir(parents=True)
            (root / app / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "urls.py").write_text("")
    (root / where).write_text(code)
    found = violations(root)
    assert bool(found) is upward, found
