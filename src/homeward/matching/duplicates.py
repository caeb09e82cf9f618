"""The registry-wide duplicate search behind `homeward find_duplicates`.

It reuses the interactive matcher's pieces, so a pair scores the same here as on the search
page: candidates come from the NameKey blocking index (people sharing a phonetic key of a
name part, best-shared first, at most MAX_CANDIDATES per person — never all pairs), and each
is scored by `engine.score_pair` with the registry's given-name frequencies. Every pair is
looked at from its smaller id only, and `propose_duplicate` skips pairs already known in any
status, so running the job again proposes nothing twice and never re-proposes a rejected
pair. It is the system's own view (run by an operator), hence unscoped; what a reviewer then
sees is scoped by `DuplicateCandidate.objects.for_user`.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count

from homeward.audit.services import record_event
from homeward.matching import events
from homeward.matching.engine import (
    MAX_CANDIDATES,
    Comparison,
    Parameters,
    parameters,
    registry_records,
    score_pair,
)
from homeward.matching.models import NameKey
from homeward.matching.services import propose_duplicate
from homeward.people.choices import PersonKind
from homeward.people.models import Person

__all__ = ["DuplicateRun", "explanation", "find_duplicates"]

CHUNK = 500


@dataclass
class DuplicateRun:
    people: int = 0
    compared: int = 0
    proposed: int = 0


def explanation(comparisons: list[Comparison]) -> list[dict]:
    """The comparison as stored JSON (and rebuilt for display by `comparisons_from`)."""
    return [asdict(item) for item in comparisons]


def comparisons_from(data: list[dict]) -> list[Comparison]:
    return [Comparison(**item) for item in data]


def _given_frequencies(population: int) -> dict[str, float]:
    rows = (
        NameKey.objects.filter(
            part=NameKey.GIVEN, person__kind=PersonKind.CHILD, person__merged_into__isnull=True
        )
        .values("key")
        .annotate(people=Count("person", distinct=True))
    )
    total = population or 1
    return {row["key"]: row["people"] / total for row in rows}


def find_duplicates(
    *,
    threshold: float | None = None,
    actor=None,
    params: Parameters | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DuplicateRun:
    """Propose every pair of registered children scoring at or above `threshold`."""
    params = params or parameters()
    threshold = params.threshold if threshold is None else threshold
    children = Person.objects.filter(kind=PersonKind.CHILD, merged_into__isnull=True)
    population = children.count()
    frequencies = _given_frequencies(population)
    prior = 1.0 / (population + 1)
    run = DuplicateRun(people=population)
    ids = list(children.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        keys: dict = {}
        for person_id, key in NameKey.objects.filter(person_id__in=chunk).values_list(
            "person_id", "key"
        ):
            keys.setdefault(person_id, set()).add(key)
        pairs: dict = {}
        for pk in chunk:
            if not keys.get(pk):
                continue
            blocked = (
                NameKey.objects.filter(key__in=keys[pk], person__in=children, person_id__gt=pk)
                .values("person_id")
                .annotate(hits=Count("key", distinct=True))
                .order_by("-hits", "person_id")
            )
            pairs[pk] = [row["person_id"] for row in blocked[:MAX_CANDIDATES]]
        wanted = set(pairs) | {other for others in pairs.values() for other in others}
        records = registry_records(None, wanted)
        with transaction.atomic():
            for pk, others in pairs.items():
                for other in others:
                    run.compared += 1
                    probability, comparisons = score_pair(
                        records[pk], records[other], params, frequencies=frequencies, prior=prior
                    )
                    if probability < threshold:
                        continue
                    if propose_duplicate(
                        Person(pk=pk),
                        Person(pk=other),
                        score=round(probability, 3),
                        explanation=explanation(comparisons),
                    ):
                        run.proposed += 1
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    with transaction.atomic():
        record_event(
            events.DUPLICATES_PROPOSED,
            actor=actor,
            data={
                "people": run.people,
                "compared": run.compared,
                "proposed": run.proposed,
                "threshold": threshold,
            },
        )
    return run
