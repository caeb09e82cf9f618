"""Scoping of every evidence and workflow model: a consul sees its own nationals' rows only,
and sealed tables need their own grant on top.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.evidence import services as ev
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAComparison,
    DNAResult,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    Incident,
    NationalityClaim,
    NationalityDetermination,
    SecurityAssessment,
    Sentence,
    TravelDocument,
)
from homeward.workflow import services as wf
from homeward.workflow.models import CaseTransition, ClosureRequest, RequirementsPolicy, Task
from homeward.workflow.rules import run_daily_rules
from tests.workflow.conftest import ago, claim_and_engage, today

pytestmark = pytest.mark.django_db

WORKFLOW_SCOPED_MODELS = {
    model._meta.model_name: model
    for model in (
        NationalityClaim,
        NationalityDetermination,
        DNASample,
        DNAComparison,
        DNAResult,
        Consent,
        GuardianCandidate,
        Assurance,
        BestInterestsAssessment,
        Clearance,
        SecurityAssessment,
        TravelDocument,
        ExitAuthorization,
        Incident,
        CourtCase,
        Sentence,
        RequirementsPolicy,
        CaseTransition,
        ClosureRequest,
        Task,
    )
}
SEALED = {"dnaresult": {"moh.lab", "hjc.judge"}, "securityassessment": {"security.liaison"}}


def _evidence_for(w, child, mother=None):
    """One row of every evidence and workflow model on `child`'s case."""
    case = child.case
    officer, lab = w["mfa.officer"], w["moh.lab"]
    consul = w["consul.ru"] if case.home_state_id == "RU" else w["consul.tj"]
    claim = claim_and_engage(w, case)
    ev.record_home_state_determination(
        claim,
        actor=consul,
        decision="pending_court",
        instrument_type="note_verbale",
        decided_on=ago(1),
    )
    samples = [
        ev.record_dna_sample(
            case,
            actor=lab,
            donor=child,
            sample_type="blood",
            collected_on=ago(2),
            collected_by="MoH",
        )
        for _ in range(2)
    ]
    ev.record_dna_comparison(
        case,
        actor=lab,
        hypothesis="siblings",
        samples=samples,
        lab="MoH",
        method="autosomal_str",
        reported_on=ago(1),
        conclusion="supported",
    )
    ev.record_consent_substitute(
        case,
        actor=w["hjc.judge"],
        scope="repatriation",
        court_decision_reference="C",
        decided_on=ago(1),
    )
    ev.propose_guardian(
        case, actor=consul, institution="State care", relationship_to_child="institution"
    )
    ev.record_assurance(case, actor=consul, reference="A", dated=ago(1), items=["rights"])
    ev.record_bia(
        case,
        actor=w["unicef.officer"],
        trigger="routine",
        assessor="UNICEF",
        recommendation="return",
        assessed_on=ago(1),
    )
    security = ev.request_clearance(case, actor=officer, clearance_type="security")
    ev.decide_clearance(
        security, actor=w["security.liaison"], approve=True, reference="S", assessment="ok"
    )
    ev.record_travel_document(
        case,
        actor=consul,
        document_type="passport",
        number="P1",
        issued_by="Embassy",
        issued_on=ago(1),
        valid_until=ago(-365),
    )
    ev.record_exit_authorization(
        case,
        actor=w["moi.residency"],
        reference="E",
        judicial_decision_reference="J",
        authorised_on=ago(1),
    )
    ev.record_incident(
        case, actor=officer, incident_type="hospitalisation", occurred_on=ago(1), description="d"
    )
    court = ev.record_court_case(
        child,
        actor=w["moj.registrar"],
        court="Juvenile Court",
        case_number=f"J-{case.reference}",
        stage="convicted",
        verdict_on=ago(9),
    )
    ev.record_sentence(court, actor=w["moj.registrar"], sentence_type="months", length=3)
    held = wf.put_on_hold(
        case,
        actor=officer,
        expected_version=case.__class__.objects.get(pk=case.pk).version,
        reason="r",
    )
    wf.request_closure(
        held, actor=officer, expected_version=held.version, reason="duplicate_merged"
    )


def _rows(model, user) -> set:
    return set(model.objects.for_user(user, "view").values_list("pk", flat=True))


def test_every_model_is_scoped_to_the_viewers_home_states(world):
    # given one row of everything for a Russian and a Tajik child
    from homeward.people import services as people

    for child in (world["ru_brother"], world["tj_child"]):
        people.update_person(
            child,
            actor=world["mfa.officer"],
            expected_version=child.version,
            changes={"date_of_birth": today().replace(year=today().year - 12)},
        )
        child.refresh_from_db()
        _evidence_for(world, child)
    run_daily_rules(today())  # tasks
    # when each consul and the officer list every model
    for name, model in WORKFLOW_SCOPED_MODELS.items():
        everything = set(model.objects.values_list("pk", flat=True))
        ru = _rows(model, world["consul.ru"])
        tj = _rows(model, world["consul.tj"])
        # then a consul's rows and the other consul's rows never meet, and the officer sees all
        assert ru & tj == set(), name
        if name in SEALED:
            for username in ("mfa.officer", "consul.ru", "consul.tj", "auditor"):
                assert _rows(model, world[username]) == set(), (name, username)
            for username in SEALED[name]:
                assert _rows(model, world[username]) == everything, (name, username)
            continue
        assert _rows(model, world["mfa.officer"]) == everything, name
        if name != "task":
            assert ru and tj, name
            assert ru | tj == everything or name == "requirementspolicy", name


def test_scope_names_are_listed():
    assert len(WORKFLOW_SCOPED_MODELS) == 20
