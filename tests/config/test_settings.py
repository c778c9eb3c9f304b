"""Start-up fails clearly on a missing or malformed setting."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
# An empty database, as on a fresh clone: checks must not depend on tables existing.
EMPTY_DB = f"sqlite:///{tempfile.mkdtemp()}/empty.sqlite3"
GOOD = {"SECRET_KEY": "x" * 40, "ALLOWED_HOSTS": "duban.example.cn", "DEBUG": "false", "DATABASE_URL": EMPTY_DB}


def _check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_start():
    result = _check(**GOOD)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**GOOD, "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": "a.cn", "DEBUG": "false"}, "SECRET_KEY"),
        ({**GOOD, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({**GOOD, "DEBUG": "perhaps"}, "DEBUG"),
        ({**GOOD, "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({**GOOD, "PLAN_IMPORT_MAX_BYTES": "lots"}, "PLAN_IMPORT_MAX_BYTES"),
    ],
)
def test_missing_or_malformed_setting_is_named(env, named):
    result = _check(**env)
    assert result.returncode != 0
    assert named in result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**BASE_ENV, **GOOD, "SECRET_KEY": "k3y-" + "Zq8#x!Lp2@" * 5},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_openapi_schema_validates_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "s.yaml"),
        ],
        cwd=ROOT,
        env={**BASE_ENV, **GOOD},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/tasks/" in (tmp_path / "s.yaml").read_text()


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
