"""Named read queries over people, used by pages, the API and the dashboard."""

import contextlib

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from homeward.core.normalise import normalise_name
from homeward.people.choices import PersonKind
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship

__all__ = ["children_for", "current_episode", "find_people", "relatives_visible_to"]


def children_for(user) -> QuerySet[Person]:
    """Children the user may see, ready for a list: case, names and current placement prefetched."""
    return (
        Person.objects.for_user(user, "view")
        .filter(kind=PersonKind.CHILD, case__isnull=False)
        .select_related("case", "case__home_state")
        .prefetch_related(
            Prefetch("names", queryset=PersonName.objects.order_by("-is_primary", "created_at")),
            Prefetch(
                "custody_episodes",
                queryset=CustodyEpisode.objects.filter(ended_on__isnull=True).select_related(
                    "facility"
                ),
                to_attr="open_episodes",
            ),
        )
        .order_by("case__reference")
    )


def current_episode(person: Person) -> CustodyEpisode | None:
    episodes = getattr(person, "open_episodes", None)
    if episodes is not None:
        return episodes[0] if episodes else None
    return person.custody_episodes.filter(ended_on__isnull=True).select_related("facility").first()


def relatives_visible_to(person: Person, user) -> list[tuple[str, Person, Relationship]]:
    """(label, other person, link) for each relationship of `person` whose other end `user` sees.

    A half-sibling of another nationality stays invisible to a consul: the link is dropped,
    not shown with a blank name.
    """
    visible = Person.objects.for_user(user, "view").values("pk")
    rows: list[tuple[str, Person, Relationship]] = []
    outgoing = (
        Relationship.objects.filter(person=person, relative__in=visible)
        .select_related("relative")
        .prefetch_related("relative__names")
    )
    for link in outgoing:
        rows.append((link.get_relationship_type_display(), link.relative, link))
    incoming = (
        Relationship.objects.filter(relative=person, person__in=visible)
        .select_related("person")
        .prefetch_related("person__names")
    )
    for link in incoming:
        rows.append((link.inverse_label, link.person, link))
    return rows


LOOKUP_LIMIT = 20
LOOKUP_MIN_LENGTH = 2


def find_people(user, query: str, exclude_pk=None) -> list[Person] | None:
    """Up to LOOKUP_LIMIT visible people matching `query`; None when the query is too short."""
    needle = normalise_name(query)
    if len(needle) < LOOKUP_MIN_LENGTH:
        return None
    matching = PersonName.objects.filter(search_text__contains=needle).values("person_id")
    people = (
        Person.objects.for_user(user, "view")
        .filter(Q(pk__in=matching) | Q(case__reference__iexact=query.strip()))
        .select_related("case")
        .prefetch_related("names")
        .order_by("kind", "created_at")
    )
    if exclude_pk:
        with contextlib.suppress(ValidationError):  # a malformed id excludes nobody
            people = people.exclude(pk=exclude_pk)
    return list(people[:LOOKUP_LIMIT])
