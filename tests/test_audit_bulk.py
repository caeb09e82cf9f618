"""Appending many audit events at once: the same events, fields and hashes as one at a time.

The bulk path (`record_events`, used by imports) builds each link from its values and
hashes a copy of flat plain data instead of a JSON round trip; these tests pin that the
hashes and the stored rows are exactly what `record_event` and `AuditEvent.compute_hash`
give, and that the canonical form the hash covers has not changed.
"""

import datetime
import json
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from homeward.audit.models import AuditEvent, hash_content
from homeward.audit.services import _ENCODER, _plain, record_event, record_events
from homeward.audit.verify import verify_chain
from homeward.people.choices import RelationshipType

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
CASE = uuid.UUID("0b7c4e9a-2f3d-4a5b-9c8d-7e6f5a4b3c2d")
PERSON = uuid.UUID("5f0c6b8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")


def test_the_hash_of_a_known_event_is_unchanged():
    """Computed with the code before the bulk path (d98631b): the canonical form is pinned."""
    event = AuditEvent(
        seq=41, occurred_at=WHEN, actor_id=7, actor_username="moj.registrar",
        event_type="people.child.registered", object_type="people.person",
        object_id=str(PERSON), case_id=CASE, person_id=PERSON, home_state="RU", channel="cli",
        request_id="", ip_address=None, prev_hash="ab" * 32,
        data={"case": "HW-2026-00001", "names": 1, "custody": True, "note": "خديجة — ё"},
    )  # fmt: skip
    expected = "185846d9ba8b4f3a2e11c284d2ecd719636a569a058fe9bf8822e8c6d15baff4"
    assert event.compute_hash() == expected
    assert hash_content(event.content()) == expected


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"names": 1},
        {"case": "HW-2026-00001", "names": 2, "custody": False, "gone": None},
        {"text": 'خديجة \ud800 \x00 "quoted"'},
        {"big": 2**70, "neg": -3},
        {"nested": {"a": [1, 2]}},
        {"when": WHEN, "day": WHEN.date()},
        {"person": PERSON},
        {"type": RelationshipType.MOTHER},  # a str subclass
        {"pair": (1, 2)},
        {"ratio": 0.1},
        {1: "int key"},
    ],
)
def test_plain_data_is_the_json_round_trip_of_the_data(data):
    ours = _plain(data)
    theirs = json.loads(_ENCODER.encode(data or {}))
    assert ours == theirs
    assert list(ours) == list(theirs)  # the same keys in the same order
    assert [type(value) for value in ours.values()] == [type(value) for value in theirs.values()]
    assert ours is not data  # a copy: the caller's dict is never the event's


ENTRIES = [
    {"event_type": "test.one", "actor": None, "data": {"n": 1, "ok": True}},
    {"event_type": "test.two", "actor": None, "home_state": "RU", "case_id": CASE,
     "person_id": PERSON, "data": {"type": RelationshipType.MOTHER, "when": WHEN}},
    {"event_type": "test.three", "actor": None, "actor_username": "system"},
]  # fmt: skip
COLUMNS = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "id"]


def _values(events):
    return [[getattr(event, name) for name in COLUMNS] for event in events]


def test_record_events_appends_exactly_the_events_record_event_appends(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: WHEN)
    record_event("test.before", actor=None)
    with transaction.atomic():
        one_by_one = [record_event(**entry) for entry in ENTRIES]
        single = _values(one_by_one)
        stored_single = _values(AuditEvent.objects.filter(pk__in=[e.pk for e in one_by_one]))
        transaction.set_rollback(True)
    bulk = record_events(ENTRIES)
    stored = AuditEvent.objects.filter(pk__in=[e.pk for e in bulk]).order_by("seq")
    # the same fields and hashes, as returned and as stored
    assert _values(bulk) == single
    assert _values(stored) == stored_single
    assert [event.hash for event in bulk] == [event.compute_hash() for event in stored]
    # returned as a query makes them: saved, with their keys
    assert [event.pk for event in bulk] == [event.pk for event in stored]
    assert all(not event._state.adding and event._state.db == "default" for event in bulk)
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_record_events_gives_each_event_to_the_subscribers_with_its_actor(monkeypatch, users):
    from homeward.audit import services

    actor = users["moj.registrar"]
    seen = []
    monkeypatch.setattr(services, "EVENT_SUBSCRIBERS", [seen.append])
    bulk = record_events([{**entry, "actor": actor} for entry in ENTRIES])
    assert seen == bulk and [event.seq for event in seen] == [
        bulk[0].seq, bulk[0].seq + 1, bulk[0].seq + 2
    ]  # fmt: skip
    assert all(AuditEvent.actor.field.is_cached(event) for event in seen)
    assert [event.actor for event in seen] == [actor] * 3
    assert [event.actor_username for event in seen] == [actor.username, actor.username, "system"]
