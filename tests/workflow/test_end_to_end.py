"""A Russian child walked from NATIONALITY_CLAIMED to APPROVED by the right users, audited."""

import pytest

from homeward.audit.models import AuditEvent
from homeward.workflow import services as wf
from homeward.workflow.models import CaseTransition
from tests.workflow.conftest import at_status, clear_all, fresh, walk

pytestmark = pytest.mark.django_db


def test_russian_child_goes_from_nationality_claimed_to_approved(world):
    # given the Russian child with a nationality claim recorded in the past
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    # when officer, consul, lab, judge, security liaison, facility and supervisor each do their part
    case = walk(world, case, "CLEARANCE")
    clear_all(world, case)
    case = wf.approve_case(
        fresh(case),
        actor=world["hjc.judge"],
        expected_version=fresh(case).version,
        decision_reference="HJC-2026-431",
    )
    # then the case is approved, and its history names each step and the policy version
    assert case.status == "APPROVED"
    history = list(CaseTransition.objects.filter(case=case).values_list("transition", "to_status"))
    assert history == [
        ("home_state_engaged", "HOME_STATE_ENGAGED"),
        ("verification_opened", "VERIFICATION"),
        ("nationality_confirmed", "NATIONALITY_CONFIRMED"),
        ("care_planning_started", "CARE_PLANNING"),
        ("care_planning_completed", "CLEARANCE"),
        ("approved", "APPROVED"),
    ]
    assert set(
        CaseTransition.objects.filter(case=case).values_list("policy__version", flat=True)
    ) == {1}
    actors = list(
        AuditEvent.objects.filter(case_id=case.pk, event_type__startswith="evidence.")
        .order_by("seq")
        .values_list("event_type", "actor_username")
    )
    assert actors == [
        ("evidence.nationality_claim.recorded", "mfa.officer"),
        ("evidence.nationality_claim.acknowledged", "consul.ru"),
        ("evidence.dna_sample.recorded", "moh.lab"),
        ("evidence.dna_sample.recorded", "moh.lab"),
        ("evidence.dna_comparison.recorded", "moh.lab"),
        ("evidence.nationality_determination.recorded", "consul.ru"),
        ("evidence.guardian.proposed", "consul.ru"),
        ("evidence.guardian.vetted", "consul.ru"),
        ("evidence.assurance.recorded", "consul.ru"),
        ("evidence.clearance.requested", "mfa.officer"),
        ("evidence.clearance.decided", "hjc.judge"),
        ("evidence.clearance.requested", "mfa.officer"),
        ("evidence.clearance.decided", "security.liaison"),
        ("evidence.clearance.requested", "mfa.officer"),
        ("evidence.clearance.decided", "moj.registrar"),
        ("evidence.clearance.requested", "mfa.officer"),
        ("evidence.clearance.decided", "mfa.supervisor"),
    ]
    approved = AuditEvent.objects.get(case_id=case.pk, event_type="workflow.case.approved")
    assert approved.actor_username == "hjc.judge"
    assert approved.data == {
        "status": ["CLEARANCE", "APPROVED"],
        "return_status": "",
        "policy_version": 1,
        "reason": "",
        "reference": "HJC-2026-431",
    }
