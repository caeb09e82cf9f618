"""Named reads of adult cases and the figures other apps show (desk, state page, pack, stats).

Every function reads through the caller's scope: a consul's figures count its own nationals
only. The `reports` app may call `pending_by_nationality_and_status`, `releases_by_month`
and `releases_due` as they are.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from homeward.adults.choices import LegalStatus
from homeward.adults.models import AdultCase, ConsularVisit
from homeward.cases.choices import IN_CUSTODY_STATES
from homeward.cases.models import Case
from homeward.people.choices import RelationshipType

__all__ = [
    "ReleaseDue",
    "add_months",
    "adult_cases_for",
    "children_cases",
    "consular_visits_for",
    "desk_releases_due",
    "pending_by_nationality_and_status",
    "releases_by_month",
    "releases_due",
]

DEFAULT_RELEASE_HORIZON_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def adult_cases_for(user) -> QuerySet[AdultCase]:
    return (
        AdultCase.objects.for_user(user, "view")
        .select_related("person", "home_state", "facility", "from_case")
        .prefetch_related("person__names")
    )


def children_cases(user, adult_cases) -> dict:
    """{adult case pk: [the children's cases `user` may see]} through parent relationships."""
    by_person = {adult.person_id: adult.pk for adult in adult_cases}
    result: dict = {pk: [] for pk in by_person.values()}
    cases = (
        Case.objects.for_user(user, "view")
        .filter(
            child__relationships__relative_id__in=list(by_person),
            child__relationships__relationship_type__in=RelationshipType.parents(),
        )
        .select_related("child", "home_state")
        .prefetch_related("child__names")
        .order_by("reference")
        .distinct()
    )
    parents_of = {}
    for case in cases:
        parents_of.setdefault(case.pk, case)
    if not parents_of:
        return result
    from homeward.people.models import Relationship

    links = Relationship.objects.filter(
        person__case__in=list(parents_of),
        relative_id__in=list(by_person),
        relationship_type__in=RelationshipType.parents(),
    ).values_list("person__case", "relative_id")
    for case_pk, parent_pk in links:
        result[by_person[parent_pk]].append(parents_of[case_pk])
    return result


@dataclass
class ReleaseDue:
    adult_case: AdultCase
    days_left: int
    children: list = field(default_factory=list)

    @property
    def children_pending(self) -> list:
        return [case for case in self.children if case.status in IN_CUSTODY_STATES]


def releases_due(
    user,
    *,
    months: int = DEFAULT_RELEASE_HORIZON_MONTHS,
    home_state=None,
    today: datetime.date | None = None,
) -> list[ReleaseDue]:
    """Adults serving a sentence whose expected release falls within `months` from today,
    soonest first, each with her children's cases, so that families can travel together."""
    today = today or timezone.localdate()
    queryset = adult_cases_for(user).filter(
        legal_status__in=LegalStatus.serving(),
        expected_release_on__gte=today,
        expected_release_on__lte=add_months(today, months),
    )
    if home_state is not None:
        queryset = queryset.filter(home_state=home_state)
    adults = list(queryset.order_by("expected_release_on", "reference"))
    children = children_cases(user, adults)
    return [
        ReleaseDue(adult, (adult.expected_release_on - today).days, children[adult.pk])
        for adult in adults
    ]


def desk_releases_due(user, *, today: datetime.date | None = None) -> list[ReleaseDue] | None:
    """Releases due for the "My desk" page of the ministry and of a home state's mission, or
    None for a desk that does not show them (another agency, or no right to see adult cases).

    Scoped like every read here: a consul's desk lists its own nationals only.
    """
    from homeward.accounts import capabilities as cap
    from homeward.accounts.choices import AgencyKind

    agency = getattr(user, "agency", None)
    desk = user.is_superuser or (
        agency is not None
        and agency.kind in (AgencyKind.COORDINATING_MINISTRY, AgencyKind.HOME_STATE_MISSION)
    )
    if not (desk and user.has_capability(cap.VIEW_ADULT_CASE)):
        return None
    return releases_due(user, today=today)


def pending_by_nationality_and_status(user, *, home_state=None) -> list[tuple[str, str, int]]:
    """(home state code, legal status, count) of adults still in Iraqi custody."""
    queryset = AdultCase.objects.for_user(user, "view").exclude(
        legal_status__in=LegalStatus.ended()
    )
    if home_state is not None:
        queryset = queryset.filter(home_state=home_state)
    rows = (
        queryset.values_list("home_state_id", "legal_status")
        .annotate(n=Count("pk"))
        .order_by("home_state_id", "legal_status")
    )
    return [(code, status, n) for code, status, n in rows]


def releases_by_month(
    user, *, months: int = 12, home_states=(), today: datetime.date | None = None
) -> list[tuple[str, int]]:
    """("YYYY-MM", count) of expected releases for each of the next `months` months, of the
    adults in scope (of `home_states` only, when given), counted by the database."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    queryset = AdultCase.objects.for_user(user, "view").filter(
        legal_status__in=LegalStatus.serving(),
        expected_release_on__gte=first,
        expected_release_on__lt=add_months(first, months),
    )
    if home_states:
        queryset = queryset.filter(home_state__in=home_states)
    counts = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in queryset.annotate(month=TruncMonth("expected_release_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        (key, counts.get(key, 0))
        for key in (add_months(first, n).strftime("%Y-%m") for n in range(months))
    ]


def consular_visits_for(user, adult_case) -> QuerySet[ConsularVisit]:
    return (
        ConsularVisit.objects.for_user(user, "view")
        .filter(adult_case=adult_case)
        .select_related("facility", "mission", "recorded_by")
    )
