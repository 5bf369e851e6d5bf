"""Framework file validation: every problem reported, each at the line an editor must fix.

The tests edit a small valid file (tests/data/frameworks/voorbeeld.yaml) and find the expected
line by its text, so they keep working when the sample grows.
"""

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stelsel.frameworks.schema import (
    FrameworkFileError,
    FrameworkSpec,
    Problem,
    parse_framework,
    parse_framework_file,
)

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "frameworks" / "voorbeeld.yaml"
SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")
FILE = "kader.yaml"


def edit(old: str, new: str, text: str = SAMPLE) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The line holding `needle`; a needle ending in a newline must end the line."""
    lines = text.splitlines(keepends=True)
    hits = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} found {len(hits)} times"
    return hits[occurrence - 1]


def problems_of(text: str, **kwargs) -> list[Problem]:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(text, file=FILE, **kwargs)
    return caught.value.problems


def test_the_sample_is_valid_and_read_completely():
    spec = parse_framework(SAMPLE, file=FILE, expected_id="voorbeeld")

    assert (spec.id, spec.version, spec.sector, spec.level) == ("voorbeeld", 1, "po", "school")
    assert spec.valid_from == datetime.date(2024, 8, 1)
    assert [s.code for s in spec.scales] == ["status", "inspectie"]
    assert [level.tone for level in spec.scales[0].levels] == ["positive", "negative", "neutral"]
    assert [(s.code, s.area, s.scale) for s in spec.standards] == [
        ("OP1", "OP", None),
        ("OP2", "OP", None),
        ("VS1", "VS", "inspectie"),
    ]
    assert [r.code for r in spec.standards[0].requirements] == ["OP1.1", "OP1.2"]
    assert spec.standards[1].typical_evidence == ["Leerlingvolgsysteem"]
    assert spec.standards[1].note == "Nog na te gaan."
    assert spec.areas[1].description == ""


# One problem each: (text, needle on the expected line, which occurrence, path, message part).
SINGLE_PROBLEMS = {
    "YAML syntax error": (
        edit('    area: OP\n    name: "Aanbod"', '    area: OP: fout\n    name: "Aanbod"'),
        "area: OP: fout",
        1,
        "",
        "not valid YAML: mapping values are not allowed here",
    ),
    "tab in the indentation": (
        edit('    name: "Veiligheid"\n', '\tname: "Veiligheid"\n'),
        '\tname: "Veiligheid"',
        1,
        "",
        "not valid YAML",
    ),
    "unknown key": (
        edit('    name: "Aanbod"\n', '    name: "Aanbod"\n    colour: rood\n'),
        "colour: rood",
        1,
        "standards[0].colour",
        "unknown key (not part of the file format)",
    ),
    "unknown top-level key": (
        edit("sector: po\n", "sector: po\nsectors: [po]\n"),
        "sectors: [po]",
        1,
        "sectors",
        "unknown key",
    ),
    "missing key in a standard": (
        edit('    gist: "Gaat over het volgen van leerlingen."\n', ""),
        "  - code: OP2\n",
        1,
        "standards[1].gist",
        "required key is missing",
    ),
    "missing key at the top": (
        edit('source: "Geschreven voor de tests van Stelsel."\n', ""),
        "id: voorbeeld",
        1,
        "source",
        "required key is missing",
    ),
    "missing key in a requirement": (
        edit('        text: "De school volgt de ontwikkeling van leerlingen."\n', ""),
        "code: OP2.1",
        1,
        "standards[1].requirements[0].text",
        "required key is missing",
    ),
    "version as a string": (
        edit("version: 1\n", 'version: "1"\n'),
        'version: "1"',
        1,
        "version",
        "Input should be a valid integer; found '1'",
    ),
    "version zero": (
        edit("version: 1\n", "version: 0\n"),
        "version: 0",
        1,
        "version",
        "greater than or equal to 1",
    ),
    "version beyond the database column": (
        edit("version: 1\n", "version: 99999999999\n"),
        "version: 99999999999",
        1,
        "version",
        "less than or equal to 2147483647",
    ),
    "unknown sector": (
        edit("sector: po\n", "sector: mbo\n"),
        "sector: mbo",
        1,
        "sector",
        "'po', 'vo', 'so' or 'all'",
    ),
    "unknown tone": (
        edit('label: "Voldoende", tone: positive', 'label: "Voldoende", tone: good'),
        "tone: good",
        1,
        "scales[1].levels[0].tone",
        "found 'good'",
    ),
    "evidence as text instead of a list": (
        edit('    typical_evidence: ["Veiligheidsmonitor"]', '    typical_evidence: "Monitor"'),
        'typical_evidence: "Monitor"',
        1,
        "standards[2].typical_evidence",
        "valid list",
    ),
    "no requirements": (
        edit(
            '    requirements:\n      - code: VS1.1\n        text: "De school monitort de '
            'veiligheid jaarlijks."\n',
            "    requirements: []\n",
        ),
        "requirements: []",
        1,
        "standards[2].requirements",
        "at least 1 item",
    ),
    "a scale with one level": (
        edit('      - {code: onvoldoende, label: "Onvoldoende", tone: negative}\n', ""),
        "    levels:",
        2,
        "scales[1].levels",
        "at least 2 items",
    ),
    "empty name": (
        edit('name: "Aanbod"', 'name: "   "'),
        'name: "   "',
        1,
        "standards[0].name",
        "at least 1 character",
    ),
    "code with a space": (
        edit("  - code: OP1\n", "  - code: OP 1\n"),
        "code: OP 1",
        1,
        "standards[0].code",
        "'OP 1' does not match the expected form",
    ),
    "code longer than the database column": (
        edit("  - code: OP1\n", "  - code: OP1-abcdefghijklmnopq\n"),
        "code: OP1-abcdefghijklmnopq",
        1,
        "standards[0].code",
        "does not match the expected form",
    ),
    "name longer than the database column": (
        edit('name: "Aanbod"', f'name: "{"A" * 201}"'),
        "A" * 201,
        1,
        "standards[0].name",
        "at most 200 characters",
    ),
    "duplicate standard code": (
        edit("  - code: OP2\n", "  - code: OP1\n"),
        "  - code: OP1\n",
        2,
        "standards[1].code",
        "duplicate standard code 'OP1'",
    ),
    "unknown area": (
        edit('    area: OP\n    name: "Zicht', '    area: OR\n    name: "Zicht'),
        "area: OR",
        1,
        "standards[1].area",
        "unknown area 'OR'; expected one of OP, VS",
    ),
    "unknown scale": (
        edit("    scale: inspectie\n", "    scale: cijfer\n"),
        "scale: cijfer",
        1,
        "standards[2].scale",
        "unknown scale 'cijfer'; expected one of inspectie, status",
    ),
    "unknown default scale": (
        edit("default_scale: status\n", "default_scale: cijfer\n"),
        "default_scale: cijfer",
        1,
        "default_scale",
        "unknown scale 'cijfer'",
    ),
    "duplicate requirement code": (
        edit("      - code: OP2.1\n", "      - code: OP1.1\n"),
        "code: OP1.1",
        2,
        "standards[1].requirements[0].code",
        "duplicate requirement code 'OP1.1'",
    ),
    "duplicate level code": (
        edit("{code: onvoldoende,", "{code: voldoende,"),
        '{code: voldoende, label: "Onvoldoende"',
        1,
        "scales[1].levels[1].code",
        "duplicate level code 'voldoende'",
    ),
    "duplicate scale code": (
        edit("  - code: inspectie\n", "  - code: status\n").replace(
            "scale: inspectie", "scale: status"
        ),
        "  - code: status",
        2,
        "scales[1].code",
        "duplicate scale code 'status'",
    ),
    "an area without standards": (
        edit(
            '    name: "Veiligheid en schoolklimaat"\n',
            '    name: "Veiligheid"\n  - code: OR\n    name: "Onderwijsresultaten"\n',
        ),
        "  - code: OR",
        1,
        "areas[2].code",
        "area 'OR' has no standards",
    ),
    "duplicate YAML key": (
        edit(
            '    gist: "Gaat over wat de school aanbiedt."\n',
            '    gist: "Gaat over wat de school aanbiedt."\n    gist: "Nog een keer."\n',
        ),
        'gist: "Nog een keer."',
        1,
        "",
        "duplicate key 'gist'",
    ),
    "impossible date": (
        edit("valid_from: 2024-08-01", "valid_from: 2024-13-01"),
        "valid_from: 2024-13-01",
        1,
        "",
        "cannot read '2024-13-01' as timestamp",
    ),
    "explicit tag with an unreadable value": (
        edit("version: 1\n", "version: !!int een\n"),
        "version: !!int een",
        1,
        "",
        "cannot read 'een' as int",
    ),
    "a date with a time": (
        edit("valid_from: 2024-08-01", "valid_from: 2024-08-01 10:30:00"),
        "valid_from: 2024-08-01 10:30:00",
        1,
        "valid_from",
        "found",
    ),
}


@pytest.mark.parametrize(
    ("text", "needle", "occurrence", "path", "message"),
    SINGLE_PROBLEMS.values(),
    ids=SINGLE_PROBLEMS.keys(),
)
def test_it_reports_the_problem_at_the_line_to_fix(text, needle, occurrence, path, message):
    [problem] = problems_of(text)

    assert problem.file == FILE
    assert problem.line == line_of(text, needle, occurrence)
    assert problem.path == path
    assert message in problem.message


def test_it_reports_an_id_that_differs_from_the_file_name_at_the_id_line():
    [problem] = problems_of(SAMPLE, expected_id="ander-kader")

    assert problem.line == line_of(SAMPLE, "id: voorbeeld")
    assert problem.path == "id"
    assert problem.message == "id 'voorbeeld' must equal the file name 'ander-kader'"


def test_it_reports_every_schema_problem_at_once():
    text = edit("version: 1\n", 'version: "1"\n')
    text = edit('    name: "Aanbod"\n', '    name: "Aanbod"\n    colour: rood\n', text)
    text = edit('    guidance: "Kijk naar het leerlingvolgsysteem."\n', "", text)
    text = edit("sector: po\n", "sector: mbo\n", text)

    found = {(p.path, p.line) for p in problems_of(text)}

    assert found == {
        ("version", line_of(text, 'version: "1"')),
        ("sector", line_of(text, "sector: mbo")),
        ("standards[0].colour", line_of(text, "colour: rood")),
        ("standards[1].guidance", line_of(text, "  - code: OP2\n")),
    }


def test_it_reports_every_integrity_problem_at_once_with_the_id():
    text = edit("  - code: OP2\n", "  - code: OP1\n")
    text = edit("    scale: inspectie\n", "    scale: cijfer\n", text)
    text = edit("default_scale: status\n", "default_scale: schaal\n", text)
    text = edit("      - code: VS1.1\n", "      - code: OP1.2\n", text)

    found = {(p.path, p.line) for p in problems_of(text, expected_id="ander")}

    assert found == {
        ("standards[1].code", line_of(text, "  - code: OP1\n", 2)),
        ("standards[2].scale", line_of(text, "scale: cijfer")),
        ("default_scale", line_of(text, "default_scale: schaal")),
        ("standards[2].requirements[0].code", line_of(text, "code: OP1.2", 2)),
        ("id", line_of(text, "id: voorbeeld")),
    }


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just words\n", "42"])
def test_it_wants_a_mapping_at_the_top(text):
    [problem] = problems_of(text)

    assert (problem.line, problem.path) == (1, "")
    assert "expected a mapping" in problem.message


def test_it_refuses_two_documents_in_one_file():
    [problem] = problems_of(SAMPLE + "---\nid: tweede\n")

    assert problem.line == len(SAMPLE.splitlines()) + 1
    assert "not valid YAML" in problem.message


def test_it_refuses_deep_nesting_without_crashing():
    [problem] = problems_of("id: " + "[" * 5000)

    assert "not valid YAML" in problem.message


def test_a_problem_reads_as_file_line_path_message():
    assert str(Problem("kader.yaml", 5, "version", "wrong")) == "kader.yaml:5: version: wrong"
    assert str(Problem("kader.yaml", 1, "", "not YAML")) == "kader.yaml:1: not YAML"
    error = FrameworkFileError([Problem("a.yaml", 1, "", "x"), Problem("b.yaml", 2, "id", "y")])
    assert str(error) == "a.yaml:1: x\nb.yaml:2: id: y"


class TestFiles:
    def test_it_reads_a_file_and_checks_its_name(self, tmp_path):
        good = tmp_path / "voorbeeld.yaml"
        good.write_text(SAMPLE, encoding="utf-8")
        wrong = tmp_path / "kader-2021.yaml"
        wrong.write_text(SAMPLE, encoding="utf-8")

        assert parse_framework_file(good).id == "voorbeeld"
        with pytest.raises(FrameworkFileError) as caught:
            parse_framework_file(wrong)
        [problem] = caught.value.problems
        assert (problem.file, problem.line, problem.path) == (str(wrong), 2, "id")

    def test_it_accepts_a_byte_order_mark(self, tmp_path):
        path = tmp_path / "voorbeeld.yaml"
        path.write_bytes(SAMPLE.encode("utf-8-sig"))

        assert parse_framework_file(path).name == "Voorbeeldkader"

    def test_it_refuses_a_file_that_is_not_utf8(self, tmp_path):
        path = tmp_path / "voorbeeld.yaml"
        path.write_bytes(SAMPLE.replace("Voorbeeldkader", "Kader \u00e9\u00e9n").encode("cp1252"))

        with pytest.raises(FrameworkFileError) as caught:
            parse_framework_file(path)

        [problem] = caught.value.problems
        assert (problem.file, problem.line) == (str(path), 1)
        assert problem.message.startswith("not UTF-8 text")

    def test_it_reports_a_file_it_cannot_read(self, tmp_path):
        with pytest.raises(FrameworkFileError) as caught:
            parse_framework_file(tmp_path / "weg.yaml")

        [problem] = caught.value.problems
        assert problem.message.startswith("cannot read")


class TestContentHash:
    def test_layout_comments_quotes_and_key_order_do_not_change_it(self):
        data = yaml.safe_load(SAMPLE)
        rewritten = yaml.safe_dump(dict(reversed(list(data.items()))), allow_unicode=True)

        assert parse_framework(rewritten).content_hash() == parse_framework(SAMPLE).content_hash()

    def test_any_change_of_content_changes_it(self):
        original = parse_framework(SAMPLE).content_hash()

        for changed in [
            edit('"Het aanbod dekt de kerndoelen."', '"Het aanbod dekt alle kerndoelen."'),
            edit("tone: neutral", "tone: negative"),
            edit("  - code: OP2\n", "  - code: OP3\n"),
            edit("valid_from: 2024-08-01", "valid_from: 2024-08-02"),
        ]:
            assert parse_framework(changed).content_hash() != original


# --- property tests ---------------------------------------------------------------------------

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAML_CHARS = "abcXYZ019 :-[]{}\"'#&*!|>%@`,?\t\n\u00e9"


def check_only_framework_errors(text: str) -> None:
    try:
        spec = parse_framework(text, file=FILE)
    except FrameworkFileError as error:
        assert error.problems
        last = len(text.splitlines()) + 1
        for problem in error.problems:
            assert problem.file == FILE
            assert 1 <= problem.line <= last
            assert problem.message
    else:
        assert isinstance(spec, FrameworkSpec)


@st.composite
def damaged_samples(draw) -> str:
    lines = SAMPLE.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        damage = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "indent", "dedent", "insert", "replace", "cut"]
            )
        )
        if damage == "delete":
            del lines[index]
        elif damage == "duplicate":
            lines.insert(index, lines[index])
        elif damage == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif damage == "indent":
            lines[index] = " " * draw(st.integers(1, 4)) + lines[index]
        elif damage == "dedent":
            lines[index] = lines[index][draw(st.integers(1, 4)) :]
        elif damage == "insert":
            at = draw(st.integers(0, len(lines[index])))
            extra = draw(st.text(st.sampled_from(YAML_CHARS), min_size=1, max_size=6))
            lines[index] = lines[index][:at] + extra + lines[index][at:]
        elif damage == "replace" and lines[index]:
            at = draw(st.integers(0, len(lines[index]) - 1))
            lines[index] = (
                lines[index][:at] + draw(st.sampled_from(YAML_CHARS)) + lines[index][at + 1 :]
            )
        else:
            lines = lines[:index]
    return "".join(lines)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.dates()
)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def samples_with_a_replaced_value(draw) -> str:
    data = yaml.safe_load(SAMPLE)
    node = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            node = child
            continue
        node[key] = draw(yaml_values)
        break
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=draw(st.booleans()))


@FAST
@given(st.text(max_size=300))
def test_garbage_text_raises_nothing_but_framework_file_error(text):
    check_only_framework_errors(text)


@FAST
@given(st.text(st.sampled_from(YAML_CHARS), max_size=200))
def test_yaml_like_garbage_raises_nothing_but_framework_file_error(text):
    check_only_framework_errors(text)


YAML_TOKENS = [
    "id", "version", "x", "1", "2024-13-01", "2024-02-30", "0x1F", "1e9999", ".inf", "~",
    ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", '"', "'", "#", "? ", "|", ">", "\t",
    "&a ", "*a", "<<", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ",
    "!!str ", "!!bool ", "!!python/name:os.system ", "%YAML 1.1\n", "---\n", "...\n",
]  # fmt: skip


@FAST
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
def test_yaml_token_soup_raises_nothing_but_framework_file_error(text):
    check_only_framework_errors(text)


@FAST
@given(damaged_samples())
def test_damaged_files_raise_nothing_but_framework_file_error(text):
    check_only_framework_errors(text)


@FAST
@given(samples_with_a_replaced_value())
def test_any_value_in_any_place_raises_nothing_but_framework_file_error(text):
    check_only_framework_errors(text)
