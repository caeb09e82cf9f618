"""A sibling group's approval and a closure's decision over the API (issue 9 gaps)."""

import pytest

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.workflow import services as wf
from homeward.workflow.models import ClosureRequest
from tests.api.conftest import client_for
from tests.conftest import PASSWORD
from tests.workflow.conftest import fresh
from tests.workflow_ui.test_group_approval import _group_at_clearance

pytestmark = pytest.mark.django_db


def _group_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/sibling-group/approve/"


def _closure_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/closure/decide/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def _statuses(*cases) -> set:
    return set(
        Case.objects.filter(pk__in=[case.pk for case in cases]).values_list("status", flat=True)
    )


def _scoped(username: str, role: str, *states: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code__in=states))
    user.roles.add(Role.objects.get(code=role))
    return User.objects.get(pk=user.pk)


# -- sibling group -----------------------------------------------------------------------------


def test_the_judge_approves_the_whole_group(world):
    sister, brother = _group_at_clearance(world)
    body = {
        "decision_reference": "HJC-2026/77",
        "versions": {str(sister.pk): sister.version, str(brother.pk): brother.version},
    }
    response = client_for(world["hjc.judge"]).post(_group_url(sister), body, format="json")
    assert response.status_code == 200, response.json()
    assert [(row["reference"], row["status"]) for row in response.json()["cases"]] == sorted(
        [(sister.reference, "APPROVED"), (brother.reference, "APPROVED")]
    )
    assert _statuses(sister, brother) == {"APPROVED"}
    events = AuditEvent.objects.filter(event_type="workflow.case.approved")
    assert {event.case_id for event in events} == {sister.pk, brother.pk}
    assert {event.actor_username for event in events} == {"hjc.judge"}


def test_a_changed_or_missing_version_approves_nobody(world):
    sister, brother = _group_at_clearance(world)
    judge = client_for(world["hjc.judge"])
    response = judge.post(
        _group_url(sister),
        {"decision_reference": "D-1", "versions": {str(sister.pk): sister.version}},
        format="json",
    )
    assert _problem(response, 400)["errors"] == {
        "versions": [f"Give the version of every case of the group: {brother.reference}."]
    }
    stale = {str(sister.pk): sister.version, str(brother.pk): brother.version - 1}
    response = judge.post(
        _group_url(sister), {"decision_reference": "D-1", "versions": stale}, format="json"
    )
    _problem(response, 409)
    assert _statuses(sister, brother) == {"CLEARANCE"}
    assert not AuditEvent.objects.filter(event_type="workflow.case.approved").exists()


def test_a_child_in_no_group_is_a_409(world):
    case = world["tj_child"].case
    response = client_for(world["hjc.judge"]).post(
        _group_url(case), {"decision_reference": "D", "versions": {}}, format="json"
    )
    assert _problem(response, 409)["code"] == "not_in_a_group"


def test_group_approval_out_of_scope_is_404_and_without_the_capability_403(world):
    sister, brother = _group_at_clearance(world)
    body = {
        "decision_reference": "D-2",
        "versions": {str(sister.pk): sister.version, str(brother.pk): brother.version},
    }
    judge_tj = _scoped("judge.tj", "hjc_judge", "TJ")
    _problem(client_for(judge_tj).post(_group_url(sister), body, format="json"), 404)
    denied = AuditEvent.objects.filter(event_type=ACCESS_DENIED).count()
    _problem(client_for(world["consul.ru"]).post(_group_url(sister), body, format="json"), 403)
    assert AuditEvent.objects.filter(event_type=ACCESS_DENIED).count() == denied + 1
    assert _statuses(sister, brother) == {"CLEARANCE"}


# -- closure -----------------------------------------------------------------------------------


def _closure_asked(world):
    case = world["ru_child"].case
    return wf.request_closure(
        case, actor=world["mfa.officer"], expected_version=case.version, reason="duplicate_merged"
    )


def test_a_supervisor_approves_a_closure(world):
    asked = _closure_asked(world)
    response = client_for(world["mfa.supervisor"]).post(
        _closure_url(asked.case), {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["requested_by"], body["decided_by"], body["case_status"]) == (
        "approved",
        "mfa.officer",
        "mfa.supervisor",
        "CLOSED",
    )
    event = AuditEvent.objects.get(event_type="workflow.case.closed")
    assert (event.actor_username, event.data["closure_reason"]) == (
        "mfa.supervisor",
        "duplicate_merged",
    )


def test_a_supervisor_rejects_a_closure_with_a_note(world):
    asked = _closure_asked(world)
    response = client_for(world["mfa.supervisor"]).post(
        _closure_url(asked.case),
        {"decision": "reject", "note": "Not the same child"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["case_status"]) == ("rejected", "REGISTERED")
    event = AuditEvent.objects.get(event_type="workflow.closure.rejected")
    assert event.data == {"note": "Not the same child"}
    # decided: nothing waits any more
    again = client_for(world["mfa.supervisor"]).post(
        _closure_url(asked.case), {"decision": "approve"}, format="json"
    )
    assert _problem(again, 409)["code"] == "no_pending_closure"


def test_closure_decision_refusals_change_nothing(world):
    asked = _closure_asked(world)
    case = asked.case
    before = fresh(case).version
    supervisor = client_for(world["mfa.supervisor"])
    assert list(
        _problem(supervisor.post(_closure_url(case), {"decision": "close"}, format="json"), 400)[
            "errors"
        ]
    ) == ["decision"]
    _problem(
        client_for(world["mfa.officer"]).post(
            _closure_url(case), {"decision": "approve"}, format="json"
        ),
        403,
    )
    supervisor_tj = _scoped("supervisor.tj", "mfa_supervisor", "TJ")
    _problem(
        client_for(supervisor_tj).post(_closure_url(case), {"decision": "approve"}, format="json"),
        404,
    )
    # the case moved after the request: the approval is refused
    wf.put_on_hold(fresh(case), actor=world["mfa.officer"], expected_version=before, reason="Wait")
    _problem(supervisor.post(_closure_url(case), {"decision": "approve"}, format="json"), 409)
    assert ClosureRequest.objects.get(pk=asked.pk).status == "pending"
    assert fresh(case).status == "ON_HOLD"
