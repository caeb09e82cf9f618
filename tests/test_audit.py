"""The audit trail: append-only, hash-chained, tamper-evident, safe under concurrent writers."""

import datetime
import decimal
import json
import threading
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from homeward.accounts.models import User
from homeward.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent, AuditHead
from homeward.audit.services import record_event, record_list, record_view
from homeward.audit.verify import ChainBreak, verify_chain
from homeward.cases.models import Case
from homeward.core.context import RequestContext, reset_request_context, set_request_context
from tests.audit_guard import audit_guard_lifted
from tests.conftest import make_user, register

PASSWORD = "correct horse battery staple"
TABLE = AuditEvent._meta.db_table


def execute(sql: str, params=(), column: str = "") -> None:
    """Run raw SQL, as the database owner would (the ORM and the database triggers refuse to).

    `{table}`, `{column}` and `{json}` (a JSON parameter) are filled in for the database in use.
    """
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    quote = connection.ops.quote_name
    statement = sql.format(
        table=quote(TABLE), column=quote(column) if column else "", json=json_value
    )
    with audit_guard_lifted(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def move_seq(old: int, new: int) -> None:
    execute("UPDATE {table} SET seq = %s WHERE seq = %s", [new, old])


def verify_command() -> str:
    """The message `homeward audit_verify` ends with (success output or CommandError text)."""
    try:
        call_command("audit_verify", stdout=(out := _Buffer()))
    except CommandError as exc:
        return f"ERROR: {exc}"
    return out.text.strip()


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def snapshot() -> list[tuple]:
    return list(
        AuditEvent.objects.order_by("seq").values_list(
            "seq", "hash", "prev_hash", "data", "actor_username"
        )
    )


def forged(seq: int, prev_hash: str, **fields) -> AuditEvent:
    """An event built by someone who bypasses record_event, with a correct hash for its content."""
    event = AuditEvent(
        seq=seq,
        occurred_at=timezone.now(),
        actor_username="mallory",
        event_type="people.person.viewed",
        channel="web",
        data={"forged": True},
        prev_hash=prev_hash,
        **fields,
    )
    event.hash = event.compute_hash()
    return event


@pytest.fixture
def clerk(db) -> User:
    return User.objects.create_user("clerk", password=PASSWORD)


@pytest.fixture
def chain(clerk) -> list[AuditEvent]:
    """Five events, #1..#5."""
    return [record_event("test.thing.done", actor=clerk, data={"n": n}) for n in range(1, 6)]


# -- an intact chain ---------------------------------------------------------------------


def test_events_link_each_to_the_one_before(chain):
    # given five recorded events
    # when they are read back
    events = list(AuditEvent.objects.order_by("seq"))
    # then each one links to the previous hash and the head is the last link
    assert [event.seq for event in events] == [1, 2, 3, 4, 5]
    assert [event.prev_hash for event in events] == [
        GENESIS_HASH,
        *[event.hash for event in events[:-1]],
    ]
    assert all(event.hash == event.compute_hash() for event in events)
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, events[-1].hash)


def test_intact_chain_verifies(chain):
    # given / when / then
    assert verify_chain() == (5, None)
    assert verify_command() == "Audit chain intact: 5 events verified."


def test_chain_verifies_in_small_chunks(chain):
    # given / when / then
    assert verify_chain(chunk_size=2) == (5, None)


def test_event_records_actor_and_request_context(clerk):
    # given a web request in progress
    token = set_request_context(
        RequestContext(request_id="a1b2c3", ip_address="10.1.2.3", channel="web")
    )
    try:
        # when
        event = record_event("test.thing.done", actor=clerk, data={"n": 1})
    finally:
        reset_request_context(token)
    # then
    stored = AuditEvent.objects.get()
    assert (
        stored.pk,
        stored.actor_id,
        stored.actor_username,
        stored.channel,
        stored.request_id,
        stored.ip_address,
    ) == (
        event.pk,
        clerk.pk,
        "clerk",
        "web",
        "a1b2c3",
        "10.1.2.3",
    )
    assert verify_chain() == (1, None)


def test_event_outside_a_request_is_marked_cli(clerk):
    # given no request / when
    record_event("test.thing.done", actor=clerk)
    # then
    stored = AuditEvent.objects.get()
    assert (stored.channel, stored.request_id, stored.ip_address, stored.data) == (
        "cli",
        "",
        None,
        {},
    )


def test_rich_data_is_stored_as_json_and_still_verifies(clerk):
    # given data with a date, a UUID, a decimal, Arabic text and nesting
    person_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    data = {
        "on": datetime.date(2019, 5, 1),
        "person": person_id,
        "fee": decimal.Decimal("12.50"),
        "name": "خديجة",
        "nested": {"list": [1, "два", None, True]},
    }
    # when
    record_event("test.thing.done", actor=clerk, data=data)
    # then the stored form is plain JSON and the hash covers exactly it
    assert AuditEvent.objects.get().data == {
        "on": "2019-05-01",
        "person": "12345678-1234-5678-1234-567812345678",
        "fee": "12.50",
        "name": "خديجة",
        "nested": {"list": [1, "два", None, True]},
    }
    assert verify_chain() == (1, None)


def test_view_of_a_child_is_recorded_with_its_case(users, registry):
    # given
    child = registry["ru_child"]
    case = Case.objects.get(child=child)
    consul = users["consul.ru"]
    # when
    record_view("people.person.viewed", actor=consul, target=child)
    # then
    event = AuditEvent.objects.latest("seq")
    assert (
        event.event_type,
        event.actor_username,
        event.object_type,
        event.object_id,
        event.person_id,
        event.case_id,
        event.home_state,
        event.data,
    ) == (
        "people.person.viewed",
        "consul.ru",
        "people.person",
        str(child.pk),
        child.pk,
        case.pk,
        "RU",
        {},
    )


@override_settings(HOMEWARD_AUDIT_LIST_ID_LIMIT=2)
def test_list_records_query_and_shown_ids_up_to_the_limit(clerk):
    # given three ids on the page
    ids = [uuid.UUID(int=n) for n in (1, 2, 3)]
    # when
    record_list("people.person.listed", actor=clerk, ids=ids, query={"q": "خديجه"}, total=41)
    # then
    assert AuditEvent.objects.get().data == {
        "query": {"q": "خديجه"},
        "ids": [str(ids[0]), str(ids[1])],
        "total": 41,
    }


def test_deleting_a_user_keeps_their_events(chain, clerk):
    # given
    before = snapshot()
    # when
    clerk.delete()
    # then
    assert snapshot() == before
    assert verify_chain() == (5, None)


def test_event_in_a_failed_transaction_is_rolled_back_with_the_head(chain, clerk):
    # given
    head_before = AuditHead.objects.values_list("seq", "hash").get(pk=1)
    # when the change the event describes fails
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("test.thing.done", actor=clerk, data={"n": 6})
        raise RuntimeError("the change failed")
    # then
    assert AuditEvent.objects.count() == 5
    assert AuditHead.objects.values_list("seq", "hash").get(pk=1) == head_before
    record_event("test.thing.done", actor=clerk, data={"n": 6})
    assert verify_chain() == (6, None)


# -- tampering is detected ---------------------------------------------------------------


def test_altered_data_is_detected(chain):
    # given #3's details changed directly in the database
    execute("UPDATE {table} SET data = {json} WHERE seq = %s", [json.dumps({"n": 333}), 3])
    # when / then
    assert verify_chain() == (2, ChainBreak(3, "content does not match its hash (altered)"))
    assert verify_command() == (
        "ERROR: Audit chain broken at event #3: content does not match its hash (altered) "
        "(2 events verified before it)."
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_username", "someone.else"),
        ("event_type", "people.person.viewed"),
        ("home_state", "TJ"),
        ("object_id", "42"),
    ],
)
def test_altered_column_is_detected(chain, column, value):
    # given
    execute("UPDATE {table} SET {column} = %s WHERE seq = %s", [value, 4], column=column)
    # when / then
    assert verify_chain() == (3, ChainBreak(4, "content does not match its hash (altered)"))
    assert verify_command().startswith("ERROR: Audit chain broken at event #4: ")


def test_altered_and_rehashed_event_breaks_the_next_link(chain):
    # given #3 altered and given a hash matching its new content
    execute("UPDATE {table} SET data = {json} WHERE seq = %s", [json.dumps({"n": 333}), 3])
    event = AuditEvent.objects.get(seq=3)
    execute("UPDATE {table} SET hash = %s WHERE seq = %s", [event.compute_hash(), 3])
    # when / then #4 no longer links to it
    assert verify_chain() == (
        3,
        ChainBreak(4, "does not link to the event before it (inserted or reordered)"),
    )
    assert verify_command() == (
        "ERROR: Audit chain broken at event #4: "
        "does not link to the event before it (inserted or reordered) "
        "(3 events verified before it)."
    )


def test_deleted_middle_event_is_detected(chain):
    # given
    execute("DELETE FROM {table} WHERE seq = %s", [3])
    # when / then
    assert verify_chain() == (
        2,
        ChainBreak(4, "expected #3; events are missing before it (removed)"),
    )
    assert verify_command() == (
        "ERROR: Audit chain broken at event #4: "
        "expected #3; events are missing before it (removed) (2 events verified before it)."
    )


def test_deleted_first_event_is_detected(chain):
    # given
    execute("DELETE FROM {table} WHERE seq = %s", [1])
    # when / then
    assert verify_chain() == (
        0,
        ChainBreak(2, "expected #1; events are missing before it (removed)"),
    )


def test_deleted_last_event_is_detected_by_the_head(chain):
    # given
    execute("DELETE FROM {table} WHERE seq = %s", [5])
    # when / then
    assert verify_chain() == (
        4,
        ChainBreak(None, "head says #5 but the chain ends at #4 (events removed from the end)"),
    )
    assert verify_command() == (
        "ERROR: Audit chain broken at chain head: "
        "head says #5 but the chain ends at #4 (events removed from the end) "
        "(4 events verified before it)."
    )


def test_deleting_every_event_is_detected_by_the_head(chain):
    # given
    execute("DELETE FROM {table}")
    # when / then
    assert verify_chain() == (
        0,
        ChainBreak(None, "head says #5 but the chain ends at #0 (events removed from the end)"),
    )


def test_forged_event_appended_without_the_head_is_detected(chain):
    # given a correctly linked and hashed event appended behind the service's back
    forged(6, chain[-1].hash).save(force_insert=True)
    # when / then
    assert verify_chain() == (
        6,
        ChainBreak(None, "head says #5 but the chain ends at #6 (events removed from the end)"),
    )
    assert verify_command().startswith("ERROR: Audit chain broken at chain head: head says #5")


def test_forged_event_inserted_in_the_middle_is_detected(chain):
    # given #3..#5 renumbered to #4..#6 (through a temporary range)
    # and a forged #3 with a correct hash for its own content
    execute("UPDATE {table} SET seq = seq + 1000 WHERE seq >= 3")
    execute("UPDATE {table} SET seq = seq - 999 WHERE seq >= 1000")
    forged(3, chain[-1].hash).save(force_insert=True)
    # when / then
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert verify_chain() == (
        2,
        ChainBreak(3, "does not link to the event before it (inserted or reordered)"),
    )
    assert verify_command().startswith("ERROR: Audit chain broken at event #3: does not link")


def test_forged_event_with_garbage_hash_is_detected(chain):
    # given
    event = forged(6, chain[-1].hash)
    event.hash = "f" * 64
    event.save(force_insert=True)
    # when / then
    assert verify_chain() == (5, ChainBreak(6, "content does not match its hash (altered)"))
    assert verify_command().startswith(
        "ERROR: Audit chain broken at event #6: content does not match"
    )


def test_forged_event_after_a_gap_is_detected(chain):
    # given
    forged(99, chain[-1].hash).save(force_insert=True)
    # when / then
    assert verify_chain() == (
        5,
        ChainBreak(99, "expected #6; events are missing before it (removed)"),
    )


def test_second_event_linking_to_the_same_predecessor_is_refused(chain):
    # given a forged event claiming to follow #2, as #3 already does
    event = forged(6, chain[1].hash)
    # when / then the unique link is the last line of defence
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save(force_insert=True)
    assert AuditEvent.objects.count() == 5


def test_reordered_events_are_detected(chain):
    # given #2 and #4 swapped through a temporary sequence number (seq is unique)
    move_seq(2, 1_000_000)
    move_seq(4, 2)
    move_seq(1_000_000, 4)
    # when / then
    assert verify_chain() == (
        1,
        ChainBreak(2, "does not link to the event before it (inserted or reordered)"),
    )
    assert verify_command() == (
        "ERROR: Audit chain broken at event #2: "
        "does not link to the event before it (inserted or reordered) "
        "(1 events verified before it)."
    )


def test_tampered_head_is_detected(chain):
    # given the head rewound as if #5 never happened
    with audit_guard_lifted():
        AuditHead.objects.filter(pk=1).update(seq=4, hash=chain[3].hash)
    # when / then
    assert verify_chain() == (
        5,
        ChainBreak(None, "head says #4 but the chain ends at #5 (events removed from the end)"),
    )


# -- the ORM refuses to change the trail --------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda: _changed_and_saved(AuditEvent.objects.get(seq=2)), id="instance-save"),
        pytest.param(
            lambda: AuditEvent.objects.get(seq=2).save(update_fields=["data"]),
            id="instance-save-fields",
        ),
        pytest.param(lambda: AuditEvent.objects.get(seq=2).delete(), id="instance-delete"),
        pytest.param(
            lambda: AuditEvent.objects.filter(seq=2).update(data={"n": 0}), id="queryset-update"
        ),
        pytest.param(lambda: AuditEvent.objects.update(actor_username="x"), id="manager-update"),
        pytest.param(lambda: AuditEvent.objects.filter(seq__gte=4).delete(), id="queryset-delete"),
        pytest.param(lambda: AuditEvent.objects.all().delete(), id="all-delete"),
        pytest.param(
            lambda: AuditEvent.objects.bulk_update(
                [_changed(AuditEvent.objects.get(seq=2))], ["data"]
            ),
            id="bulk-update",
        ),
        pytest.param(
            lambda: AuditEvent.objects.update_or_create(seq=2, defaults={"data": {"n": 0}}),
            id="update-or-create",
        ),
    ],
)
def test_orm_refuses_to_change_or_delete_events(chain, attempt):
    # given
    before = snapshot()
    # when / then (in a savepoint: bulk_update fails inside its own transaction block)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        attempt()
    assert snapshot() == before
    assert verify_chain() == (5, None)


def _changed(event: AuditEvent) -> AuditEvent:
    event.data = {"n": 0}
    return event


def _changed_and_saved(event: AuditEvent) -> None:
    _changed(event).save()


# -- concurrent writers ------------------------------------------------------------------

THREADS, EVENTS_PER_THREAD = 8, 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_unbroken_chain():
    # given eight threads released at the same moment
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def write(thread: int) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(EVENTS_PER_THREAD):
                record_event(
                    "test.thing.done",
                    actor=None,
                    actor_username=f"worker{thread}",
                    data={"t": thread, "n": n},
                )
        except Exception as exc:  # noqa: BLE001 - any failure in a thread fails the test below
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(thread,)) for thread in range(THREADS)]
    # when each writes ten events
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    # then every event got its own place, with no gap, and the chain verifies
    assert errors == []
    total = THREADS * EVENTS_PER_THREAD
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    assert verify_chain() == (total, None)
    assert AuditHead.objects.values_list("seq", flat=True).get(pk=1) == total
    for thread in range(THREADS):
        numbers = [
            data["n"]
            for data in AuditEvent.objects.filter(actor_username=f"worker{thread}").values_list(
                "data", flat=True
            )
        ]
        assert numbers == list(range(EVENTS_PER_THREAD))


# -- authentication is recorded ----------------------------------------------------------


@pytest.fixture
def consul(db) -> User:
    return make_user("consul.ru")


def test_login_is_recorded(client, consul):
    # given / when
    assert client.login(username="consul.ru", password=PASSWORD) is True
    # then
    event = AuditEvent.objects.get()
    assert (
        event.event_type,
        event.actor_id,
        event.actor_username,
        event.data,
        event.person_id,
        event.home_state,
    ) == (
        "accounts.user.logged_in",
        consul.pk,
        "consul.ru",
        {},
        None,
        "",
    )


def test_failed_login_is_recorded_without_the_password(client, consul):
    # given / when
    assert client.login(username="consul.ru", password="Wrong-Password-4711") is False
    # then
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor_id, event.actor_username, event.data) == (
        "accounts.user.login_failed",
        None,
        "consul.ru",
        {"username": "consul.ru"},
    )
    stored = json.dumps(event.content(), ensure_ascii=False)
    assert "Wrong-Password-4711" not in stored
    assert "password" not in stored


def test_failed_login_for_unknown_user_is_recorded(client, db):
    # given / when
    assert client.login(username="nobody", password="Wrong-Password-4711") is False
    # then
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor_id, event.actor_username, event.data) == (
        "accounts.user.login_failed",
        None,
        "nobody",
        {"username": "nobody"},
    )


def test_failed_login_for_inactive_user_is_recorded(client, consul):
    # given
    User.objects.filter(pk=consul.pk).update(is_active=False)
    # when
    assert client.login(username="consul.ru", password=PASSWORD) is False
    # then
    assert list(AuditEvent.objects.values_list("event_type", "actor_username")) == [
        ("accounts.user.login_failed", "consul.ru"),
    ]


def test_logout_is_recorded(client, consul):
    # given
    client.login(username="consul.ru", password=PASSWORD)
    # when
    client.logout()
    # then
    assert list(
        AuditEvent.objects.order_by("seq").values_list("event_type", "actor_id", "actor_username")
    ) == [
        ("accounts.user.logged_in", consul.pk, "consul.ru"),
        ("accounts.user.logged_out", consul.pk, "consul.ru"),
    ]
    assert verify_chain() == (2, None)


def test_logout_without_login_records_nothing(client, db):
    # given / when
    client.logout()
    # then
    assert AuditEvent.objects.count() == 0


def test_registration_events_join_the_same_chain(client, users, prison):
    # given a login, a registration and a logout
    client.login(username="mfa.officer", password=PASSWORD)
    register(users["mfa.officer"], name="Aisha", state="RU", facility=prison)
    client.logout()
    # when / then
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "event_type")) == [
        (1, "accounts.user.logged_in"),
        (2, "cases.case.opened"),
        (3, "people.child.registered"),
        (4, "accounts.user.logged_out"),
    ]
    assert verify_chain() == (4, None)
