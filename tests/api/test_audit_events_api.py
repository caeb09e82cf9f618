"""The audit trail over the API: auditors only, scoped like the page, filtered, walked by
cursor, and every read itself audited."""

from homeward.audit import events as audit_events
from homeward.audit.models import AuditEvent
from homeward.people import events as people_events

from .conftest import client_for

URL = "/api/v1/audit-events/"


def test_an_auditor_reads_the_trail_newest_first_and_the_read_is_audited(users, registry):
    auditor = users["auditor"]
    client = client_for(auditor)
    newest = AuditEvent.objects.order_by("-seq").first()
    response = client.get(URL, {"page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == AuditEvent.objects.count() - 1  # all but this read's own event
    assert body["results"][0]["seq"] == newest.seq
    seqs = [row["seq"] for row in body["results"]]
    assert seqs == sorted(seqs, reverse=True)
    listed = AuditEvent.objects.filter(event_type=audit_events.EVENTS_LISTED).get()
    assert listed.actor == auditor
    assert listed.data["ids"] == [str(seq) for seq in seqs]


def test_filters_and_sequence_bounds(users, registry):
    client = client_for(users["auditor"])
    child = registry["ru_child"]
    rows = client.get(
        URL, {"event_type": people_events.CHILD_REGISTERED, "person": str(child.pk)}
    ).json()["results"]
    assert len(rows) == 1
    (row,) = rows
    event = AuditEvent.objects.get(event_type=people_events.CHILD_REGISTERED, person_id=child.pk)
    assert row == {
        "seq": event.seq,
        "occurred_at": row["occurred_at"],
        "actor": "mfa.officer",
        "event_type": people_events.CHILD_REGISTERED,
        "label": "Child registered",
        "object_type": "people.person",
        "object_id": str(child.pk),
        "case": str(child.case.pk),
        "person": str(child.pk),
        "home_state": "RU",
        "channel": event.channel,
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    after = client.get(URL, {"after_seq": event.seq, "before_seq": event.seq + 3}).json()
    assert [r["seq"] for r in after["results"]] == [event.seq + 2, event.seq + 1]
    bad = client.get(URL, {"event_type": "no.such.event"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["event_type"]


def test_a_long_trail_is_walked_by_cursor_without_repeats(users, registry):
    client = client_for(users["auditor"])
    top = AuditEvent.objects.order_by("-seq").first().seq
    url, seen = f"{URL}?paginate=cursor&page_size=3&before_seq={top + 1}", []
    while url:
        page = client.get(url).json()
        assert "count" not in page
        seen += [row["seq"] for row in page["results"]]
        url = page["next"]
        if page["next"]:  # a read appends to the trail; the walk does not see it
            client.get(URL)
    assert seen == list(range(top, 0, -1))


def test_a_mission_auditor_sees_only_its_states_events_and_others_are_refused(users, registry):
    from homeward.accounts.models import User

    consul_ru = users["consul.ru"]
    refused = client_for(consul_ru).get(URL)
    assert refused.status_code == 403
    assert client_for(users["moj.registrar"]).get(URL).status_code == 403
    auditor = users["auditor"]
    auditor.agency = consul_ru.agency  # an auditor posted at the Russian mission
    auditor.save(update_fields=["agency"])
    auditor = User.objects.get(pk=auditor.pk)
    rows = client_for(auditor).get(URL, {"page_size": 200}).json()["results"]
    assert rows and {row["home_state"] for row in rows} == {"RU"}
    assert not AuditEvent.objects.filter(
        event_type=audit_events.EVENTS_LISTED, actor=consul_ru
    ).exists()
