"""Matching tracing requests against the registry, both ways.

A request is compared with the registry when it is filed (or refreshed): its child is
sought among registered children and its mother among registered adults, with the same
matcher and weights as the search page (`engine.find_candidates`). A new registration is
compared with the open requests when it is saved: the people services call
`match_new_person` inside their own transaction, so the proposal commits or rolls back with
the registration and no signal hides the step.

Both directions are the system's own view: every registry record is a possible answer, and
the stored `TracingMatch` rows are scoped when read (a match is visible only to who sees
both the request and the person). So a consul's tracing results never show another
state's child, while the ministry sees a Russian request answered by a child whose case
is still filed under another state.

These functions write derived proposals only and run inside the caller's service
transaction; `create_tracing_request` records the filing, `match_new_person` one event for
what a registration proposed.
"""

import datetime

from django.db.models import Count

from homeward.audit.services import record_event
from homeward.matching import events
from homeward.matching.duplicates import explanation
from homeward.matching.engine import (
    Candidate,
    Record,
    find_candidates,
    parameters,
    record_for_query,
    registry_records,
    score_pair,
)
from homeward.matching.models import (
    NameKey,
    TracingMatch,
    TracingMatchOrigin,
    TracingRequest,
    TracingRole,
    TracingStatus,
)
from homeward.people.choices import PersonKind
from homeward.people.models import Person

__all__ = [
    "MIN_SCORE",
    "PROPOSED_PER_ROLE",
    "match_new_person",
    "propose_matches",
    "request_keys",
    "request_records",
]

# Below this a candidate is not worth a reviewer's time; requests state little (a name and
# a year), so the cut is lower than the duplicate threshold and the list stays ranked.
MIN_SCORE = 0.2
PROPOSED_PER_ROLE = 10


def _year_range(year: int | None, margin: int = 1) -> tuple:
    """Relatives give a year from memory: a year either side of it."""
    if not year:
        return None, None
    return datetime.date(year - margin, 1, 1), datetime.date(year + margin, 12, 31)


def _other_names(request: TracingRequest) -> list[str]:
    return [line.strip() for line in request.child_other_names.splitlines() if line.strip()]


def request_records(request: TracingRequest) -> dict[str, Record]:
    """The child and (when named) the mother as the matcher's Records."""
    earliest, latest = _year_range(request.child_birth_year)
    records = {
        TracingRole.CHILD: record_for_query(
            names=[request.child_name, *_other_names(request)],
            sex=request.child_sex,
            born_earliest=earliest,
            born_latest=latest,
            mother=[request.mother_name] if request.mother_name else [],
            father=[request.father_name] if request.father_name else [],
            ref=request.pk,
        )
    }
    if request.mother_name.strip():
        earliest, latest = _year_range(request.mother_birth_year, margin=2)
        records[TracingRole.MOTHER] = record_for_query(
            names=[request.mother_name], sex="female", born_earliest=earliest, born_latest=latest
        )
    return records


def request_keys(request: TracingRequest) -> list[str]:
    """Phonetic keys of the child's and the mother's names (stored for new registrations)."""
    keys: set[str] = set()
    for record in request_records(request).values():
        for name in record.names:
            keys |= name.keys
    return sorted(keys)


_KINDS = {TracingRole.CHILD: PersonKind.CHILD, TracingRole.MOTHER: PersonKind.ADULT}


def _population(kind: str):
    return Person.objects.filter(kind=kind, merged_into__isnull=True)


def _store(request, person_id, role, value, comparisons, origin) -> bool:
    _match, created = TracingMatch.objects.get_or_create(
        request=request,
        person_id=person_id,
        defaults={
            "role": role,
            "score": round(value, 3),
            "explanation": explanation(comparisons),
            "origin": origin,
        },
    )
    return created


def propose_matches(
    request: TracingRequest, *, origin: str = TracingMatchOrigin.REQUEST
) -> list[TracingMatch]:
    """Store the best registry candidates for `request` not yet proposed (in any status).

    A rejected candidate is never proposed again; a confirmed one stays as it is.
    """
    params = parameters()
    created = []
    for role, record in request_records(request).items():
        candidates: list[Candidate] = find_candidates(
            None,
            record,
            kind=None,
            limit=PROPOSED_PER_ROLE,
            min_score=MIN_SCORE,
            params=params,
            among=_population(_KINDS[role]),
        )
        for candidate in candidates:
            if _store(
                request, candidate.person.pk, role, candidate.score, candidate.comparisons, origin
            ):
                created.append(candidate.person.pk)
    return list(TracingMatch.objects.filter(request=request, person_id__in=created))


def _frequencies(kind: str, keys: set[str]) -> tuple[dict[str, float], int]:
    population = _population(kind)
    total = population.count()
    rows = (
        NameKey.objects.filter(part=NameKey.GIVEN, key__in=keys, person__in=population)
        .values("key")
        .annotate(people=Count("person", distinct=True))
    )
    return {row["key"]: row["people"] / (total or 1) for row in rows}, total


def match_new_person(person: Person, *, actor) -> list[TracingMatch]:
    """Compare a person just registered with every open request sharing a name key.

    Called by `people.services` in the registration's own transaction, after the names
    and their keys are written; writes one audit event when it proposes anything.
    """
    role = TracingRole.CHILD if person.kind == PersonKind.CHILD else TracingRole.MOTHER
    keys = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    if not keys:
        return []
    open_requests = [
        request
        for request in TracingRequest.objects.filter(status=TracingStatus.OPEN).only(
            "pk", "name_keys"
        )
        if keys.intersection(request.name_keys)
    ]
    if not open_requests:
        return []
    params = parameters()
    registered = registry_records(None, [person.pk])[person.pk]
    frequencies, population = _frequencies(person.kind, keys)
    prior = 1.0 / (population + 1)
    created = []
    for request in TracingRequest.objects.filter(pk__in=[item.pk for item in open_requests]):
        record = request_records(request).get(role)
        if record is None:
            continue
        value, comparisons = score_pair(
            record, registered, params, frequencies=frequencies, prior=prior
        )
        if value >= MIN_SCORE and _store(
            request, person.pk, role, value, comparisons, TracingMatchOrigin.REGISTRATION
        ):
            created.append(request.pk)
    if not created:
        return []
    proposed = list(TracingMatch.objects.filter(person=person, request_id__in=created))
    record_event(
        events.TRACING_MATCHES_PROPOSED,
        actor=actor,
        target=person,
        data={
            "requests": sorted(f"TR-{pk:05d}" for pk in created),
            "scores": [match.score for match in proposed],
        },
    )
    return proposed
