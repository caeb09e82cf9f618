"""The chain head may advance over a whole batch of appended events in one UPDATE.

Before, the head advanced by exactly one event per UPDATE, so a bulk import appending
hundreds of thousands of events updated the head row as many times in one transaction; on
PostgreSQL each UPDATE of a row already updated in the same transaction walks its earlier
versions, which made a large import quadratic. Now the head may move from (seq, hash) to a
later (seq', hash') when every event in between exists, the first links to the old head
(`prev_hash = OLD.hash`), each links to the one before it, and the last is (seq', hash'):
the same guarantee as before (the head only moves forward, onto the chain just appended),
checked over the whole batch, and stronger in one respect (the links are checked too).
"""

import importlib

from django.db import migrations

FIRST = importlib.import_module("homeward.audit.migrations.0002_append_only_triggers")

# The condition under which an advance is refused, in SQL both engines read the same way.
REFUSED = """
    NEW.id <> OLD.id
    OR NEW.seq <= OLD.seq
    OR (SELECT COUNT(*) FROM audit_auditevent WHERE seq > OLD.seq AND seq <= NEW.seq)
        <> NEW.seq - OLD.seq
    OR NOT EXISTS (
        SELECT 1 FROM audit_auditevent WHERE seq = OLD.seq + 1 AND prev_hash = OLD.hash
    )
    OR EXISTS (
        SELECT 1 FROM audit_auditevent later
        JOIN audit_auditevent earlier ON earlier.seq = later.seq - 1
        WHERE later.seq > OLD.seq + 1 AND later.seq <= NEW.seq
        AND later.prev_hash <> earlier.hash
    )
    OR NOT EXISTS (SELECT 1 FROM audit_auditevent WHERE seq = NEW.seq AND hash = NEW.hash)
"""
MESSAGE = "audit trail is append-only: the head only advances onto the events just appended"

POSTGRESQL_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION homeward_audit_head_advance() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF {REFUSED} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$
    """,
]
# Undone by putting back 0002's one-event-at-a-time head function and trigger.
POSTGRESQL_BACKWARD = [FIRST.POSTGRESQL_FORWARD[1]]
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_audithead_advance",
    f"""
    CREATE TRIGGER audit_audithead_advance BEFORE UPDATE ON audit_audithead
    WHEN {REFUSED}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_audithead_advance", FIRST.SQLITE_FORWARD[3]]
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


def restore(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, restore, elidable=False)]
