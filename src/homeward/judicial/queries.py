"""Named reads of requests for evidence, and their figures (state page, pack, statistics).

Read through the caller's scope: a consul's figures are its own state's requests only.
"""

import statistics
from dataclasses import dataclass

from django.db.models import QuerySet

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
    """Per requesting state: pending, answered (granted, refused), median days to answer."""
    queryset = EvidenceRequest.objects.for_user(user, "view")
    if home_state is not None:
        queryset = queryset.filter(home_state=home_state)
    rows: dict[str, list] = {}
    for code, status, received, decided in queryset.values_list(
        "home_state_id", "status", "received_on", "decided_on"
    ):
        rows.setdefault(code, []).append((status, received, decided))
    figures = []
    for code in sorted(rows):
        entries = rows[code]
        days = [(d - r).days for status, r, d in entries if d is not None]
        figures.append(
            RequestFigures(
                home_state=code,
                pending=sum(1 for status, *_ in entries if status in RequestStatus.open()),
                answered=len(days),
                granted=sum(
                    1
                    for status, *_ in entries
                    if status in (RequestStatus.GRANTED, RequestStatus.PARTLY_GRANTED)
                ),
                refused=sum(1 for status, *_ in entries if status == RequestStatus.REFUSED),
                median_days_to_answer=statistics.median(days) if days else None,
            )
        )
    return figures
