"""Cursor pagination on the large lists (opt-in, page numbers stay the default) and the status
changes feed across cases."""

import datetime

from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.cases import events as case_events
from homeward.people import events as people_events
from homeward.workflow import events as workflow_events
from homeward.workflow.models import CaseTransition
from homeward.workflow.services.side_states import put_on_hold
from tests.conftest import register

from .conftest import client_for


def _walk(client, url: str) -> tuple[list[dict], list[dict]]:
    """Every page from `url` following `next`: (rows, pages)."""
    rows, pages = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append(page)
        rows += page["results"]
        url = page["next"]
    return rows, pages


def test_cases_walked_by_cursor_are_the_cases_listed_by_page(users, registry):
    client = client_for(users["mfa.officer"])
    by_page = client.get("/api/v1/cases/?page_size=200").json()
    assert by_page["count"] == 3  # page numbers remain the default, with the count
    rows, pages = _walk(client, "/api/v1/cases/?paginate=cursor&page_size=1")
    assert [row["reference"] for row in rows] == [r["reference"] for r in by_page["results"]]
    assert len(pages) == 3
    assert all("count" not in page for page in pages)
    assert "cursor=" in pages[0]["next"] and pages[0]["previous"] is None
    # back from the last page
    back = client.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    # each page read is audited with what it showed; the total is not counted
    listed = AuditEvent.objects.filter(event_type=case_events.CASES_LISTED).order_by("seq")
    last = listed.last()
    assert last.data["ids"] == [back["results"][0]["id"]]
    assert last.data["total"] is None


def test_a_cursor_honours_the_ordering_and_the_scope(users, registry):
    client = client_for(users["consul.ru"])
    rows, _pages = _walk(client, "/api/v1/cases/?paginate=cursor&page_size=1&ordering=-reference")
    expected = sorted(
        (registry["ru_child"].case.reference, registry["ru_brother"].case.reference), reverse=True
    )
    assert [row["reference"] for row in rows] == expected  # never the Tajik child's


def test_people_walked_by_cursor_do_not_repeat_when_people_are_added(users, registry, prison):
    officer = users["mfa.officer"]
    client = client_for(officer)
    first = client.get("/api/v1/people/?paginate=cursor&page_size=2").json()
    register(officer, name="Late Arrival", state="RU", facility=prison)
    rest, _pages = _walk(client, first["next"])
    ids = [row["id"] for row in first["results"] + rest]
    assert len(ids) == len(set(ids)) == 5  # 4 from the registry, then the one added
    assert ids[-1] == str(
        AuditEvent.objects.filter(event_type=people_events.CHILD_REGISTERED).last().object_id
    )


def test_bad_pagination_values_are_refused(users, registry):
    client = client_for(users["mfa.officer"])
    bad_mode = client.get("/api/v1/cases/?paginate=sideways")
    assert bad_mode.status_code == 400
    assert bad_mode.json()["errors"] == {"paginate": ["Give page or cursor."]}
    tampered = client.get("/api/v1/cases/", {"cursor": "bz1hYmM="})  # "o=abc"
    assert tampered.status_code == 404
    assert tampered.json()["type"] == "urn:homeward:problem:not_found"
    size = client.get("/api/v1/cases/?paginate=cursor&page_size=0")
    assert size.status_code == 400
    assert list(size.json()["errors"]) == ["page_size"]
    both = client.get("/api/v1/cases/?paginate=cursor&page=2")
    assert both.status_code == 400
    assert both.json()["errors"] == {"page": ["Give a page number or a cursor."]}


def _hold(case, admin):
    case.refresh_from_db()
    return put_on_hold(case, actor=admin, expected_version=case.version, reason="awaiting sibling")


def test_the_status_changes_feed_is_scoped_filtered_and_audited(users, registry):
    admin = users["admin"]
    _hold(registry["ru_child"].case, admin)
    _hold(registry["tj_child"].case, admin)
    _hold(registry["ru_brother"].case, admin)
    consul = users["consul.ru"]
    client = client_for(consul)
    rows, _pages = _walk(client, "/api/v1/status-changes/?paginate=cursor&page_size=1")
    assert [row["case_reference"] for row in rows] == [
        registry["ru_child"].case.reference,
        registry["ru_brother"].case.reference,
    ]
    assert {row["home_state"] for row in rows} == {"RU"}
    assert rows[0]["to_status"] == "ON_HOLD" and rows[0]["transition"] == "put_on_hold"
    assert rows[0]["case"] == str(registry["ru_child"].case.pk)
    # a poller asks for what came after the last change it saw
    seen = CaseTransition.objects.get(pk=rows[0]["id"]).at
    since = client.get(
        "/api/v1/status-changes/", {"since": seen.isoformat(), "home_state": "ru"}
    ).json()
    assert [row["id"] for row in since["results"]] == [rows[1]["id"]]
    assert since["count"] == 1
    event = AuditEvent.objects.filter(event_type=workflow_events.STATUS_CHANGES_LISTED).last()
    assert event.actor == consul
    assert event.data["ids"] == [rows[1]["id"]] and event.data["total"] == 1
    # the whole picture for the ministry
    everything = client_for(users["mfa.officer"]).get("/api/v1/status-changes/").json()
    assert everything["count"] == 3
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/status-changes/", {"since": future}).json()["results"] == []
    bad = client.get("/api/v1/status-changes/", {"since": "yesterday"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["since"]


def test_the_feed_needs_the_case_capability(users):
    response = client_for(users["moj.registrar"]).get("/api/v1/status-changes/")
    expected = 200 if users["moj.registrar"].has_capability("cases.view_case") else 403
    assert response.status_code == expected
