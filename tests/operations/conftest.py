"""Operations fixtures: one Russian and one Tajik row of every operations model."""

import datetime

import pytest
from django.utils import timezone

from homeward.core.models import HomeState

DAY = datetime.date(2026, 6, 10)


def operations_pairs(users, registry) -> dict:
    """One RU and one TJ row of every operations model, for the scope tests and matrix."""
    from homeward.operations import models

    officer = users["mfa.officer"]
    made = {}
    for code, child in (("RU", registry["ru_child"]), ("TJ", registry["tj_child"])):
        operation = models.Operation.objects.create(
            reference=f"{code}-2026-06-10",
            home_state=HomeState.objects.get(code=code),
            planned_date=DAY,
            created_by=officer,
        )
        member = models.OperationMember.objects.create(
            operation=operation, role="doctor", side="home", name=f"Doctor {code}"
        )
        change = models.OperationDateChange.objects.create(
            operation=operation,
            from_date=DAY - datetime.timedelta(days=7),
            to_date=DAY,
            reason="Weather",
            actor=officer,
        )
        entry = models.ManifestEntry.objects.create(
            operation=operation, person=child, case=child.case
        )
        handover = models.Handover.objects.create(
            operation=operation,
            handed_over_at=timezone.now(),
            location="Baghdad International Airport",
            attested_by=officer,
        )
        item = models.HandoverItem.objects.create(
            entry=entry, identity_checked_by="Officer", identity_method="photo"
        )
        reconciliation = models.Reconciliation.objects.create(
            operation=operation, planned_count=1, actual_count=1, reconciled_by=officer
        )
        report = models.FollowUpReport.objects.create(case=child.case, due_date=DAY)
        arrival = models.Arrival.objects.create(
            case=child.case, arrived_on=DAY, placement="relatives", confirmed_by=officer
        )
        made[code] = {
            models.Operation: operation,
            models.OperationMember: member,
            models.OperationDateChange: change,
            models.ManifestEntry: entry,
            models.Handover: handover,
            models.HandoverItem: item,
            models.Reconciliation: reconciliation,
            models.FollowUpReport: report,
            models.Arrival: arrival,
        }
    return {model: (made["RU"][model], made["TJ"][model]) for model in made["RU"]}


@pytest.fixture
def pairs(users, registry):
    return operations_pairs(users, registry)
