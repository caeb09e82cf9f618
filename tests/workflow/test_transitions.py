"""Every transition allowed and refused: wrong role, missing requirement, out of scope, stale.

Each refusal asserts that nothing changed: the case, its history and the audit chain.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.cases.services import create_family_group
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.evidence import services as ev
from homeward.people import services as people
from homeward.people.models import Person
from homeward.workflow import services as wf
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed
from homeward.workflow.models import CaseTransition, ClosureRequest
from tests.workflow.conftest import (
    ago,
    at_status,
    audit_head,
    claim_and_engage,
    clear_all,
    fresh,
    today,
    walk,
)

pytestmark = pytest.mark.django_db


def snapshot(case) -> tuple:
    row = Case.objects.values("status", "return_status", "version").get(pk=case.pk)
    return row, CaseTransition.objects.count(), ClosureRequest.objects.count(), audit_head()


# -- T2 profiled -----------------------------------------------------------------------------


def test_profiling_needs_languages_and_dna_samples(world):
    # given a registered child with no languages and no samples
    case = world["ru_child"].case
    before = snapshot(case)
    # when the registrar marks the child profiled
    with pytest.raises(GateNotMet) as refused:
        wf.profile_case(case, actor=world["moj.registrar"], expected_version=case.version)
    # then the missing items are named with who owes them, and nothing changed
    assert [r.code for r in refused.value.requirements] == [
        "profile.languages",
        "profile.child_sample",
        "profile.mother_sample",
    ]
    assert refused.value.descriptions[0].startswith(
        "Missing: Languages the child speaks — Custodial facility"
    )
    assert snapshot(case) == before


def test_profiling_with_everything_recorded_moves_to_profiled(world):
    # given languages and both samples
    child = world["ru_child"]
    people.update_person(
        child,
        actor=world["mfa.officer"],
        expected_version=child.version,
        changes={"languages": ["ru", "ar"]},
    )
    for donor in (child, world["ru_mother"]):
        ev.record_dna_sample(
            child.case,
            actor=world["moh.lab"],
            donor=donor,
            sample_type="blood",
            collected_on=ago(3),
            collected_by="MoH",
        )
    case = fresh(child.case)
    # when
    case = wf.profile_case(case, actor=world["moj.registrar"], expected_version=case.version)
    # then
    assert case.status == "PROFILED"
    event = AuditEvent.objects.get(event_type="workflow.case.profiled")
    assert (event.actor_username, event.data["status"]) == (
        "moj.registrar",
        ["REGISTERED", "PROFILED"],
    )


# -- T3, T4 ----------------------------------------------------------------------------------


def test_claiming_needs_a_notified_claim(world):
    case = at_status(world["ru_child"].case, "PROFILED", actor=world["mfa.officer"])
    before = snapshot(case)
    with pytest.raises(GateNotMet) as refused:
        wf.claim_nationality(case, actor=world["mfa.officer"], expected_version=case.version)
    assert [r.code for r in refused.value.requirements] == [
        "nationality.claim",
        "nationality.notified",
    ]
    assert snapshot(case) == before


def test_claiming_after_the_note_verbale_moves_to_nationality_claimed(world):
    case = at_status(world["ru_child"].case, "PROFILED", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="self_declared",
        claimed_by="mother",
        notified_on=ago(2),
        notification_reference="NV-1",
    )
    case = wf.claim_nationality(
        fresh(case), actor=world["mfa.officer"], expected_version=fresh(case).version
    )
    assert case.status == "NATIONALITY_CLAIMED"


def test_engagement_waits_for_the_home_state_with_its_name_and_days(world):
    # given a claim notified 41 days ago and not acknowledged
    case = at_status(world["tj_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(41),
        notification_reference="NV-9",
    )
    case = fresh(case)
    # when the officer tries to record the engagement
    with pytest.raises(GateNotMet) as refused:
        wf.engage_home_state(
            case, actor=world["mfa.officer"], expected_version=case.version, today=today()
        )
    # then the refusal says who owes what, since when
    assert refused.value.descriptions == [
        "Waiting for the home state's acknowledgement — Embassy of Tajikistan — 41 days",
        "Waiting for consular access — Embassy of Tajikistan — 10 days",
    ]


# -- refusals common to every transition ------------------------------------------------------


def test_wrong_role_cannot_move_a_case(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    before = snapshot(case)
    for username in ("consul.ru", "moh.lab", "hjc.judge", "auditor"):
        with pytest.raises(PermissionDenied):
            wf.engage_home_state(case, actor=world[username], expected_version=case.version)
    assert snapshot(case) == before


def test_out_of_scope_officer_cannot_move_a_case(world, users):
    # given an officer limited to Tajikistan
    from homeward.accounts.models import User
    from homeward.core.models import HomeState

    officer_tj = User.objects.create_user("officer.tj", password="correct horse battery staple")
    officer_tj.roles.add(*world["mfa.officer"].roles.all())
    officer_tj.home_states.add(HomeState.objects.get(code="TJ"))
    officer_tj = User.objects.get(pk=officer_tj.pk)
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    before = snapshot(case)
    # when / then
    with pytest.raises(OutOfScopeError):
        wf.engage_home_state(case, actor=officer_tj, expected_version=case.version)
    assert snapshot(case) == before


def test_stale_version_is_refused(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    case = fresh(case)
    before = snapshot(case)
    with pytest.raises(StaleEditError):
        wf.engage_home_state(case, actor=world["mfa.officer"], expected_version=case.version - 1)
    assert snapshot(case) == before


def test_transition_from_the_wrong_state_is_refused(world):
    case = world["ru_child"].case
    before = snapshot(case)
    with pytest.raises(TransitionNotAllowed):
        wf.confirm_nationality(case, actor=world["mfa.officer"], expected_version=case.version)
    assert snapshot(case) == before


# -- T6: only the home state's confirmation confirms ---------------------------------------


def test_nationality_cannot_be_confirmed_on_a_claim_alone(world):
    # given a verified dossier whose claim is self-declared and has no home-state answer
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "VERIFICATION")
    before = snapshot(case)
    # when
    with pytest.raises(GateNotMet) as refused:
        wf.confirm_nationality(case, actor=world["mfa.officer"], expected_version=case.version)
    # then the confirmation, DNA and court decision are all outstanding
    assert [r.code for r in refused.value.requirements] == [
        "nationality.confirmation",
        "dna.mother_child",
        "nationality.home_court_decision",
    ]
    assert snapshot(case) == before


# -- T9: clearances, judge, siblings ---------------------------------------------------------


def test_approval_needs_every_clearance(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    ev.decide_clearance(clearance, actor=world["hjc.judge"], approve=True, reference="J-1")
    case = fresh(case)
    before = snapshot(case)
    with pytest.raises(GateNotMet) as refused:
        wf.approve_case(
            case, actor=world["hjc.judge"], expected_version=case.version, decision_reference="D"
        )
    assert [r.code for r in refused.value.requirements] == [
        "clearance.security",
        "clearance.medical",
        "clearance.ministry",
    ]
    assert snapshot(case) == before


def test_only_the_judge_approves(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    clear_all(world, case)
    case = fresh(case)
    before = snapshot(case)
    for username in ("mfa.officer", "mfa.supervisor", "consul.ru", "security.liaison"):
        with pytest.raises(PermissionDenied):
            wf.approve_case(
                case, actor=world[username], expected_version=case.version, decision_reference="D"
            )
    assert snapshot(case) == before


def test_expired_clearance_reopens_its_gate(world):
    # given an approved case whose medical clearance expires in two days
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    from django.utils import timezone

    clear_all(world, case, expires_at=timezone.now() + datetime.timedelta(days=2))
    case = wf.approve_case(
        fresh(case),
        actor=world["hjc.judge"],
        expected_version=fresh(case).version,
        decision_reference="D-1",
    )
    from homeward.workflow.gates import requirements_for

    later = today() + datetime.timedelta(days=5)
    # when the scheduling gate is read after the expiry
    shown = {r.code: r.status for r in requirements_for(case, today=later)}
    # then the medical clearance shows expired again
    assert shown["clearance.medical"] == "expired"
    assert shown["clearance.judicial"] == "met"


def _sibling_group(world):
    officer = world["mfa.officer"]
    cases = [world["ru_child"].case, world["ru_brother"].case]
    create_family_group(actor=officer, label="Husseinov", cases=cases)
    return [fresh(case) for case in cases]


def test_a_sibling_is_not_approved_alone(world):
    # given two siblings who must travel together, the sister fully cleared
    sister, _brother = _sibling_group(world)
    sister = walk(
        world, at_status(sister, "NATIONALITY_CLAIMED", actor=world["mfa.officer"]), "CLEARANCE"
    )
    clear_all(world, sister)
    sister = fresh(sister)
    before = snapshot(sister)
    # when the judge approves her alone
    with pytest.raises(GateNotMet) as refused:
        wf.approve_case(
            sister,
            actor=world["hjc.judge"],
            expected_version=sister.version,
            decision_reference="D",
        )
    # then the sibling rule stops it
    assert [r.describe() for r in refused.value.requirements] == [
        "Waiting for the siblings' cases (1 sibling is not ready)"
        " — Ministry of Foreign Affairs — 0 days"
    ]
    assert snapshot(sister) == before


def test_siblings_are_approved_together(world):
    sister, brother = _sibling_group(world)
    for case in (sister, brother):
        if case is brother:
            people.link_relative(
                brother.child,
                actor=world["mfa.officer"],
                relative=world["ru_mother"],
                relationship_type="mother",
                basis="declared",
            )
        walk(world, at_status(case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"]), "CLEARANCE")
        clear_all(world, case)
    sister, brother = fresh(sister), fresh(brother)
    # when the judge approves one of them alone, it is refused; the group is approved together
    with pytest.raises(ValidationError):
        wf.approve_case(
            sister,
            actor=world["hjc.judge"],
            expected_version=sister.version,
            decision_reference="D",
        )
    approved = wf.approve_family_group(
        sister.family_group,
        actor=world["hjc.judge"],
        expected_versions={sister.pk: sister.version, brother.pk: brother.version},
        decision_reference="D-7",
    )
    # then
    assert [case.status for case in approved] == ["APPROVED", "APPROVED"]
    assert AuditEvent.objects.filter(event_type="workflow.case.approved").count() == 2


def test_a_bid_allowing_separation_lets_a_sibling_go_alone(world):
    sister, _brother = _sibling_group(world)
    sister = walk(
        world, at_status(sister, "NATIONALITY_CLAIMED", actor=world["mfa.officer"]), "CLEARANCE"
    )
    clear_all(world, sister)
    ev.record_bia(
        sister,
        actor=world["unicef.officer"],
        kind="bid",
        trigger="sibling_separation",
        assessor="UNICEF",
        recommendation="return",
        assessed_on=ago(1),
        panel_members=["UNICEF", "MOLSA", "HJC"],
        separation_from_siblings_ok=True,
    )
    sister = fresh(sister)
    case = wf.approve_case(
        sister, actor=world["hjc.judge"], expected_version=sister.version, decision_reference="D"
    )
    assert case.status == "APPROVED"


# -- side states ----------------------------------------------------------------------------


def test_hold_and_resume_return_to_the_remembered_state(world):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    held = wf.put_on_hold(
        case, actor=world["mfa.officer"], expected_version=case.version, reason="Court pending"
    )
    assert (held.status, held.return_status) == ("ON_HOLD", "VERIFICATION")
    resumed = wf.resume_case(held, actor=world["mfa.officer"], expected_version=held.version)
    assert (resumed.status, resumed.return_status) == ("VERIFICATION", "")
    event = AuditEvent.objects.get(event_type="workflow.case.put_on_hold")
    assert event.data["return_status"] == "VERIFICATION"
    assert event.data["reason"] == "Court pending"


def test_side_state_needs_a_reason(world):
    case = world["ru_child"].case
    before = snapshot(case)
    with pytest.raises(ValidationError):
        wf.put_on_hold(case, actor=world["mfa.officer"], expected_version=case.version, reason=" ")
    assert snapshot(case) == before


def test_iraqi_national_referral_needs_an_iraqi_parent(world):
    from homeward.core.models import HomeState

    case = world["ru_child"].case
    before = snapshot(case)
    with pytest.raises(ValidationError):
        wf.refer_iraqi_national(
            case, actor=world["mfa.officer"], expected_version=case.version, reason="R"
        )
    assert snapshot(case) == before
    father = people.register_adult(
        actor=world["mfa.officer"],
        fields={"sex": "male"},
        names=[{"full_text": "أحمد", "name_type": "declared_by_mother"}],
    )
    people.link_relative(
        world["ru_child"],
        actor=world["mfa.officer"],
        relative=father,
        relationship_type="father",
        basis="declared",
    )
    people.record_nationality(
        father, actor=world["mfa.officer"], nationality=HomeState.objects.get(code="IQ")
    )
    case = wf.refer_iraqi_national(
        fresh(case),
        actor=world["mfa.officer"],
        expected_version=fresh(case).version,
        reason="Father is Iraqi",
    )
    assert case.status == "IRAQI_NATIONAL_REFERRAL"


def test_death_needs_an_incident(world):
    case = world["ru_child"].case
    with pytest.raises(ValidationError):
        wf.mark_deceased(
            case, actor=world["mfa.officer"], expected_version=case.version, reason="R"
        )
    ev.record_incident(
        case,
        actor=world["moj.registrar"],
        incident_type="death",
        occurred_on=ago(1),
        description="Died in hospital",
    )
    case = wf.mark_deceased(
        fresh(case),
        actor=world["mfa.officer"],
        expected_version=fresh(case).version,
        reason="Death recorded",
    )
    assert (case.status, case.return_status) == ("DECEASED", "REGISTERED")


def test_juvenile_in_proceedings_is_blocked_from_approval(world):
    # given a cleared 12-year-old boy with a pending juvenile case
    brother = world["ru_brother"]
    court = ev.record_court_case(
        brother,
        actor=world["moj.registrar"],
        court="Juvenile Court, Rusafa",
        case_number="J-12/2025",
        stage="charged",
        alleged_act_on=ago(30),
    )
    case = wf.enter_judicial_proceedings(
        brother.case,
        actor=world["mfa.officer"],
        expected_version=brother.case.version,
        reason="Charged",
    )
    assert case.status == "IN_JUDICIAL_PROCEEDINGS"
    # when the clearance gate is read
    from homeward.workflow.gates import requirements_for

    shown = {r.code: r.status for r in requirements_for(case, target="APPROVED")}
    # then the child's track blocks approval until the sentence is completed
    assert shown["judicial.child_track"] == "blocked"
    ev.record_court_stage(
        court, actor=world["hjc.judge"], expected_version=1, stage="convicted", verdict_on=ago(5)
    )
    sentence = ev.record_sentence(
        fresh_court(court), actor=world["hjc.judge"], sentence_type="months", length=6
    )
    assert {r.code: r.status for r in requirements_for(case, target="APPROVED")}[
        "judicial.child_track"
    ] == "blocked"
    ev.record_sentence_status(sentence, actor=world["moj.registrar"], status="completed")
    assert {r.code: r.status for r in requirements_for(case, target="APPROVED")}[
        "judicial.child_track"
    ] == "met"


def fresh_court(court):
    from homeward.evidence.models import CourtCase

    return CourtCase.objects.get(pk=court.pk)


# -- T14 closure --------------------------------------------------------------------------------


def test_closure_needs_a_supervisor_other_than_the_requester(world):
    case = world["ru_child"].case
    request = wf.request_closure(
        case,
        actor=world["mfa.officer"],
        expected_version=case.version,
        reason="duplicate_merged",
        note="Same child as HW-2026-00002",
    )
    assert fresh(case).status == "REGISTERED"
    with pytest.raises(PermissionDenied):
        wf.approve_closure(request, actor=world["mfa.officer"])  # no approval capability
    closed = wf.approve_closure(request, actor=world["mfa.supervisor"])
    assert (closed.status, closed.closed_at is not None) == ("CLOSED", True)
    event = AuditEvent.objects.get(event_type="workflow.case.closed")
    assert (event.actor_username, event.data["closure_reason"], event.data["requested_by"]) == (
        "mfa.supervisor",
        "duplicate_merged",
        "mfa.officer",
    )


def test_supervisor_cannot_approve_own_closure_request(world):
    case = world["ru_child"].case
    request = wf.request_closure(
        case, actor=world["mfa.supervisor"], expected_version=case.version, reason="transferred_out"
    )
    before = snapshot(case)
    with pytest.raises(PermissionDenied):
        wf.approve_closure(request, actor=world["mfa.supervisor"])
    assert snapshot(case) == before


def test_closure_refused_when_the_case_moved_after_the_request(world):
    case = world["ru_child"].case
    request = wf.request_closure(
        case, actor=world["mfa.officer"], expected_version=case.version, reason="aged_out"
    )
    wf.put_on_hold(
        fresh(case), actor=world["mfa.officer"], expected_version=fresh(case).version, reason="Wait"
    )
    before = snapshot(case)
    with pytest.raises(StaleEditError):
        wf.approve_closure(request, actor=world["mfa.supervisor"])
    assert snapshot(case) == before


def test_unknown_person_is_not_touched(world):
    assert Person.objects.count() == 4
