"""Read use cases of return operations: lists, calendar, readiness, returned children.

`returned_children()` is the one definition of a returned child that statistics build on:
a child's manifest entry BOARDED on an operation whose handover is recorded.
"""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from homeward.cases.choices import CaseStatus
from homeward.operations.choices import EntryStatus
from homeward.operations.models import FollowUpReport, ManifestEntry, Operation
from homeward.operations.rules import Readiness, check_cases

__all__ = [
    "calendar_month",
    "follow_up_due",
    "operation_readiness",
    "operations_for",
    "returned_children",
]


def operations_for(user, action: str = "view"):
    """The operations `user` may see, with their manifest counts."""
    return (
        Operation.objects.for_user(user, action)
        .select_related("home_state")
        .annotate(
            children_count=Count("entries", filter=Q(entries__case__isnull=False)),
            adults_count=Count("entries", filter=Q(entries__case__isnull=True)),
        )
    )


def calendar_month(user, year: int, month: int) -> dict[datetime.date, list[Operation]]:
    """Day -> the operations planned (or flown) that day, for one month."""
    first = datetime.date(year, month, 1)
    after = datetime.date(year + month // 12, month % 12 + 1, 1)
    found: dict[datetime.date, list[Operation]] = {}
    for operation in (
        operations_for(user)
        .filter(
            Q(planned_date__gte=first, planned_date__lt=after)
            | Q(actual_date__gte=first, actual_date__lt=after)
        )
        .order_by("planned_date", "reference")
    ):
        day = operation.actual_date or operation.planned_date
        if first <= day < after:
            found.setdefault(day, []).append(operation)
    return found


def operation_readiness(operation: Operation) -> list[Readiness]:
    """Each child on the manifest still waiting: ready, or what is missing at the planned date.

    Children already boarded or not boarded are left out (nothing is missing any more).
    """
    entries = list(
        operation.entries.filter(
            case__isnull=False, status__in=[EntryStatus.PLANNED, EntryStatus.CONFIRMED]
        )
        .select_related("case__child", "case__home_state")
        .order_by("case__reference")
    )
    cases = [entry.case for entry in entries]
    reasons = check_cases(operation, cases)
    return [Readiness(case, tuple(reasons[case.pk])) for case in cases]


def returned_children(queryset_of_entries=None):
    """Children's manifest entries BOARDED on an operation whose handover is recorded.

    Adults never count. The date of return is `operation__handover__handed_over_at`.
    """
    entries = ManifestEntry.objects.all() if queryset_of_entries is None else queryset_of_entries
    return entries.filter(
        case__isnull=False,
        status=EntryStatus.BOARDED,
        operation__handover__isnull=False,
    )


def follow_up_due(user, *, today: datetime.date | None = None):
    """Follow-up reports not received yet, due by today (overdue: due before today)."""
    today = today or timezone.localdate()
    return (
        FollowUpReport.objects.for_user(user, "view")
        .filter(received_on__isnull=True, due_date__lte=today)
        .exclude(case__status__in=[CaseStatus.CLOSED, CaseStatus.DECEASED])
        .select_related("case", "case__home_state")
        .prefetch_related(Prefetch("case__child__names"))
        .order_by("due_date")
    )
