"""Named reads of requests for evidence, and their figures (state page, pack, statistics).

Read through the caller's scope: a consul's figures are its own state's requests only.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from homeward.judicial.choices import RequestStatus
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission

__all__ = ["RequestFigures", "request_figures", "requests_for", "transmissions_for"]


def requests_for(user) -> QuerySet[EvidenceRequest]:
    return (
        EvidenceRequest.objects.for_user(user, "view")
        .select_related("home_state", "subject")
        .prefetch_related("subject__names")
    )


def transmissions_for(user, request) -> QuerySet[EvidenceTransmission]:
    return (
        EvidenceTransmission.objects.for_user(user, "view")
        .filter(request=request)
        .select_related("recorded_by", "decided_by", "disclosure")
        .prefetch_related("documents")
    )


@dataclass
class RequestFigures:
    home_state: str
    pending: int
    answered: int
    granted: int
    refused: int
    median_days_to_answer: float | None


def request_figures(user, *, home_state=None) -> list[RequestFigures]:
    """Per requesting state: pending, answered (granted, refused), median days to answer —
    counted and ranked by the database (reports.sql)."""
    from homeward.reports import sql

    queryset = EvidenceRequest.objects.for_user(user, "view")
    if home_state is not None:
        queryset = queryset.filter(home_state=home_state)
    granted = (RequestStatus.GRANTED, RequestStatus.PARTLY_GRANTED)
    counts = (
        queryset.values("home_state_id")
        .annotate(
            pending=Count("pk", filter=Q(status__in=RequestStatus.open())),
            answered=Count("pk", filter=Q(decided_on__isnull=False)),
            granted=Count("pk", filter=Q(status__in=granted)),
            refused=Count("pk", filter=Q(status=RequestStatus.REFUSED)),
        )
        .order_by("home_state_id")
    )
    medians = sql.group_summaries(
        queryset.filter(decided_on__isnull=False),
        {"home_state": F("home_state_id")},
        sql.DaysBetween(F("decided_on"), F("received_on")),
    )
    return [
        RequestFigures(
            home_state=row["home_state_id"],
            pending=row["pending"],
            answered=row["answered"],
            granted=row["granted"],
            refused=row["refused"],
            median_days_to_answer=(
                medians[(row["home_state_id"],)].median
                if (row["home_state_id"],) in medians
                else None
            ),
        )
        for row in counts
    ]
