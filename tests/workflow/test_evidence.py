"""Evidence services: who may record what, for whom; sealed results; audit events."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.audit.models import AuditEvent
from homeward.core.exceptions import OutOfScopeError
from homeward.core.models import HomeState
from homeward.evidence import services as ev
from homeward.evidence.models import (
    Clearance,
    DNAComparison,
    DNAResult,
    DNASample,
    NationalityClaim,
    NationalityDetermination,
    SecurityAssessment,
)
from homeward.workflow.gates import requirements_for
from homeward.workflow.models import CaseTransition
from tests.workflow.conftest import ago, at_status, audit_head, claim_and_engage, fresh, last_event

pytestmark = pytest.mark.django_db


def counts():
    return (
        NationalityClaim.objects.count(),
        NationalityDetermination.objects.count(),
        DNASample.objects.count(),
        DNAComparison.objects.count(),
        Clearance.objects.count(),
        audit_head(),
    )


def test_claim_is_recorded_with_the_policy_in_force_and_audited(world):
    case = world["tj_child"].case
    claim = ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="self_declared",
        claimed_by="mother",
        notified_on=ago(3),
        notification_reference="NV-3",
    )
    assert (claim.status, claim.policy.version, claim.policy.home_state_id) == ("open", 1, "TJ")
    event = last_event()
    assert (event.event_type, event.actor_username, event.case_id, event.home_state) == (
        "evidence.nationality_claim.recorded",
        "mfa.officer",
        case.pk,
        "TJ",
    )
    assert event.data == {
        "claimed_state": "TJ",
        "basis": "self_declared",
        "notified_on": ago(3).isoformat(),
    }


def test_only_the_home_states_determination_confirms_a_claim(world):
    # given a Tajik child's claim
    case = world["tj_child"].case
    claim = claim_and_engage(world, case)
    before = counts()
    # when the Russian consul or a case officer tries to answer for Tajikistan
    with pytest.raises(OutOfScopeError):
        ev.record_home_state_determination(
            claim,
            actor=world["consul.ru"],
            decision="recognised",
            instrument_type="note_verbale",
            instrument_reference="X",
            decided_on=ago(1),
        )
    with pytest.raises(PermissionDenied):
        ev.record_home_state_determination(
            claim,
            actor=world["mfa.officer"],
            decision="recognised",
            instrument_type="note_verbale",
            instrument_reference="X",
            decided_on=ago(1),
        )
    assert counts() == before
    # then only the Tajik consul's recognition, citing its instrument, confirms it
    with pytest.raises(ValidationError):
        ev.record_home_state_determination(
            claim,
            actor=world["consul.tj"],
            decision="recognised",
            instrument_type="note_verbale",
            decided_on=ago(1),
        )
    determination = ev.record_home_state_determination(
        claim,
        actor=world["consul.tj"],
        decision="recognised",
        instrument_type="note_verbale",
        instrument_reference="TJ-NV-22",
        decided_on=ago(1),
    )
    assert NationalityClaim.objects.get(pk=claim.pk).status == "confirmed"
    assert determination.policy.version == 1
    assert last_event().event_type == "evidence.nationality_determination.recorded"


def test_consul_cannot_record_dna(world):
    case = world["ru_child"].case
    before = counts()
    with pytest.raises(PermissionDenied):
        ev.record_dna_sample(
            case,
            actor=world["consul.ru"],
            donor=case.child,
            sample_type="blood",
            collected_on=ago(1),
            collected_by="x",
        )
    assert counts() == before


def test_consul_cannot_act_on_another_states_child(world):
    case = world["tj_child"].case
    before = counts()
    with pytest.raises(OutOfScopeError):
        ev.record_travel_document(
            case,
            actor=world["consul.ru"],
            document_type="passport",
            number="1",
            issued_by="Embassy of Russia",
            issued_on=ago(1),
            valid_until=ago(-300),
        )
    with pytest.raises(OutOfScopeError):
        ev.record_assurance(
            case, actor=world["consul.ru"], reference="R", dated=ago(1), items=["rights"]
        )
    assert counts() == before


def _dna(world, conclusion):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    lab = world["moh.lab"]
    samples = [
        ev.record_dna_sample(
            case,
            actor=lab,
            donor=donor,
            sample_type="blood",
            collected_on=ago(9),
            collected_by="MoH",
        )
        for donor in (case.child, world["ru_mother"])
    ]
    comparison = ev.record_dna_comparison(
        fresh(case),
        actor=lab,
        hypothesis="mother_child",
        samples=samples,
        lab="MoH Baghdad",
        method="autosomal_str",
        reported_on=ago(2),
        conclusion=conclusion,
        statistic_kind="likelihood_ratio",
        statistic=0.0,
        report_reference="DNA-9",
    )
    return fresh(case), comparison


def test_dna_result_is_sealed_from_users_without_the_grant(world):
    # given an inconclusive comparison
    case, comparison = _dna(world, "inconclusive")
    # then the lab and the judge see the conclusion; the officer and the consul do not
    assert comparison.conclusion_display_for(world["moh.lab"]) == "Inconclusive"
    assert comparison.conclusion_display_for(world["hjc.judge"]) == "Inconclusive"
    for username in ("mfa.officer", "consul.ru", "auditor", "unicef.officer"):
        assert comparison.result_for(world[username]) is None
        assert (
            comparison.conclusion_display_for(world[username])
            == "DNA comparison recorded (result sealed)"
        )
        assert DNAResult.objects.for_user(world[username]).count() == 0
    # and the requirement shown to them says a result exists, not what it says
    officer_view = {
        r.code: r
        for r in requirements_for(case, target="NATIONALITY_CONFIRMED", viewer=world["mfa.officer"])
    }
    lab_view = {
        r.code: r
        for r in requirements_for(case, target="NATIONALITY_CONFIRMED", viewer=world["moh.lab"])
    }
    assert officer_view["dna.mother_child"].describe() == (
        "DNA comparison recorded (result sealed) — MoH DNA laboratory — 0 days"
    )
    assert lab_view["dna.mother_child"].describe() == (
        "Missing: Mother-child DNA comparison (inconclusive: a new comparison is needed)"
        " — MoH DNA laboratory — 0 days"
    )
    # and the audit event does not carry it
    event = AuditEvent.objects.get(event_type="evidence.dna_comparison.recorded")
    assert event.data == {
        "hypothesis": "mother_child",
        "lab": "MoH Baghdad",
        "method": "autosomal_str",
        "samples": 2,
    }
    assert "inconclusive" not in str(event.data)
    assert str(comparison.sealed_result) == "Sealed DNA result"


def test_dna_exclusion_disputes_the_nationality(world):
    # when the lab records an exclusion of the claimed mother
    case, _comparison = _dna(world, "excluded")
    # then the case is disputed, remembering where it was, with a neutral reason
    assert (case.status, case.return_status) == ("NATIONALITY_DISPUTED", "VERIFICATION")
    transition = CaseTransition.objects.get(case=case, transition="nationality_disputed")
    assert transition.reason == "A DNA comparison needs review (result sealed)."
    event = AuditEvent.objects.get(event_type="workflow.case.nationality_disputed")
    assert event.actor_username == "moh.lab"
    assert "excluded" not in str(event.data)
    # and the officer's view of the gate does not say "excluded"
    shown = requirements_for(case, target="NATIONALITY_CONFIRMED", viewer=world["mfa.officer"])
    assert all("xclu" not in r.describe() for r in shown)


def test_security_assessment_is_sealed(world):
    case = world["ru_child"].case
    clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="security")
    before = counts()
    with pytest.raises(PermissionDenied):
        ev.decide_clearance(
            clearance, actor=world["hjc.judge"], approve=True, reference="S", assessment="x"
        )
    assert counts() == before
    decided = ev.decide_clearance(
        clearance,
        actor=world["security.liaison"],
        approve=True,
        reference="NSS-4",
        assessment="Mother's contacts reviewed",
        conditions="Escort required",
    )
    assert (decided.status, decided.conditions, decided.decided_by.username) == (
        "approved",
        "",
        "security.liaison",
    )
    assert decided.assessment_for(world["security.liaison"]).conditions == "Escort required"
    assert decided.assessment_for(world["mfa.officer"]) is None
    assert SecurityAssessment.objects.for_user(world["consul.ru"]).count() == 0
    event = last_event()
    assert event.event_type == "evidence.clearance.decided"
    assert event.data == {
        "clearance_type": "security",
        "status": "approved",
        "reference": "NSS-4",
        "expires_at": None,
        "conditions": True,
        "policy_version": 1,
    }


def test_clearance_is_decided_once(world):
    case = world["ru_child"].case
    clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    ev.decide_clearance(clearance, actor=world["hjc.judge"], approve=False, comments="Pending case")
    before = counts()
    with pytest.raises(ValidationError):
        ev.decide_clearance(clearance, actor=world["hjc.judge"], approve=True, reference="J")
    assert counts() == before


def test_consent_refused_needs_a_judicial_substitute_and_a_bid(world):
    # given a French-style policy needing consent (Tajikistan allows no substitute)
    case = world["ru_child"].case
    from homeward.workflow.policies import publish_policy

    publish_policy(
        HomeState.objects.get(code="RU"),
        actor=world["mfa.supervisor"],
        reason="Consent now required",
        effective_from=ago(30),
        requires_mother_consent=True,
    )
    ev.record_consent(
        case,
        actor=world["mfa.officer"],
        giver=world["ru_mother"],
        decision="refused",
        scope="repatriation",
        decided_on=ago(5),
        language="ru",
        interpreter="I. Ivanova",
        witnesses=["UNICEF"],
    )
    shown = {
        r.code: r.describe()
        for r in requirements_for(case, target="CLEARANCE", viewer=world["mfa.officer"])
    }
    assert shown["care.consent"].startswith(
        "Consent refused: waiting for a judicial decision in its place — Higher Judicial Council"
    )
    assert shown["care.bid"].startswith(
        "Missing: Formal best-interests determination on separation from the mother"
    )
    # when the judge substitutes and a panel finds separation in the child's best interests
    with pytest.raises(PermissionDenied):
        ev.record_consent_substitute(
            case,
            actor=world["mfa.officer"],
            scope="repatriation",
            court_decision_reference="X",
            decided_on=ago(1),
        )
    ev.record_consent_substitute(
        case,
        actor=world["hjc.judge"],
        scope="repatriation",
        court_decision_reference="HJC-77",
        decided_on=ago(2),
    )
    ev.record_bia(
        case,
        actor=world["unicef.officer"],
        kind="bid",
        trigger="separation_from_mother",
        assessor="UNICEF",
        recommendation="return",
        assessed_on=ago(1),
        panel_members=["UNICEF", "MOLSA", "HJC"],
        separation_from_mother_ok=True,
    )
    statuses = {r.code: r.status for r in requirements_for(case, target="CLEARANCE")}
    # then both are met
    assert (statuses["care.consent"], statuses["care.bid"]) == ("met", "met")
    assert AuditEvent.objects.filter(event_type="evidence.consent.substituted").count() == 1


def test_a_juveniles_sentence_is_shown_only_to_holders_of_the_criminal_record_grant(world, client):
    # given a twelve-year-old Russian boy convicted by the juvenile court and serving months
    from homeward.people import services as people
    from tests.workflow.conftest import today

    child = world["ru_brother"]
    people.update_person(
        child,
        actor=world["mfa.officer"],
        expected_version=child.version,
        changes={"date_of_birth": today().replace(year=today().year - 12)},
    )
    court = ev.record_court_case(
        child,
        actor=world["moj.registrar"],
        court="Juvenile Court",
        case_number="JUV-12",
        stage="convicted",
        verdict_on=ago(9),
    )
    ev.record_sentence(court, actor=world["moj.registrar"], sentence_type="months", length=3)
    # when each reader opens the boy's page
    for username, shows in (
        ("hjc.judge", True),
        ("moj.registrar", True),
        ("consul.ru", False),
        ("mfa.officer", False),
    ):
        client.force_login(world[username])
        page = client.get(f"/people/{child.pk}/").content.decode()
        # then everyone who sees the court case sees its number and stage; only the grant
        # holders see the sentence, the others read that it is sealed
        assert "JUV-12" in page, username
        assert ("Months (Serving)" in page) is shows, username
        assert ("The sentence is sealed for you." in page) is not shows, username
