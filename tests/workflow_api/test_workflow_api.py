"""The workflow API: the gate, the history, transitions with ETag/If-Match, the desk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.workflow.models import CaseTransition
from tests.workflow.conftest import (
    at_status,
    audit_head,
    claim_and_engage,
    clear_all,
    fresh,
    verify_ru,
    walk,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def claimed(world) -> Case:
    """The Russian child in NATIONALITY_CLAIMED; the note verbale went 60 days ago."""
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    from homeward.evidence import services as ev
    from tests.workflow.conftest import ago

    ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(60),
        notification_reference="NV-2026-114",
    )
    return fresh(case)


def transitions_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/transitions/"


# -- the gate ------------------------------------------------------------------------------


def test_requirements_say_what_is_missing_who_owes_it_and_for_how_long(world):
    # given
    case = claimed(world)
    # when
    response = client_for(world["mfa.officer"]).get(f"/api/v1/cases/{case.pk}/requirements/")
    # then
    assert response.status_code == 200
    assert response["ETag"] == f'"{case.version}"'
    body = response.json()
    assert (body["status"], body["next_state"], body["version"], body["ready"]) == (
        "NATIONALITY_CLAIMED", "HOME_STATE_ENGAGED", case.version, False,
    )  # fmt: skip
    rows = [
        (r["code"], r["status"], r["owed_by"], r["owed_by_kind"], r["days_waiting"])
        for r in body["requirements"]
    ]
    assert rows == [
        ("nationality.acknowledged", "waiting", "Embassy of Russia", "home_state_mission", 60),
        ("nationality.consular_access", "waiting", "Embassy of Russia", "home_state_mission", 10),
    ]
    assert body["requirements"][0]["description"] == (
        "Waiting for the home state's acknowledgement — Embassy of Russia — 60 days"
    )
    event = AuditEvent.objects.get(event_type="workflow.requirements.viewed")
    assert (event.actor_username, event.case_id) == ("mfa.officer", case.pk)


def test_case_detail_carries_the_version_as_etag(world):
    case = world["ru_child"].case
    response = client_for(world["mfa.officer"]).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'


# -- transitions ---------------------------------------------------------------------------


def test_officer_moves_the_case_with_if_match_and_the_move_is_audited(world):
    # given the home state acknowledged and visited
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    # when
    response = client_for(world["mfa.officer"]).post(
        transitions_url(case),
        {"transition": "home_state_engaged"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["transition"], body["from_status"], body["to_status"], body["actor"]) == (
        "home_state_engaged", "NATIONALITY_CLAIMED", "HOME_STATE_ENGAGED", "mfa.officer",
    )  # fmt: skip
    assert body["policy_version"] == 1
    after = fresh(case)
    assert after.status == "HOME_STATE_ENGAGED"
    assert response["ETag"] == f'"{after.version}"' == f'"{case.version + 1}"'
    event = AuditEvent.objects.get(event_type="workflow.case.home_state_engaged")
    assert event.actor_username == "mfa.officer"
    assert event.data["status"] == ["NATIONALITY_CLAIMED", "HOME_STATE_ENGAGED"]
    # and the history lists it
    history = client_for(world["mfa.officer"]).get(transitions_url(case)).json()
    assert [row["transition"] for row in history["results"]] == ["home_state_engaged"]


def test_a_stale_if_match_is_412_and_nothing_changes(world):
    # given
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    client = client_for(world["mfa.officer"])
    before = audit_head()
    # when
    response = client.post(
        transitions_url(case),
        {"transition": "home_state_engaged"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version - 1}"',
    )
    # then
    assert response.status_code == 412
    assert response["ETag"] == f'"{case.version}"'
    assert response.json()["version"] == case.version
    assert fresh(case).status == "NATIONALITY_CLAIMED"
    assert fresh(case).version == case.version
    assert not CaseTransition.objects.filter(case=case).exists()
    assert audit_head() == before


def test_without_if_match_it_is_428_and_nothing_changes(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    client = client_for(world["mfa.officer"])
    before = audit_head()
    response = client.post(
        transitions_url(case), {"transition": "home_state_engaged"}, format="json"
    )
    assert response.status_code == 428
    assert fresh(case).version == case.version
    assert audit_head() == before


def test_an_unmet_gate_is_409_listing_what_is_missing(world):
    # given the note verbale went but the home state has not answered
    case = claimed(world)
    client = client_for(world["mfa.officer"])
    before = audit_head()
    # when
    response = client.post(
        transitions_url(case),
        {"transition": "home_state_engaged"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "gate_not_met"
    assert [row["description"] for row in body["unmet"]] == [
        "Waiting for the home state's acknowledgement — Embassy of Russia — 60 days",
        "Waiting for consular access — Embassy of Russia — 10 days",
    ]
    assert fresh(case).status == "NATIONALITY_CLAIMED"
    assert audit_head() == before


def test_a_transition_from_the_wrong_state_is_409(world):
    case = world["ru_child"].case  # REGISTERED
    response = client_for(world["mfa.officer"]).post(
        transitions_url(case),
        {"transition": "home_state_engaged"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_missing_fields_and_unknown_transitions_are_400(world):
    case = world["ru_child"].case
    client = client_for(world["mfa.officer"])
    unknown = client.post(
        transitions_url(case), {"transition": "teleported"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["transition"]
    no_reason = client.post(
        transitions_url(case), {"transition": "put_on_hold"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert no_reason.status_code == 400
    assert list(no_reason.json()["errors"]) == ["reason"]


@pytest.mark.parametrize(
    "transition", ["scheduled", "handed_over", "received", "withdrawn_from_operation"]
)
def test_operation_steps_are_not_case_transitions(world, transition):
    # given a case: batches, handovers and arrivals are the operations API's (one path each)
    case = world["ru_child"].case
    # when the case's transitions endpoint is asked for one of them
    response = client_for(world["mfa.officer"]).post(
        transitions_url(case), {"transition": transition}, format="json", HTTP_IF_MATCH='"1"'
    )
    # then there is no such transition and the case is untouched
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["transition"]
    assert (fresh(case).status, fresh(case).version) == ("REGISTERED", 1)


def test_without_the_capability_it_is_403_and_audited(world):
    case = world["ru_child"].case
    response = client_for(world["unicef.officer"]).post(
        transitions_url(case),
        {"transition": "put_on_hold", "reason": "x"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 403
    assert fresh(case).status == "REGISTERED"
    denial = AuditEvent.objects.filter(event_type__startswith="accounts.access").latest("seq")
    assert denial.actor_username == "unicef.officer"


def test_the_judge_approves_through_the_api(world):
    # given a Russian child in CLEARANCE with every clearance given
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    clear_all(world, case)
    case = fresh(case)
    # when
    response = client_for(world["hjc.judge"]).post(
        transitions_url(case),
        {"transition": "approved", "decision_reference": "HJC-2026-431"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["reference"] == "HJC-2026-431"
    assert fresh(case).status == "APPROVED"


# -- scope ---------------------------------------------------------------------------------


def test_consul_ru_gets_404_on_every_endpoint_of_a_tajik_case(world):
    case = world["tj_child"].case
    client = client_for(world["consul.ru"])
    assert client.get(f"/api/v1/cases/{case.pk}/requirements/").status_code == 404
    assert client.get(transitions_url(case)).status_code == 404
    post = client.post(
        transitions_url(case),
        {"transition": "follow_up_started"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert post.status_code == 404
    assert fresh(case).version == 1
    denials = AuditEvent.objects.filter(
        event_type__startswith="accounts.access", actor_username="consul.ru"
    )
    assert denials.count() == 3


# -- the desk ------------------------------------------------------------------------------


def test_the_labs_desk_lists_the_comparison_it_owes(world):
    # given a Russian child in VERIFICATION with both samples taken
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    walk(world, case, "VERIFICATION")
    from homeward.evidence import services as ev
    from tests.workflow.conftest import ago

    for donor in (world["ru_child"], world["ru_mother"]):
        ev.record_dna_sample(
            case, actor=world["moh.lab"], donor=donor, sample_type="blood",
            collected_on=ago(5), collected_by="MoH team",
        )  # fmt: skip
    # when
    response = client_for(world["moh.lab"]).get("/api/v1/desk/")
    # then
    assert response.status_code == 200
    items = response.json()["items"]
    mine = [i["requirement"]["code"] for i in items if i["case_reference"] == case.reference]
    assert mine == ["dna.mother_child"]
    others = {i["case_reference"] for i in items} - {case.reference}
    assert others == {world["ru_brother"].case.reference, world["tj_child"].case.reference}
    assert {i["requirement"]["code"] for i in items if i["case_reference"] in others} == {
        "profile.child_sample"
    }
    event = AuditEvent.objects.get(event_type="workflow.desk.viewed")
    assert set(event.data["ids"]) == {str(c.pk) for c in Case.objects.all()}


def test_history_list_costs_a_fixed_number_of_queries(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    client = client_for(world["mfa.officer"])
    walk(world, case, "HOME_STATE_ENGAGED")
    with CaptureQueriesContext(connection) as one:
        assert client.get(transitions_url(case)).status_code == 200
    more = fresh(case)
    from homeward.workflow import services as wf

    wf.open_verification(more, actor=world["mfa.officer"], expected_version=more.version)
    verify_ru(world, case, _claim(case))
    more = fresh(case)
    wf.confirm_nationality(more, actor=world["mfa.officer"], expected_version=more.version)
    assert CaseTransition.objects.filter(case=case).count() == 3
    with CaptureQueriesContext(connection) as two:
        assert client.get(transitions_url(case)).status_code == 200
    assert len(two) == len(one)


def _claim(case):
    from homeward.evidence.models import NationalityClaim

    return NationalityClaim.objects.get(case=case)
