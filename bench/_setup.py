"""Shared set-up for benchmarks: a fresh throw-away database of the configured kind.

DATABASE_URL chooses the engine (default: a SQLite file); the benchmark creates and drops its own
`test_…` database, so it never touches real data.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUO_DIR = Path(os.environ.get("STELSEL_DUO_DIR", ROOT.parent / "shared" / "data" / "duo"))


def setup_django():
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection


def teardown(connection, old_name=None):
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def duo_files() -> list[Path]:
    files = [DUO_DIR / "alle-vestigingen-bo.csv", DUO_DIR / "alle-vestigingen-vo.csv"]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"DUO files not found: {', '.join(missing)} (set STELSEL_DUO_DIR)")
    return files
