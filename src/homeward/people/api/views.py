"""People and facilities over the API: thin, scoped, audited reads.

Scope comes from ScopedReadOnlyViewSet (a person outside the caller's home states is not
in the queryset, so it is a 404 like a missing one); the read audit and the denial audit
come from core.api.views, exactly as on the pages.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view

from homeward.core.api.views import ApiPagination, AuditedReadMixin, DenialAuditMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.people import events
from homeward.people.api.serializers import (
    FacilitySerializer,
    PersonDetailSerializer,
    PersonSerializer,
)
from homeward.people.choices import PersonKind
from homeward.people.filtersets import ChildFilterSet
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName

__all__ = ["FacilityViewSet", "PersonFilterSet", "PersonViewSet"]


class PersonFilterSet(ChildFilterSet):
    """The children list's filters, plus `kind`, over children and adults alike.

    Case filters (home state, status) and the current-facility filter only match children,
    since adults have no case and no custody episode of their own.
    """

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PersonKind.choices)

    class Meta(ChildFilterSet.Meta):
        fields = [*ChildFilterSet.Meta.fields, "kind"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_facility(self, queryset, name, value):
        # Same filter; the annotation only tells the schema that a facility is given by its id.
        return super().filter_facility(queryset, name, value)


@extend_schema_view(
    list=extend_schema(
        summary=_("List people"),
        description=_(
            "Children and adults the caller may see, oldest record first. A home-state user sees "
            "only its own nationals and the adults linked to them; `count` counts only those."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one person"),
        description=_(
            "Biodata, names, relationships and custody history. Relatives and companions the "
            "caller may not see are left out. A person outside the caller's scope is a 404."
        ),
    ),
)
class PersonViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    """Every read is audited (PERSON_VIEWED, PEOPLE_LISTED), as the person pages are."""

    queryset = (
        Person.objects.select_related("case")
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
        .order_by("created_at", "id")
    )
    filterset_class = PersonFilterSet
    list_event = events.PEOPLE_LISTED
    view_event = events.PERSON_VIEWED

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List facilities"),
        description=_("Prisons, reform facilities, orphanages, camps and hospitals."),
    ),
    retrieve=extend_schema(summary=_("Read one facility")),
)
class FacilityViewSet(DenialAuditMixin, ScopedReadOnlyViewSet):
    """Reference data, not personal data: capability-checked, not read-audited."""

    queryset = Facility.objects.all()
    serializer_class = FacilitySerializer
    pagination_class = ApiPagination
