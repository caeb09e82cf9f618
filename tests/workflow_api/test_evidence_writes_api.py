"""Notifying a nationality claim and recording a court case over the API (issue 9 gaps)."""

import datetime

import pytest
from django.utils import timezone

from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.evidence import services as ev
from homeward.evidence.models import CourtCase, NationalityClaim
from tests.api.conftest import client_for
from tests.conftest import PASSWORD
from tests.workflow.conftest import ago, at_status

pytestmark = pytest.mark.django_db


def _scoped(username: str, role: str, *states: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code__in=states))
    user.roles.add(Role.objects.get(code=role))
    return User.objects.get(pk=user.pk)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def claim(world) -> NationalityClaim:
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    return ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
    )


def _notify_url(claim) -> str:
    return f"/api/v1/nationality-claims/{claim.pk}/notify/"


def test_an_officer_records_the_note_verbale_notifying_the_claim(world, claim):
    body = {"notified_on": str(ago(3)), "reference": "NV-2026/114"}
    response = client_for(world["mfa.officer"]).post(_notify_url(claim), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["notified_on"] == str(ago(3))
    stored = NationalityClaim.objects.get(pk=claim.pk)
    assert (stored.notified_on, stored.notification_reference) == (ago(3), "NV-2026/114")
    event = AuditEvent.objects.get(event_type="evidence.nationality_claim.notified")
    assert (event.actor_username, event.data) == (
        "mfa.officer",
        {"notified_on": str(ago(3)), "reference": "NV-2026/114"},
    )
    # a second notification of the same claim is refused
    again = client_for(world["mfa.officer"]).post(_notify_url(claim), body, format="json")
    _problem(again, 409)


def test_notify_refusals_change_nothing(world, claim):
    tomorrow = str(timezone.localdate() + datetime.timedelta(days=1))
    body = {"notified_on": str(ago(1)), "reference": "NV-1"}
    officer = client_for(world["mfa.officer"])
    errors = _problem(
        officer.post(_notify_url(claim), {"notified_on": tomorrow, "reference": ""}, format="json"),
        400,
    )["errors"]
    assert errors == {
        "notified_on": ["This date cannot be in the future."],
        "reference": ["This field may not be blank."],
    }
    _problem(client_for(world["consul.ru"]).post(_notify_url(claim), body, format="json"), 403)
    officer_tj = _scoped("officer.tj", "mfa_case_officer", "TJ")
    _problem(client_for(officer_tj).post(_notify_url(claim), body, format="json"), 404)
    assert NationalityClaim.objects.get(pk=claim.pk).notified_on is None
    assert not AuditEvent.objects.filter(event_type="evidence.nationality_claim.notified").exists()


def _court_case(defendant, **overrides) -> dict:
    return {
        "defendant": str(defendant.pk),
        "court": "Karkh Juvenile Court",
        "case_number": "J-2024/88",
        "stage": "investigation",
        "charges": ["Membership (Art. 4 ATL)"],
        "alleged_act_on": "2024-01-10",
        **overrides,
    }


def test_a_judge_records_a_court_case(world):
    brother = world["ru_brother"]
    response = client_for(world["hjc.judge"]).post(
        "/api/v1/court-cases/", _court_case(brother), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["defendant"], body["court"], body["case_number"], body["stage"]) == (
        str(brother.pk),
        "Karkh Juvenile Court",
        "J-2024/88",
        "investigation",
    )
    assert body["jurisdiction"] == "federal"
    stored = CourtCase.objects.get(pk=body["id"])
    assert stored.charges == ["Membership (Art. 4 ATL)"]
    event = AuditEvent.objects.get(event_type="evidence.court_case.recorded")
    assert (event.actor_username, event.data) == (
        "hjc.judge",
        {"court": "Karkh Juvenile Court", "case_number": "J-2024/88", "stage": "investigation"},
    )


def test_court_case_refusals_change_nothing(world):
    brother = world["ru_brother"]
    judge = client_for(world["hjc.judge"])
    errors = _problem(
        judge.post(
            "/api/v1/court-cases/", _court_case(brother, stage="appeal?", court=""), format="json"
        ),
        400,
    )["errors"]
    assert set(errors) == {"stage", "court"}
    _problem(
        client_for(world["consul.ru"]).post(
            "/api/v1/court-cases/", _court_case(brother), format="json"
        ),
        403,
    )
    judge_tj = _scoped("judge.tj", "hjc_judge", "TJ")
    answer = client_for(judge_tj).post("/api/v1/court-cases/", _court_case(brother), format="json")
    assert _problem(answer, 400)["errors"] == {"defendant": ["Unknown person."]}
    assert CourtCase.objects.count() == 0
