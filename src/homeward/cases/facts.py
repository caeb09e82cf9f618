"""Stored per-case facts the statistics read: when the child's limbo began and ended.

Time in limbo runs from the child's first custody episode (else the case's opening, as a
Baghdad date) to the first handover of the child's BOARDED entry on a completed or
reconciled operation. Finding both at every dashboard read meant joining every case with
its custody episodes, manifest entries, operations and handovers and grouping them again;
they are stored on the case instead (`Case.held_since`, `Case.handed_over_at`) and
recomputed from those records, in the same transaction, by every service that changes
them: registering a child, a custody move, the bulk writer, completing an operation, a
merge and its undo (and the demo and benchmark seeders, which write in bulk).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

__all__ = ["fill_limbo_facts", "refresh_limbo_facts"]

RETURNING_OPERATIONS = ("completed", "reconciled")  # operations.choices.OperationStatus


def fill_limbo_facts(cases, episode_model, entry_model) -> int:
    """Recompute the facts of the `cases` queryset in one UPDATE.

    The models are passed in so the data migration can use its historical ones.
    """
    first_custody = (
        episode_model.objects.filter(child_id=OuterRef("child_id"))
        .order_by()
        .values("child_id")
        .annotate(first=Min("started_on"))
        .values("first")
    )
    first_handover = (
        entry_model.objects.filter(
            case_id=OuterRef("pk"),
            status="boarded",  # operations.choices.EntryStatus.BOARDED
            operation__status__in=RETURNING_OPERATIONS,
        )
        .order_by()
        .values("case_id")
        .annotate(first=Min("operation__handover__handed_over_at"))
        .values("first")
    )
    opened_on = TruncDate("opened_at", tzinfo=timezone.get_current_timezone())
    return cases.update(
        held_since=Coalesce(Subquery(first_custody), opened_on),
        handed_over_at=Subquery(first_handover),
    )


def refresh_limbo_facts(*, case_ids: Iterable = (), child_ids: Iterable = ()) -> int:
    """Recompute the facts of the cases named, or of the children named (their cases)."""
    from homeward.cases.models import Case
    from homeward.operations.models import ManifestEntry
    from homeward.people.models import CustodyEpisode

    case_ids, child_ids = [pk for pk in case_ids if pk], [pk for pk in child_ids if pk]
    if not case_ids and not child_ids:
        return 0
    cases = Case.objects.filter(pk__in=case_ids) | Case.objects.filter(child_id__in=child_ids)
    return fill_limbo_facts(cases, CustodyEpisode, ManifestEntry)
