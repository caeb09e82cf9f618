"""The audit trail is append-only in the database itself, not only in the ORM.

Triggers refuse every UPDATE, DELETE and TRUNCATE of audit events, and let the chain head do
one thing only: advance by one to the event just appended. They stop the application's own
database role (and anyone who borrows its connection) from rewriting history; the table owner
can still drop them, which is why docs/security.md gives the table to a separate owner role and
why signed checkpoints outside the database exist.

On SQLite, a migration that rebuilds the audit table (any AlterField on it) drops these
triggers; tests/test_audit_append_only.py checks that they are installed after `migrate`.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION homeward_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION homeward_audit_head_advance() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM audit_auditevent WHERE seq = NEW.seq AND hash = NEW.hash
        ) THEN
            RAISE EXCEPTION 'audit trail is append-only: the head only advances to the event just appended'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION homeward_audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION homeward_audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_audithead_no_delete BEFORE DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION homeward_audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_audithead_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION homeward_audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_audithead_advance BEFORE UPDATE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION homeward_audit_head_advance()
    """,
]

POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_audithead_no_delete ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON audit_audithead",
    "DROP TRIGGER IF EXISTS audit_audithead_advance ON audit_audithead",
    "DROP FUNCTION IF EXISTS homeward_audit_head_advance()",
    "DROP FUNCTION IF EXISTS homeward_audit_refuse_change()",
]

# SQLite has no TRUNCATE: `DELETE FROM t` without WHERE is its truncate, and a DELETE trigger
# turns that optimisation off, so the row trigger fires for it too.
SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE on audit_auditevent refused'); END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on audit_auditevent refused'); END
    """,
    """
    CREATE TRIGGER audit_audithead_no_delete BEFORE DELETE ON audit_audithead
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on audit_audithead refused'); END
    """,
    """
    CREATE TRIGGER audit_audithead_advance BEFORE UPDATE ON audit_audithead
    WHEN NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
        SELECT 1 FROM audit_auditevent WHERE seq = NEW.seq AND hash = NEW.hash
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit trail is append-only: the head only advances to the event just appended');
    END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_audithead_no_delete",
    "DROP TRIGGER IF EXISTS audit_audithead_advance",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, direction: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No append-only triggers for the {vendor} database.")
    for statement in STATEMENTS[vendor][direction]:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def remove(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
