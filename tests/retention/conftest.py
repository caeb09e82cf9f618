"""A returned Russian child with sealed DNA and security records and a document; a Tajik child
still in custody with the same. Every personal value carries a canary to look for after a purge.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.attachments import services as attachment_services
from homeward.cases.models import Case
from homeward.evidence.models import (
    Clearance,
    DNAComparison,
    DNAResult,
    DNASample,
    SecurityAssessment,
)
from homeward.workflow.models import CaseTransition

HANDED_OVER_AT = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)


def hand_over(case: Case, at: datetime.datetime) -> None:
    """The case as the workflow leaves it after a handover (test set-up, not a service)."""
    Case.objects.filter(pk=case.pk).update(status="HANDED_OVER", status_changed_at=at)
    CaseTransition.objects.create(
        case=case,
        transition="handed_over",
        from_status="SCHEDULED",
        to_status="HANDED_OVER",
        at=at,
    )


def sealed_records(case: Case, officer, canary: str) -> dict:
    sample = DNASample.objects.create(
        case=case,
        donor=case.child,
        sample_type="blood",
        collected_on=datetime.date(2024, 5, 1),
        collected_by=f"{canary}-collector",
        consent_reference=f"{canary}-consent",
    )
    comparison = DNAComparison.objects.create(
        case=case,
        hypothesis="mother_child",
        lab="MoH",
        method="autosomal_str",
        reported_on=datetime.date(2024, 6, 1),
    )
    comparison.samples.add(sample)
    result = DNAResult.objects.create(
        comparison=comparison, conclusion="supported", report_reference=f"{canary}-report"
    )
    clearance = Clearance.objects.create(
        case=case, clearance_type="security", requested_at=timezone.now()
    )
    assessment = SecurityAssessment.objects.create(
        clearance=clearance, assessment=f"{canary}-assessment"
    )
    document = attachment_services.add_attachment(
        case.child,
        actor=officer,
        upload=SimpleUploadedFile(f"{canary}.pdf", f"%PDF-1.4\n%{canary}\n%%EOF\n".encode()),
        kind="court_decision",
        title=f"{canary}-title",
    )
    return {
        "sample": sample,
        "comparison": comparison,
        "result": result,
        "clearance": clearance,
        "assessment": assessment,
        "document": document,
    }


@pytest.fixture
def returned(users, registry) -> dict:
    """The Russian child handed over on 1 March 2025; the Tajik child still in custody."""
    officer = users["mfa.officer"]
    ru_case, tj_case = registry["ru_child"].case, registry["tj_child"].case
    ru = sealed_records(ru_case, officer, "CANARY7RU")
    tj = sealed_records(tj_case, officer, "CANARY7TJ")
    hand_over(ru_case, HANDED_OVER_AT)
    return {"ru_case": ru_case, "tj_case": tj_case, "ru": ru, "tj": tj, **registry}
