"""Test-only: step around the audit trail's append-only triggers.

Tests that tamper with the chain (to prove the verifier notices) and Django's `flush` between
transactional tests must change audit rows, which the database refuses. Only tests do this,
and only here: on PostgreSQL the connection (a superuser in tests) switches to
`session_replication_role = replica`, under which ordinary triggers do not fire; on SQLite the
triggers are dropped and re-created from their own stored definitions. Application code never
does either; in production the app's role may not do either (docs/security.md).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

AUDIT_TABLES = ("audit_auditevent", "audit_audithead")


def installed_triggers() -> list[str]:
    """The names of the append-only triggers on the audit tables, sorted."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid::regclass::text = ANY(%s)",
                [list(AUDIT_TABLES)],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                list(AUDIT_TABLES),
            )
        return sorted(row[0] for row in cursor.fetchall())


@contextmanager
def audit_guard_lifted() -> Iterator[None]:
    """Within the block, audit rows can be updated and deleted, as by a database owner."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                with connection.cursor() as reset:
                    reset.execute("SET session_replication_role = DEFAULT")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
            list(AUDIT_TABLES),
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, sql in triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")
                cursor.execute(sql)
