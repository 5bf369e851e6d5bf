"""Security by construction: CSP without inline scripts, CSRF, deploy checks, start-up guard."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from stelsel.lib.startup import PendingMigrations, ensure_migrated, pending_migrations
from stelsel.organisations.roles import Role

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "stelsel"


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.get(reverse("web:board_home", args=[world.board.pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_scripts_styles_or_handlers():
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style", text):
            offenders.append(f"{path}: inline script or style")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path}: inline handler or style attribute")
    assert not offenders


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.post(
        reverse("organisations:board_settings", args=[world.board.pk]),
        {"name": "X", "require_two_factor": "on"},
    )
    assert response.status_code == 403
    world.board.refresh_from_db()
    assert not world.board.require_two_factor


def test_the_session_cookie_is_http_only_and_csrf_protected(client, world):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def _production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "STELSEL_DEBUG": "false",
            "SECRET_KEY": "a-production-secret-key-of-sufficient-length-and-entropy-7f3a9c2e1b",
            "ALLOWED_HOSTS": "stelsel.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "-m", "stelsel", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "stelsel", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_app_refuses_to_start_with_pending_migrations():
    ensure_migrated()
    assert pending_migrations() == []
    executor = MigrationExecutor(connection)
    call_command("migrate", "organisations", "zero", verbosity=0)
    try:
        with pytest.raises(PendingMigrations, match="migrate"):
            ensure_migrated()
        with pytest.raises(Exception, match="pending"):
            call_command("runserver", "--noreload", "127.0.0.1:0")
    finally:
        call_command("migrate", verbosity=0)
    assert executor is not None


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
