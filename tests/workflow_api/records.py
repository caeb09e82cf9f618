"""One record of every evidence track for the Russian and the Tajik child (scope matrix pairs)."""

import datetime

from homeward.evidence import services as ev
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAComparison,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    Incident,
    NationalityClaim,
    NationalityDetermination,
    TravelDocument,
)
from homeward.people import services as people

DAY = datetime.date(2024, 5, 1)


def _one(users, child, mother, consul) -> dict:
    case = child.case
    claim = ev.record_nationality_claim(
        case, actor=users["mfa.officer"], claimed_state=case.home_state, basis="mother_national",
        claimed_by="mother", notified_on=DAY, notification_reference="NV-1",
    )  # fmt: skip
    determination = ev.record_home_state_determination(
        claim, actor=consul, decision="recognised", instrument_type="citizenship_certificate",
        instrument_reference="C-1", decided_on=DAY,
    )  # fmt: skip
    samples = [
        ev.record_dna_sample(
            case, actor=users["moh.lab"], donor=donor, sample_type="blood", collected_on=DAY,
            collected_by="MoH team",
        )
        for donor in (child, mother)
    ]  # fmt: skip
    comparison = ev.record_dna_comparison(
        case, actor=users["moh.lab"], hypothesis="mother_child", samples=samples, lab="MoH",
        method="autosomal_str", reported_on=DAY, conclusion="supported",
    )  # fmt: skip
    consent = ev.record_consent(
        case, actor=users["mfa.officer"], giver=mother, decision="given", scope="repatriation",
        decided_on=DAY, witnesses=["Social worker"],
    )  # fmt: skip
    guardian = ev.propose_guardian(
        case, actor=consul, relationship_to_child="state institution", institution="Centre"
    )
    assurance = ev.record_assurance(
        case, actor=consul, reference="NV-A", dated=DAY, items=["placement"]
    )
    bia = ev.record_bia(
        case, actor=users["unicef.officer"], trigger="routine", assessor="UNICEF",
        recommendation="return", assessed_on=DAY,
    )  # fmt: skip
    clearance = ev.request_clearance(case, actor=users["mfa.officer"], clearance_type="medical")
    document = ev.record_travel_document(
        case, actor=consul, document_type="passport", number="P1", issued_by="Embassy",
        issued_on=DAY, valid_until=DAY.replace(year=2030),
    )  # fmt: skip
    exit_authorization = ev.record_exit_authorization(
        case, actor=users["moi.residency"], reference="EX-1", judicial_decision_reference="J-1",
        authorised_on=DAY,
    )  # fmt: skip
    incident = ev.record_incident(
        case, actor=users["moj.registrar"], incident_type="transfer", occurred_on=DAY,
        description="Moved",
    )  # fmt: skip
    court_case = ev.record_court_case(
        mother, actor=users["moj.registrar"], court="CCCI", case_number=f"{case.reference}/1",
        stage="on_trial",
    )  # fmt: skip
    return {
        NationalityClaim: claim,
        NationalityDetermination: determination,
        DNASample: samples[0],
        DNAComparison: comparison,
        Consent: consent,
        GuardianCandidate: guardian,
        Assurance: assurance,
        BestInterestsAssessment: bia,
        Clearance: clearance,
        TravelDocument: document,
        ExitAuthorization: exit_authorization,
        Incident: incident,
        CourtCase: court_case,
    }


def evidence_pairs(users, registry) -> dict:
    """Model -> (Russian record, Tajik record)."""
    officer = users["mfa.officer"]
    tj_mother = people.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1990, 1, 1),
            "dob_precision": "year",
        },
        names=[{"full_text": "ملكة رحيموفا", "name_type": "court_record"}],
    )
    people.link_relative(
        registry["tj_child"], actor=officer, relative=tj_mother, relationship_type="mother",
        basis="declared",
    )  # fmt: skip
    ru = _one(users, registry["ru_child"], registry["ru_mother"], users["consul.ru"])
    tj = _one(users, registry["tj_child"], tj_mother, users["consul.tj"])
    return {model: (ru[model], tj[model]) for model in ru}
