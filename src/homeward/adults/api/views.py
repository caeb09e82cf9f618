"""Adult cases and consular visits over the API: scoped by the adult's state, reads audited."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from homeward.adults import events
from homeward.adults.api.serializers import AdultCaseSerializer, ConsularVisitSerializer
from homeward.adults.choices import LegalStatus
from homeward.adults.models import AdultCase, ConsularVisit
from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet

__all__ = ["AdultCaseViewSet", "ConsularVisitViewSet"]

TAGS = ["adults"]


class AdultCaseFilterSet(django_filters.FilterSet):
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices)
    released_by = django_filters.DateFilter(
        field_name="expected_release_on",
        lookup_expr="lte",
        label=_("expected release by"),
        input_formats=["%Y-%m-%d"],  # ISO only, as the schema says: 10/11/2026 is ambiguous
    )

    class Meta:
        model = AdultCase
        fields = ["legal_status", "route_home", "released_by"]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary=_("List adult cases"),
        description=_(
            "Adults in custody (mothers and others) the caller may see, with their legal "
            "status and expected release. `released_by` lists releases due by a date."
        ),
    ),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one adult case")),
)
class AdultCaseViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = AdultCase.objects.select_related("home_state").order_by("reference")
    serializer_class = AdultCaseSerializer
    filterset_class = AdultCaseFilterSet
    list_event = events.ADULT_CASES_LISTED
    view_event = events.ADULT_CASE_VIEWED


class ConsularVisitFilterSet(django_filters.FilterSet):
    class Meta:
        model = ConsularVisit
        fields = ["adult_case"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("List consular visits")),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one consular visit")),
)
class ConsularVisitViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = ConsularVisit.objects.select_related("adult_case").order_by("-visited_on", "id")
    serializer_class = ConsularVisitSerializer
    filterset_class = ConsularVisitFilterSet
    list_event = events.CONSULAR_VISITS_LISTED
    view_event = events.CONSULAR_VISIT_VIEWED
