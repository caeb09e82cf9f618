"""Fixtures for sealed-data tests: a private keyring per test, and a set of canary records."""

import datetime

import pytest

from homeward.crypto.keyring import reset_keyring_cache
from homeward.evidence.models import (
    BestInterestsAssessment,
    Clearance,
    CourtCase,
    DNAComparison,
    DNAResult,
    Incident,
    SecurityAssessment,
    TravelDocument,
)


@pytest.fixture(autouse=True)
def private_keyring(settings, tmp_path):
    """Each test gets its own keyring, so rotations and retirements stay inside the test."""
    settings.HOMEWARD_KEYRING = tmp_path / "keys" / "keyring.json"
    settings.HOMEWARD_KEK_FILE = None
    reset_keyring_cache()
    yield settings.HOMEWARD_KEYRING
    reset_keyring_cache()


def canary(tag: str) -> str:
    return f"CNRY{tag}CNRY"


def make_sealed_records(child, *, tag: str = "") -> dict:
    """One record of every sealed model of `child`, with a canary in every sealed text field."""
    case = child.case
    day = datetime.date(2024, 5, 1)
    comparison = DNAComparison.objects.create(
        case=case, hypothesis="mother_child", lab="MoH lab", method="autosomal_str", reported_on=day
    )
    security = Clearance.objects.create(case=case, clearance_type="security")
    return {
        "dna": DNAResult.objects.create(
            comparison=comparison,
            conclusion="supported",
            statistic_kind="",
            statistic=None,
            report_reference=canary(f"dnareport{tag}"),
        ),
        "assessment": SecurityAssessment.objects.create(
            clearance=security,
            assessment=canary(f"assessment{tag}"),
            conditions=canary(f"secconditions{tag}"),
        ),
        "medical": Clearance.objects.create(
            case=case,
            clearance_type="medical",
            conditions=canary(f"medconditions{tag}"),
            comments=canary(f"medcomments{tag}"),
        ),
        "court_case": CourtCase.objects.create(
            defendant=child,
            court="Juvenile court",
            case_number=f"J-{tag or 1}",
            charges=[canary(f"charge{tag}")],
            stage="charged",
        ),
        "incident": Incident.objects.create(
            case=case,
            incident_type="serious_illness",
            occurred_on=day,
            description=canary(f"incident{tag}"),
        ),
        "bia": BestInterestsAssessment.objects.create(
            case=case,
            kind="bia",
            trigger="unaccompanied",
            assessor="UNICEF",
            factors_considered=canary(f"factors{tag}"),
            child_views=canary(f"views{tag}"),
            recommendation="return",
            assessed_on=day,
        ),
        "travel_document": TravelDocument.objects.create(
            case=case,
            document_type="passport",
            number=canary(f"passport{tag}"),
            issued_by="Embassy",
            issued_on=day,
            valid_until=datetime.date(2030, 1, 1),
        ),
    }
