"""The database itself refuses to change or remove audit events, and to rewind the chain head.

The ORM guards (AuditEventQuerySet, AuditEvent.save/delete) stop honest mistakes; these
triggers stop anyone holding the application's database connection. On PostgreSQL they raise
for UPDATE, DELETE and TRUNCATE; on SQLite (which has no TRUNCATE: an unqualified DELETE is
its truncate) for UPDATE and DELETE.
"""

import pytest
from django.db import DatabaseError, connection, models, transaction

from homeward.audit.models import AuditEvent, AuditHead
from homeward.audit.services import _new_event, record_event, record_events
from homeward.audit.verify import verify_chain
from homeward.core.context import current_request_context
from tests.audit_guard import audit_guard_lifted, installed_triggers

TABLE = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table

EXPECTED_TRIGGERS = {
    "postgresql": [
        "audit_audithead_advance",
        "audit_audithead_no_delete",
        "audit_audithead_no_truncate",
        "audit_auditevent_append_only",
        "audit_auditevent_no_truncate",
    ],
    "sqlite": [
        "audit_audithead_advance",
        "audit_audithead_no_delete",
        "audit_auditevent_no_delete",
        "audit_auditevent_no_update",
    ],
}


@pytest.fixture
def chain(db) -> list[AuditEvent]:
    return [record_event("test.thing.done", actor=None, data={"n": n}) for n in range(1, 4)]


def rows() -> list[tuple]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "hash", "data"))


def head() -> tuple:
    return AuditHead.objects.values_list("seq", "hash").get(pk=1)


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=TABLE, head=HEAD), params)


def refused(attempt) -> str:
    """Run `attempt` in a savepoint; return the database's refusal message."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        attempt()
    return str(caught.value)


def test_triggers_are_installed_by_migrate(db):
    # given the test database, built by `migrate` / when / then
    assert installed_triggers() == sorted(EXPECTED_TRIGGERS[connection.vendor])


@pytest.mark.parametrize(
    "attempt",
    [
        # the base QuerySet methods, i.e. the ORM with its Python guard stepped around
        pytest.param(
            lambda: models.QuerySet.update(AuditEvent.objects.filter(seq=2), data={"n": 0}),
            id="orm-update",
        ),
        pytest.param(
            lambda: models.QuerySet.delete(AuditEvent.objects.filter(seq=2)), id="orm-delete"
        ),
        pytest.param(lambda: models.QuerySet.delete(AuditEvent.objects.all()), id="orm-delete-all"),
        pytest.param(
            lambda: raw("UPDATE {table} SET actor_username = 'mallory' WHERE seq = 2"),
            id="sql-update",
        ),
        pytest.param(lambda: raw("UPDATE {table} SET seq = seq + 100"), id="sql-renumber"),
        pytest.param(lambda: raw("DELETE FROM {table} WHERE seq = 3"), id="sql-delete"),
        # SQLite's truncate is an unqualified DELETE; PostgreSQL's is TRUNCATE
        pytest.param(
            lambda: raw(
                "TRUNCATE {table}" if connection.vendor == "postgresql" else "DELETE FROM {table}"
            ),
            id="sql-truncate",
        ),
    ],
)
def test_database_refuses_to_change_or_remove_events(chain, attempt):
    # given
    before = rows()
    # when
    message = refused(attempt)
    # then
    assert "audit trail is append-only" in message
    assert rows() == before
    assert verify_chain() == (3, None)


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda chain: raw("DELETE FROM {head}"), id="delete"),
        pytest.param(
            lambda chain: raw(
                "UPDATE {head} SET seq = %s, hash = %s WHERE id = 1", [2, chain[1].hash]
            ),
            id="rewind",
        ),
        pytest.param(
            lambda chain: raw("UPDATE {head} SET seq = %s, hash = %s WHERE id = 1", [4, "f" * 64]),
            id="advance-to-nothing",
        ),
        pytest.param(lambda chain: raw("UPDATE {head} SET id = 2"), id="move"),
    ],
)
def test_database_refuses_to_rewind_or_remove_the_head(chain, attempt):
    # given
    before = head()
    # when
    message = refused(lambda: attempt(chain))
    # then
    assert "audit trail is append-only" in message
    assert head() == before == (3, chain[-1].hash)


def _appended(after: AuditEvent, count: int, *, break_link_at: int | None = None):
    """`count` events appended after `after` (the head not moved), optionally with one
    event's link to its predecessor broken."""
    built, seq, link = [], after.seq, after.hash
    for n in range(count):
        event = _new_event(seq, link, current_request_context(), "test.thing.done", actor=None)
        if n == break_link_at:
            event.prev_hash = "e" * 64
        built.append(event)
        seq, link = event.seq, event.hash
    AuditEvent.objects.bulk_create(built)
    return built


def test_the_head_advances_over_a_whole_linked_batch_in_one_update(chain):
    # given three events appended after the head
    batch = _appended(chain[-1], 3)
    # when the head moves onto the last in one step
    raw("UPDATE {head} SET seq = %s, hash = %s WHERE id = 1", [6, batch[-1].hash])
    # then
    assert head() == (6, batch[-1].hash)
    assert verify_chain() == (6, None)


@pytest.mark.parametrize("broken", [0, 1, 2], ids=["first-link", "middle-link", "last-link"])
def test_the_head_refuses_a_batch_with_a_broken_link(chain, broken):
    # given three events appended, one of them not linked to the event before it
    batch = _appended(chain[-1], 3, break_link_at=broken)
    # when / then
    message = refused(
        lambda: raw("UPDATE {head} SET seq = %s, hash = %s WHERE id = 1", [6, batch[-1].hash])
    )
    assert "audit trail is append-only" in message
    assert head() == (3, chain[-1].hash)


def test_the_head_refuses_to_land_on_a_hash_that_is_not_the_event_there(chain):
    # given
    batch = _appended(chain[-1], 2)
    # when / then: seq 5 exists, but with another hash
    message = refused(
        lambda: raw("UPDATE {head} SET seq = %s, hash = %s WHERE id = 1", [5, batch[0].hash])
    )
    assert "audit trail is append-only" in message
    assert head() == (3, chain[-1].hash)


def test_record_events_moves_the_head_once(chain):
    # given / when
    built = record_events(
        [{"event_type": "test.thing.done", "actor": None, "data": {"n": n}} for n in range(4)]
    )
    # then
    assert [event.seq for event in built] == [4, 5, 6, 7]
    assert head() == (7, built[-1].hash)
    assert verify_chain() == (7, None)


def test_truncating_the_head_is_refused_on_postgresql(chain):
    # given / when / then: SQLite has no TRUNCATE (its DELETE is covered above)
    statement = "TRUNCATE {head}" if connection.vendor == "postgresql" else "DELETE FROM {head}"
    assert "audit trail is append-only" in refused(lambda: raw(statement))
    assert head() == (3, chain[-1].hash)


def test_appending_still_works_under_the_triggers(chain):
    # given / when
    event = record_event("test.thing.done", actor=None, data={"n": 4})
    # then
    assert (event.seq, head()) == (4, (4, event.hash))
    assert verify_chain() == (4, None)


def test_lifting_the_guard_is_possible_for_the_owner_only_in_tests(chain):
    # given the guard lifted, as a database owner could (tests/audit_guard.py)
    with audit_guard_lifted():
        raw("DELETE FROM {table} WHERE seq = 3")
    # then the deletion went through, the triggers are back, and the verifier notices
    assert [row[0] for row in rows()] == [1, 2]
    assert installed_triggers() == sorted(EXPECTED_TRIGGERS[connection.vendor])
    assert verify_chain()[1] is not None
    assert "audit trail is append-only" in refused(lambda: raw("DELETE FROM {table}"))


def test_the_app_role_may_append_but_not_change(chain):
    """The grant model of docs/security.md, applied to a fresh role (PostgreSQL).

    SQLite has no roles or grants: there the triggers above are the whole database-level guard,
    and whoever can write the file can drop them (the checkpoints catch what follows).
    """
    if connection.vendor != "postgresql":
        assert installed_triggers() == sorted(EXPECTED_TRIGGERS["sqlite"])
        return
    # given a login role with exactly the documented grants (rolled back with the test)
    role = "homeward_app_test"
    raw(f"CREATE ROLE {role} NOLOGIN")
    raw(f"GRANT SELECT, INSERT ON {{table}} TO {role}")
    raw(f"GRANT SELECT, INSERT, UPDATE ON {{head}} TO {role}")
    raw(f"SET ROLE {role}")
    try:
        # when it appends, then it may
        event = record_event("test.thing.done", actor=None, data={"n": 4})
        assert head() == (4, event.hash)
        # but it may not change or remove an event, even with the triggers gone
        for statement in (
            "UPDATE {table} SET actor_username = 'x'",
            "DELETE FROM {table}",
            "TRUNCATE {table}",
            "DROP TRIGGER audit_auditevent_append_only ON {table}",
        ):
            message = refused(lambda statement=statement: raw(statement))
            assert "permission denied" in message or "must be owner" in message, statement
    finally:
        raw("RESET ROLE")
    assert verify_chain() == (4, None)
