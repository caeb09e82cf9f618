"""Requests for evidence written over the API: record, forward, decide, prepare, approve, refuse.

The same services as the pages: capability (403, nothing changed), scope (another state's
request is a 404 like a missing one), the request's version (409 when stale), field errors
as problem+json, and each step's audit event.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.disclosures.models import Disclosure
from homeward.judicial import events, services
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from tests.exports.conftest import make_supervisor
from tests.judicial.conftest import granted_request, verdict_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
BASE = "/api/v1/evidence-requests/"


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def _ago(days: int) -> str:
    return (TODAY() - datetime.timedelta(days=days)).isoformat()


def _last(event_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("seq")


def _count(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def _request_body(adult_case, **overrides) -> dict:
    return {
        "home_state": adult_case.home_state_id,
        "subject": str(adult_case.person_id),
        "their_reference": " GP-2024/17 ",
        "channel": "mission",
        "received_on": _ago(30),
        "legal_basis": "treaty",
        "legal_reference": "Bilateral MLA treaty",
        "items": ["verdict", "case_file", "verdict"],
        "authority": "court",
        "authority_name": "Central Criminal Court, Rusafa",
        "deadline": _ago(-30),
        **overrides,
    }


def _received(users, adult_case) -> EvidenceRequest:
    return services.record_evidence_request(
        adult_case.home_state,
        actor=users["mfa.officer"],
        subject=adult_case.person,
        their_reference="R-1",
        channel="mission",
        received_on=TODAY() - datetime.timedelta(days=20),
        legal_basis="reciprocity",
        items=["verdict"],
        authority="hjc",
    )


@pytest.fixture
def supervisor(users):
    return make_supervisor("mfa.supervisor")


@pytest.fixture
def tajik_supervisor(users):
    """Holds every judicial capability, for Tajikistan only."""
    return make_supervisor("mfa.supervisor.tj", states=HomeState.objects.filter(code="TJ"))


# -- record, forward, decide ------------------------------------------------------------------


def test_a_request_is_recorded_forwarded_and_decided_over_the_api(users, adults):
    officer, judge = users["mfa.officer"], users["hjc.judge"]
    ru = adults["ru"]
    response = _api(officer).post(BASE, _request_body(ru), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    request = EvidenceRequest.objects.get()
    assert body == {
        "id": str(request.pk),
        "home_state": "RU",
        "subject": str(ru.person_id),
        "their_reference": "GP-2024/17",
        "channel": "mission",
        "received_on": _ago(30),
        "legal_basis": "treaty",
        "legal_reference": "Bilateral MLA treaty",
        "items": ["case_file", "verdict"],
        "authority": "court",
        "authority_name": "Central Criminal Court, Rusafa",
        "deadline": _ago(-30),
        "status": "received",
        "forwarded_on": None,
        "decided_on": None,
        "decision_reason": "",
        "transmissions": [],
    }
    assert request.recorded_by == officer and request.version == 1
    event = _last(events.REQUEST_RECORDED)
    assert (event.actor, event.object_id, event.home_state) == (officer, str(request.pk), "RU")
    assert event.data["items"] == ["case_file", "verdict"]
    assert event.data["their_reference"] == "GP-2024/17"
    # forwarded to the court
    response = _api(officer).post(
        f"{BASE}{request.pk}/forward/",
        {"expected_version": 1, "forwarded_on": _ago(25)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["forwarded_on"]) == (
        "forwarded",
        _ago(25),
    )
    assert _last(events.REQUEST_FORWARDED).data == {"forwarded_on": _ago(25), "authority": "court"}
    # partly granted by the judge, with the reason
    response = _api(judge).post(
        f"{BASE}{request.pk}/decide/",
        {
            "expected_version": 2,
            "decision": "partly_granted",
            "decided_on": _ago(10),
            "reason": " The case file is sealed ",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["decided_on"], body["decision_reason"]) == (
        "partly_granted",
        _ago(10),
        "The case file is sealed",
    )
    request.refresh_from_db()
    assert (request.decided_by, request.version) == (judge, 3)
    event = _last(events.REQUEST_DECIDED)
    assert event.actor == judge
    assert event.data == {
        "status": ["forwarded", "partly_granted"],
        "decided_on": _ago(10),
        "days_to_answer": 20,
    }


def test_field_errors_of_a_request_and_of_a_decision(users, adults):
    officer = users["mfa.officer"]
    api = _api(officer)
    body = _is_problem(
        api.post(BASE, _request_body(adults["ru"], items=[], deadline=_ago(40)), format="json"),
        400,
    )
    assert list(body["errors"]) == ["items"]
    body = _is_problem(
        api.post(BASE, _request_body(adults["ru"], deadline=_ago(40)), format="json"), 400
    )
    assert body["errors"] == {"deadline": ["The deadline cannot come before the request."]}
    # a state asks about its own nationals only
    body = _is_problem(
        api.post(BASE, _request_body(adults["ru"], home_state="TJ"), format="json"), 400
    )
    assert list(body["errors"]) == ["subject"]
    assert not EvidenceRequest.objects.exists()
    request = _received(users, adults["ru"])
    body = _is_problem(
        api.post(
            f"{BASE}{request.pk}/decide/",
            {"expected_version": 1, "decision": "refused", "decided_on": _ago(1)},
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["decision_reason"]
    request.refresh_from_db()
    assert (request.status, request.version) == ("received", 1)
    assert _count(events.REQUEST_DECIDED) == 0


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("forward", {"forwarded_on": "2024-01-02"}),
        ("decide", {"decision": "granted", "decided_on": "2024-01-02"}),
    ],
)
def test_a_stale_version_is_a_409_and_nothing_changes(users, adults, step, body):
    request = _received(users, adults["ru"])
    response = _api(users["mfa.officer"]).post(
        f"{BASE}{request.pk}/{step}/", {"expected_version": 5, **body}, format="json"
    )
    _is_problem(response, 409)
    request.refresh_from_db()
    assert (request.status, request.version, request.forwarded_on) == ("received", 1, None)
    assert _count(events.REQUEST_FORWARDED) + _count(events.REQUEST_DECIDED) == 0


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("forward", {"expected_version": 1, "forwarded_on": "2024-01-02"}),
        ("decide", {"expected_version": 1, "decision": "granted", "decided_on": "2024-01-02"}),
    ],
)
def test_a_consul_follows_but_cannot_move_its_own_request(users, adults, step, body):
    request = _received(users, adults["ru"])
    _is_problem(
        _api(users["consul.ru"]).post(f"{BASE}{request.pk}/{step}/", body, format="json"), 403
    )
    _is_problem(
        _api(users["consul.ru"]).post(BASE, _request_body(adults["ru"]), format="json"), 403
    )
    request.refresh_from_db()
    assert (request.status, request.version) == ("received", 1)
    assert EvidenceRequest.objects.count() == 1
    assert _count(events.REQUEST_FORWARDED) + _count(events.REQUEST_DECIDED) == 0


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("forward", {"expected_version": 1, "forwarded_on": "2024-01-02"}),
        ("decide", {"expected_version": 1, "decision": "granted", "decided_on": "2024-01-02"}),
        (
            "transmissions",
            {"documents": [], "recipient": "Embassy", "sent_on": "2024-01-02"},
        ),
    ],
)
def test_another_states_supervisor_gets_404(users, adults, tajik_supervisor, step, body):
    request = _received(users, adults["ru"])
    response = _api(tajik_supervisor).post(f"{BASE}{request.pk}/{step}/", body, format="json")
    _is_problem(response, 404)
    request.refresh_from_db()
    assert (request.status, request.version) == ("received", 1)
    assert not EvidenceTransmission.objects.exists()
    # and a request about another state's national is refused as an unknown person
    body = _is_problem(
        _api(tajik_supervisor).post(BASE, _request_body(adults["ru"]), format="json"), 400
    )
    assert list(body["errors"]) == ["home_state"]
    assert EvidenceRequest.objects.count() == 1


# -- documents sent, four eyes ----------------------------------------------------------------


def test_documents_are_prepared_then_approved_into_the_disclosure_log(users, adults, supervisor):
    officer = users["mfa.officer"]
    ru = adults["ru"]
    request = granted_request(users, ru)
    verdict = verdict_of(ru.person, officer)
    response = _api(officer).post(
        f"{BASE}{request.pk}/transmissions/",
        {
            "documents": [str(verdict.pk)],
            "recipient": " Embassy of Russia, Baghdad ",
            "sent_on": TODAY().isoformat(),
            "note": "Certified copy",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    transmission = EvidenceTransmission.objects.get()
    assert response.json() == {
        "id": str(transmission.pk),
        "recipient": "Embassy of Russia, Baghdad",
        "sent_on": TODAY().isoformat(),
        "document_hashes": {str(verdict.pk): verdict.sha256},
        "state": "awaiting_approval",
        "decided_at": None,
    }
    assert transmission.recorded_by == officer
    assert _last(events.TRANSMISSION_RECORDED).data == {
        "recipient": "Embassy of Russia, Baghdad",
        "documents": {str(verdict.pk): verdict.sha256},
    }
    assert not Disclosure.objects.exists()
    # the officer who prepared it holds no approval; the supervisor approves
    url = f"{BASE}{request.pk}/transmissions/{transmission.pk}/approve/"
    _is_problem(_api(officer).post(url, {}, format="json"), 403)
    response = _api(supervisor).post(url, {"note": "Checked"}, format="json")
    assert response.status_code == 200, response.json()
    [sent] = response.json()["transmissions"]
    assert (sent["id"], sent["state"]) == (str(transmission.pk), "approved")
    assert sent["decided_at"] is not None
    transmission.refresh_from_db()
    disclosure = Disclosure.objects.get()
    assert transmission.disclosure == disclosure and transmission.decided_by == supervisor
    assert transmission.decision_note == "Checked"
    assert (disclosure.recorded_by, disclosure.approved_by) == (officer, supervisor)
    assert disclosure.recipient_state_id == "RU"
    assert list(disclosure.documents.all()) == [verdict]
    event = _last(events.TRANSMISSION_APPROVED)
    assert event.actor == supervisor
    assert event.data == {
        "disclosure": str(disclosure.pk),
        "documents": {str(verdict.pk): verdict.sha256},
        "prepared_by": "mfa.officer",
    }
    # decided once: a second approval is a field error, nothing more is logged
    body = _is_problem(_api(make_supervisor("mfa.supervisor2")).post(url, {}, format="json"), 400)
    assert list(body["errors"]) == ["state"]
    assert Disclosure.objects.count() == 1


def test_the_preparer_cannot_approve_and_a_refusal_gives_its_reason(users, adults, supervisor):
    ru = adults["ru"]
    request = granted_request(users, ru)
    prepared = services.record_transmission(
        request,
        actor=supervisor,
        documents=[verdict_of(ru.person, users["mfa.officer"])],
        recipient="Embassy",
        sent_on=TODAY(),
    )
    base = f"{BASE}{request.pk}/transmissions/{prepared.pk}"
    body = _is_problem(_api(supervisor).post(f"{base}/approve/", {}, format="json"), 403)
    assert body["detail"] == "You cannot approve what you prepared yourself."
    second = make_supervisor("mfa.supervisor2")
    body = _is_problem(_api(second).post(f"{base}/refuse/", {"note": " "}, format="json"), 400)
    assert list(body["errors"]) == ["note"]
    prepared.refresh_from_db()
    assert (prepared.state, prepared.decided_by) == ("awaiting_approval", None)
    response = _api(second).post(f"{base}/refuse/", {"note": "Wrong verdict"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["transmissions"][0]["state"] == "refused"
    prepared.refresh_from_db()
    assert (prepared.state, prepared.decided_by, prepared.decision_note) == (
        "refused",
        second,
        "Wrong verdict",
    )
    assert _last(events.TRANSMISSION_REFUSED).data == {"note": "Wrong verdict"}
    assert _count(events.TRANSMISSION_APPROVED) == 0
    assert not Disclosure.objects.exists()


def test_documents_named_must_be_seen_and_of_the_person_concerned(users, adults, registry):
    officer = users["mfa.officer"]
    request = granted_request(users, adults["ru"])
    other = verdict_of(registry["ru_child"], officer, b"child")
    api = _api(officer)
    url = f"{BASE}{request.pk}/transmissions/"
    body = {"recipient": "Embassy", "sent_on": TODAY().isoformat()}
    problem = _is_problem(api.post(url, {**body, "documents": [str(other.pk)]}, format="json"), 400)
    assert list(problem["errors"]) == ["documents"]
    missing = "00000000-0000-0000-0000-000000000000"
    problem = _is_problem(api.post(url, {**body, "documents": [missing]}, format="json"), 400)
    assert problem["errors"] == {"documents": [f"Unknown documents: {missing}"]}
    assert not EvidenceTransmission.objects.exists()


def test_another_states_supervisor_cannot_approve_or_refuse(users, adults, tajik_supervisor):
    ru = adults["ru"]
    request = granted_request(users, ru)
    prepared = services.record_transmission(
        request,
        actor=users["mfa.officer"],
        documents=[verdict_of(ru.person, users["mfa.officer"])],
        recipient="Embassy",
        sent_on=TODAY(),
    )
    base = f"{BASE}{request.pk}/transmissions/{prepared.pk}"
    _is_problem(_api(tajik_supervisor).post(f"{base}/approve/", {}, format="json"), 404)
    _is_problem(_api(tajik_supervisor).post(f"{base}/refuse/", {"note": "No"}, format="json"), 404)
    # nor is a transmission reached through another request
    own = granted_request(users, adults["tj"], reference="TJ-1")
    response = _api(tajik_supervisor).post(
        f"{BASE}{own.pk}/transmissions/{prepared.pk}/approve/", {}, format="json"
    )
    _is_problem(response, 404)
    prepared.refresh_from_db()
    assert (prepared.state, prepared.decided_by) == ("awaiting_approval", None)
    assert not Disclosure.objects.exists()
