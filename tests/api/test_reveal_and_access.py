"""A masked name's reveal and a child's access history over the API (issue 9).

Both are the pages' actions through the same code: the reveal calls
`people.services.reveal_name` (audited `people.person.name_revealed`), the access history
reads `audit.queries.person_access_history` (audited `people.access_history.viewed`). Out of
scope answers the 404 of a missing record and writes no reveal; a role without the
capability gets a 403.
"""

import uuid

import pytest

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.people import events
from homeward.people import services as people_services
from tests.api.conftest import client_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _reveal_url(person) -> str:
    return f"/api/v1/people/{person.pk}/reveal-name/"


def _access_url(person) -> str:
    return f"/api/v1/people/{person.pk}/access/"


def _events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("seq"))


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def officer_ru(users) -> User:
    """A ministry officer (the audit grant among others) who works on Russia only."""
    user = User.objects.create_user("officer.ru", password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code="RU"))
    user.roles.add(Role.objects.get(code="mfa_case_officer"))
    return User.objects.get(pk=user.pk)


# -- reveal a masked name ---------------------------------------------------------------------


def test_consul_reveals_its_nationals_name_with_the_other_scripts(users, registry):
    # given a Russian child with a second name in Cyrillic
    child = registry["ru_child"]
    people_services.add_name(
        child, actor=users["mfa.officer"], full_text="Хадижа Хусейнова", name_type="alias"
    )
    consul = users["consul.ru"]
    # when the Russian consul reveals the name
    response = client_for(consul).post(_reveal_url(child), format="json")
    # then the full name comes back with the Cyrillic one, and the reveal is audited
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["name"]) == (str(child.pk), "خديجة حسينوفا")
    assert [(name["full_text"], name["script"]) for name in body["other_names"]] == [
        ("Хадижа Хусейнова", "Cyrl")
    ]
    [event] = _events(events.NAME_REVEALED)
    assert (event.actor, event.object_id, event.person_id, event.home_state) == (
        consul,
        str(child.pk),
        child.pk,
        "RU",
    )


def test_reveal_answers_what_the_page_reveals(client, users, registry):
    # given the same child revealed by the page and by the API
    child = registry["ru_child"]
    officer = users["mfa.officer"]
    client.force_login(officer)
    page = client.post(f"/people/{child.pk}/reveal-name/")
    api = client_for(officer).post(_reveal_url(child), format="json")
    # then both show the same name and write the same event
    assert page.status_code == api.status_code == 200
    assert "خديجة حسينوفا" in page.content.decode()
    assert api.json()["name"] == "خديجة حسينوفا"
    assert [(e.event_type, e.object_id) for e in _events(events.NAME_REVEALED)] == [
        (events.NAME_REVEALED, str(child.pk)),
        (events.NAME_REVEALED, str(child.pk)),
    ]


def test_a_repeated_reveal_is_revealed_and_audited_again_never_replayed(users, registry):
    # given an officer who sends the same reveal twice with one Idempotency-Key
    api = client_for(users["mfa.officer"])
    child = registry["ru_child"]
    headers = {"HTTP_IDEMPOTENCY_KEY": "reveal-1"}
    # when both are answered
    first = api.post(_reveal_url(child), format="json", **headers)
    again = api.post(_reveal_url(child), format="json", **headers)
    # then each is a reveal of its own, audited; no stored copy of the name is replayed
    assert (first.status_code, again.status_code) == (200, 200)
    assert not again.has_header("Idempotent-Replayed")
    assert len(_events(events.NAME_REVEALED)) == 2


def test_another_states_consul_gets_404_and_nothing_is_revealed(users, registry):
    # given the Tajik consul and a Russian child
    child = registry["ru_child"]
    api = client_for(users["consul.tj"])
    # when it asks to reveal the Russian child's name, then an id that exists nowhere
    hidden = api.post(_reveal_url(child), format="json")
    missing = api.post(f"/api/v1/people/{uuid.uuid4()}/reveal-name/", format="json")
    # then both are the same 404, and no reveal was written
    assert _problem(hidden, 404) == _problem(missing, 404)
    assert "خديجة" not in hidden.content.decode()
    assert _events(events.NAME_REVEALED) == []


def test_a_get_or_a_body_is_refused_and_reveals_nothing(users, registry):
    # given an officer and a child it may see
    api = client_for(users["mfa.officer"])
    child = registry["ru_child"]
    # when the reveal is asked by GET, or with a body field
    by_get = api.get(_reveal_url(child))
    with_body = api.post(_reveal_url(child), {"reason": "curious"}, format="json")
    # then 405 and a 400 naming the field, and no reveal was written
    assert by_get.status_code == 405
    assert _problem(with_body, 400)["errors"] == {"reason": ["This field cannot be set here."]}
    assert _events(events.NAME_REVEALED) == []


def test_a_user_without_the_registry_grant_gets_403(users, registry):
    # given a user with no role at all
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    # when it asks to reveal a name
    response = client_for(nobody).post(_reveal_url(registry["ru_child"]), format="json")
    # then 403, audited as a denial, and nothing revealed
    _problem(response, 403)
    assert _events(events.NAME_REVEALED) == []
    [denied] = _events(ACCESS_DENIED)
    assert denied.actor == nobody


# -- a child's access history -------------------------------------------------------------------


def test_auditor_reads_a_childs_access_history_newest_first(users, registry):
    # given a child opened by the consul and by the officer
    child = registry["ru_child"]
    client_for(users["consul.ru"]).get(f"/api/v1/people/{child.pk}/")
    client_for(users["mfa.officer"]).post(_reveal_url(child), format="json")
    auditor = users["auditor"]
    expected = list(AuditEvent.objects.filter(person_id=child.pk).order_by("-seq"))
    # when the auditor reads the child's access history
    response = client_for(auditor).get(_access_url(child))
    # then every event about the child, newest first, without its data
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(expected)
    rows = body["results"]
    assert [row["seq"] for row in rows] == [event.seq for event in expected]
    assert rows[0] == {
        "seq": expected[0].seq,
        "occurred_at": rows[0]["occurred_at"],
        "actor": "mfa.officer",
        "event_type": events.NAME_REVEALED,
        "label": "Full name revealed in a list",
        "channel": "api",
    }
    assert (rows[1]["actor"], rows[1]["event_type"]) == ("consul.ru", events.PERSON_VIEWED)
    # and the read is itself audited, about the child
    [viewed] = _events(events.ACCESS_HISTORY_VIEWED)
    assert (viewed.actor, viewed.object_id) == (auditor, str(child.pk))


def test_access_history_is_the_pages_rows(client, users, registry):
    # given the child's access history on the page and over the API
    child = registry["ru_child"]
    officer = users["mfa.officer"]
    client.force_login(officer)
    before = list(AuditEvent.objects.filter(person_id=child.pk).order_by("-seq"))
    page = client.get(f"/people/{child.pk}/access/")
    api = client_for(officer).get(_access_url(child)).json()
    # then the API lists exactly the events the page listed (and the page's own read since)
    assert page.status_code == 200
    seqs = [row["seq"] for row in api["results"]]
    assert seqs[1:] == [event.seq for event in before]
    assert AuditEvent.objects.get(seq=seqs[0]).event_type == events.ACCESS_HISTORY_VIEWED


def test_access_history_walks_by_cursor(users, registry):
    # given a child with more events than one page
    child = registry["ru_child"]
    officer = users["mfa.officer"]
    for _ in range(3):
        client_for(officer).post(_reveal_url(child), format="json")
    api = client_for(users["auditor"])
    total = AuditEvent.objects.filter(person_id=child.pk).count()
    # when the auditor walks it two at a time by cursor
    first = api.get(_access_url(child), {"paginate": "cursor", "page_size": 2}).json()
    seen = [row["seq"] for row in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [row["seq"] for row in page["results"]]
    # then each event comes once, newest first, and a cursor page has no count
    assert "count" not in first
    assert len(seen) == total
    assert seen == sorted(seen, reverse=True)


def test_access_history_needs_the_audit_grant(users, registry):
    # given the Russian consul (no audit grant) and its own national
    child = registry["ru_child"]
    consul = users["consul.ru"]
    # when it asks for the child's access history
    response = client_for(consul).get(_access_url(child))
    # then 403, the denial audited, and no access-history read written
    _problem(response, 403)
    assert _events(events.ACCESS_HISTORY_VIEWED) == []
    [denied] = _events(ACCESS_DENIED)
    assert denied.actor == consul


def test_access_history_of_a_child_outside_scope_is_404(users, registry, officer_ru):
    # given an officer working on Russia only (it holds the audit grant)
    api = client_for(officer_ru)
    # when it asks for the Tajik child's history, then for an id that exists nowhere
    hidden = api.get(_access_url(registry["tj_child"]))
    missing = api.get(f"/api/v1/people/{uuid.uuid4()}/access/")
    own = api.get(_access_url(registry["ru_child"]))
    # then the same 404 for both, nothing read, and its own state's child answers
    assert _problem(hidden, 404) == _problem(missing, 404)
    assert own.status_code == 200
    [viewed] = _events(events.ACCESS_HISTORY_VIEWED)
    assert viewed.object_id == str(registry["ru_child"].pk)
