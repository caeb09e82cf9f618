"""The statistics app writes nothing but its audit events: what was read or published."""

import datetime

from django.db import transaction

from homeward.audit.services import record_event
from homeward.reports import events

__all__ = ["record_dashboard_viewed", "record_public_export"]


@transaction.atomic(durable=True)
def record_dashboard_viewed(*, actor, query: dict, case_ids: list[str]) -> None:
    """Audit a dashboard read: the filters asked for and the cases it listed by reference."""
    record_event(
        events.DASHBOARD_VIEWED,
        actor=actor,
        data={"query": query, "ids": case_ids[:500], "total": len(case_ids)},
    )


@transaction.atomic(durable=True)
def record_public_export(
    *, actor, fmt: str, as_of: datetime.date, threshold: int, viewed: bool = False
) -> None:
    """Audit a read or an export of the public figures: format, date and threshold."""
    record_event(
        events.PUBLIC_STATISTICS_VIEWED if viewed else events.PUBLIC_STATISTICS_EXPORTED,
        actor=actor,
        data={"format": fmt, "as_of": as_of.isoformat(), "threshold": threshold},
    )
