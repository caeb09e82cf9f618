"""The database roles around row-level security (docs: security, "Database roles").

- the **owner** (whoever runs `migrate`): owns the tables and the policy functions, and is
  the system context (management commands, demo seeding, daily rules). It must be a
  superuser or have BYPASSRLS; `apply_row_security` refuses to run otherwise.
- the **application role** `homeward_app`: what web and API requests run as, either by
  logging in as it or through HOMEWARD_DB_REQUEST_ROLE. NOSUPERUSER NOBYPASSRLS, with DML
  on the application's tables and INSERT/SELECT only on the append-only audit trail; every
  protected table has FORCE ROW LEVEL SECURITY, so its queries always pass the policies.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from homeward.audit.models import AuditEvent

__all__ = ["APP_ROLE", "ensure_app_role"]

APP_ROLE = "homeward_app"
APP_ROLE_ATTRIBUTES = "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"
# Tables the application appends to but never changes.
APPEND_ONLY = (AuditEvent,)


def ensure_app_role(
    role: str = APP_ROLE, *, password: str | None = None, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Create `role` if missing and grant it what the application needs. Idempotent.

    Roles are cluster-wide and other databases (or test runs) may be creating the same role
    at the same moment: creation tolerates "already exists", and the attributes are only
    altered when they differ. The grants are per database. Never drops anything.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    name = quote(role)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role)}) THEN
                    CREATE ROLE {name} LOGIN {APP_ROLE_ATTRIBUTES};
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently by another session
            END
            $$
            """
        )
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole OR rolreplication "
            "FROM pg_roles WHERE rolname = %s",
            [role],
        )
        if cursor.fetchone()[0]:
            cursor.execute(f"ALTER ROLE {name} {APP_ROLE_ATTRIBUTES}")
        if password:
            cursor.execute(f"ALTER ROLE {name} LOGIN PASSWORD %s", [password])
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {name}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}")
        for model in APPEND_ONLY:
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(model._meta.db_table)} FROM {name}"
            )
        # tables and sequences the owner creates later (a new migration) are granted too
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}"
        )
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {name}"
        )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
