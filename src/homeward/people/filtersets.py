"""Filters for the children list, shared by the list page and the API.

Name search is a plain substring match on normalised names in any script (see
core.normalise); cross-script matching belongs to the matching app.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import CaseStatus
from homeward.core.models import HomeState
from homeward.core.normalise import normalise_name
from homeward.people.choices import LegalStatus, RelationshipType, Sex
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName, Relationship

__all__ = ["AGE_BANDS", "ChildFilterSet"]

# Bands follow the legal thresholds: 3 (mother-care limit), 9 (criminal responsibility),
# 15 (adolescent), 18 (majority).
AGE_BANDS = {
    "0-2": (0, 3, _("0–2 years")),
    "3-8": (3, 9, _("3–8 years")),
    "9-14": (9, 15, _("9–14 years")),
    "15-17": (15, 18, _("15–17 years")),
    "18+": (18, 200, _("18 or older")),
}


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def age_band_q(band: str, today: datetime.date | None = None) -> Q:
    """Born after (today - upper) and on or before (today - lower)."""
    low, high, _label = AGE_BANDS[band]
    today = today or timezone.localdate()
    return Q(date_of_birth__lte=_years_ago(today, low), date_of_birth__gt=_years_ago(today, high))


class ChildFilterSet(django_filters.FilterSet):
    """Filters over children (Person rows with a case). The queryset must already be scoped."""

    q = django_filters.CharFilter(label=_("Name (any script) or case reference"), method="filter_q")
    home_state = django_filters.ModelChoiceFilter(
        label=_("Home state"),
        field_name="case__home_state",
        queryset=HomeState.objects.filter(cases__isnull=False).distinct(),
    )
    status = django_filters.ChoiceFilter(
        label=_("Case status"), field_name="case__status", choices=CaseStatus.choices
    )
    facility = django_filters.ModelChoiceFilter(
        label=_("Current facility"), queryset=Facility.objects.all(), method="filter_facility"
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"),
        choices=[(key, label) for key, (_l, _h, label) in AGE_BANDS.items()],
        method="filter_age_band",
    )
    unaccompanied = django_filters.BooleanFilter(label=_("Unaccompanied"))
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    mother_sentenced = django_filters.BooleanFilter(
        label=_("Mother sentenced"), method="filter_mother_sentenced"
    )

    class Meta:
        model = Person
        fields = [
            "q",
            "home_state",
            "status",
            "facility",
            "age_band",
            "unaccompanied",
            "sex",
            "mother_sentenced",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the home states the viewer may see: a consul's menu must not reveal
        # which other states have children here.
        user = getattr(self.request, "user", None)
        self.filters["home_state"].queryset = (
            HomeState.objects.for_user(user).filter(cases__isnull=False).distinct().order_by("name")
        )

    def filter_q(self, queryset, name, value):
        needle = normalise_name(value)
        if not needle:
            return queryset
        matching_names = PersonName.objects.filter(search_text__contains=needle).values("person_id")
        return queryset.filter(Q(pk__in=matching_names) | Q(case__reference__iexact=value.strip()))

    def filter_facility(self, queryset, name, value):
        current = CustodyEpisode.objects.filter(
            child=OuterRef("pk"), facility=value, ended_on__isnull=True
        )
        return queryset.filter(Exists(current))

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value))

    def filter_mother_sentenced(self, queryset, name, value):
        sentenced = Relationship.objects.filter(
            person=OuterRef("pk"),
            relationship_type=RelationshipType.MOTHER,
            relative__legal_status__in=LegalStatus.sentenced(),
        )
        return queryset.filter(Exists(sentenced)) if value else queryset.exclude(Exists(sentenced))
