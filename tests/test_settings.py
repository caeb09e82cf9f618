"""Configuration from the environment, checked in fresh processes with the production settings.

A bad value stops the process at start-up with an error naming the variable; the defaults give
a working single machine (SQLite in WAL mode and a generated secret key in the data directory).
"""

import json
import os
import stat
import subprocess
import sys

import pytest

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG, "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SECRET_KEY": settings.SECRET_KEY, "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]),
    "OPTIONS": db.get("OPTIONS", {}),
    "LIST_LIMIT": settings.HOMEWARD_AUDIT_LIST_ID_LIMIT,
}))
"""

JOURNAL_MODE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""


def start(data_dir, code: str = PRINT_SETTINGS, **variables: str) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process configured only by `variables` (and a data dir)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HOMEWARD_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "homeward.config.settings",
        "HOMEWARD_DATA_DIR": str(data_dir),
        **variables,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(data_dir, **variables: str) -> dict:
    process = start(data_dir, **variables)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def refused(data_dir, **variables: str) -> str:
    """The ImproperlyConfigured message a start-up that must fail ends with."""
    process = start(data_dir, **variables)
    assert process.returncode == 1, process.stdout
    last_line = process.stderr.strip().splitlines()[-1]
    prefix = "django.core.exceptions.ImproperlyConfigured: "
    assert last_line.startswith(prefix), process.stderr
    return last_line.removeprefix(prefix)


def test_defaults_give_a_local_sqlite_machine(tmp_path):
    # given no configuration but a data directory
    # when
    settings = settings_of(tmp_path)
    # then
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(tmp_path.resolve() / "homeward.sqlite3")
    assert settings["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    assert settings["LIST_LIMIT"] == 500


def test_sqlite_database_runs_in_wal_mode(tmp_path):
    # given / when
    process = start(tmp_path, JOURNAL_MODE)
    # then
    assert (process.returncode, process.stdout.strip()) == (0, "wal"), process.stderr
    assert (tmp_path / "homeward.sqlite3").is_file()


def test_missing_data_dir_is_created(tmp_path):
    # given
    data_dir = tmp_path / "deep" / "var"
    # when
    settings = settings_of(data_dir)
    # then
    assert data_dir.is_dir()
    assert settings["NAME"] == str(data_dir / "homeward.sqlite3")


def test_data_dir_that_cannot_be_created_is_refused(tmp_path):
    # given a path below a regular file
    blocker = tmp_path / "file"
    blocker.write_text("")
    # when / then
    assert refused(tmp_path / "file" / "var") == (
        f"HOMEWARD_DATA_DIR={blocker / 'var'} cannot be created: Not a directory."
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("yes", True), ("1", True), ("On", True), ("no", False), ("", False)]
)
def test_debug_words_are_understood(tmp_path, value, expected):
    # given / when / then
    assert settings_of(tmp_path, HOMEWARD_DEBUG=value)["DEBUG"] is expected


def test_unknown_debug_word_is_refused_naming_the_variable(tmp_path):
    # given / when / then
    assert refused(tmp_path, HOMEWARD_DEBUG="maybe") == (
        "HOMEWARD_DEBUG must be one of true/false/1/0/yes/no/on/off, got 'maybe'."
    )


def test_allowed_hosts_are_a_comma_separated_list(tmp_path):
    # given / when
    settings = settings_of(tmp_path, HOMEWARD_ALLOWED_HOSTS=" homeward.mofa.gov.iq , 10.0.0.5,,")
    # then
    assert settings["ALLOWED_HOSTS"] == ["homeward.mofa.gov.iq", "10.0.0.5"]


def test_empty_allowed_hosts_are_refused(tmp_path):
    # given / when / then
    assert refused(tmp_path, HOMEWARD_ALLOWED_HOSTS=" , ") == (
        "HOMEWARD_ALLOWED_HOSTS must list at least one value (comma-separated)."
    )


def test_non_numeric_list_limit_is_refused(tmp_path):
    # given / when / then
    assert refused(tmp_path, HOMEWARD_AUDIT_LIST_ID_LIMIT="many") == (
        "HOMEWARD_AUDIT_LIST_ID_LIMIT must be a whole number, got 'many'."
    )


def test_unsupported_database_engine_is_refused(tmp_path):
    # given / when / then
    assert refused(tmp_path, DATABASE_URL="mysql://homeward:secret@db.example/homeward") == (
        "DATABASE_URL must name SQLite or PostgreSQL."
    )


def test_unknown_database_scheme_is_refused(tmp_path):
    # given / when
    message = refused(tmp_path, DATABASE_URL="nosuchdb://host/db")
    # then
    assert message.startswith(
        "DATABASE_URL is not a database URL Homeward understands: Scheme 'nosuchdb://' is unknown."
    )
    assert "secret" not in message


def test_postgresql_url_is_accepted(tmp_path):
    # given / when
    settings = settings_of(tmp_path, DATABASE_URL="postgres://homeward@db.example:5432/homeward")
    # then
    assert (settings["ENGINE"], settings["NAME"], settings["OPTIONS"]) == (
        "django.db.backends.postgresql",
        "homeward",
        # the dashboard's aggregates: no JIT compilation, sorts in memory (config.settings)
        {"options": "-c jit=off -c work_mem=32MB"},
    )


@pytest.mark.parametrize("key", ["", "too-short", "x" * 49])
def test_short_secret_key_is_refused(tmp_path, key):
    # given / when / then
    assert refused(tmp_path, HOMEWARD_SECRET_KEY=key) == (
        "HOMEWARD_SECRET_KEY must be at least 50 characters long."
    )
    assert not (tmp_path / "secret_key").exists()


def test_given_secret_key_is_used_and_not_written(tmp_path):
    # given
    key = "k" * 50
    # when
    settings = settings_of(tmp_path, HOMEWARD_SECRET_KEY=key)
    # then
    assert settings["SECRET_KEY"] == key
    assert not (tmp_path / "secret_key").exists()


def test_absent_secret_key_is_generated_once_privately(tmp_path):
    # given no key configured
    # when the system starts twice
    first = settings_of(tmp_path)["SECRET_KEY"]
    second = settings_of(tmp_path)["SECRET_KEY"]
    # then the same generated key is used, kept readable by the owner only
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert settings_of(tmp_path / "other")["SECRET_KEY"] != first
