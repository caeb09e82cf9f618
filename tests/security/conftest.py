"""Helpers for the second wall: run SQL as the application role with a given scope."""

from contextlib import contextmanager

from django.db import connection, transaction

from homeward.security.roles import APP_ROLE, ensure_app_role
from homeward.security.rowsecurity import SCOPE_SETTING

# The scope matrix's records (one Russian, one Tajik per model) serve the header crawler too.
from tests.test_scope_matrix import matrix  # noqa: F401  (a fixture)


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def as_app_role(scope: str | None = None):
    """Inside a savepoint: SET LOCAL ROLE to the application role (created if missing) and,
    when given, SET LOCAL the scope. The savepoint is rolled back on the way out, which ends
    both, so the rest of the test runs as the connection's own role again."""
    assert on_postgres()
    with transaction.atomic():
        ensure_app_role()
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            if scope is not None:
                cursor.execute("SELECT set_config(%s, %s, true)", [SCOPE_SETTING, scope])
            try:
                yield cursor
            finally:
                transaction.set_rollback(True)


def session_state() -> tuple[str, str]:
    """(current_user, scope setting) of the connection right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, coalesce(current_setting(%s, true), '')", [SCOPE_SETTING]
        )
        return cursor.fetchone()
