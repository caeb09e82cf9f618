"""Cases over the API: thin, scoped, audited reads.

Scope comes from ScopedReadOnlyViewSet (a case of another home state is not in the
queryset, so it is a 404 like a missing one); the read and denial audit from core.api.views.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.filters import OrderingFilter

from homeward.cases import events
from homeward.cases.api.serializers import CaseListSerializer, CaseSerializer
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.core.api.filters import StrictFilterBackend
from homeward.core.api.preconditions import etag_for
from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.models import HomeState
from homeward.core.scoping import home_state_scope
from homeward.people.models import PersonName

__all__ = ["CaseFilterSet", "CaseViewSet"]


class CaseFilterSet(django_filters.FilterSet):
    """Filter cases by home state and status.

    The home-state choices are narrowed to the caller's scope, so asking a consul's token
    for another state's cases is an invalid choice (400), the same answer as for a code
    that is no country at all: it neither lists nor counts anything.
    """

    home_state = django_filters.ModelChoiceFilter(
        label=_("Home state"), queryset=HomeState.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Case status"), choices=CaseStatus.choices)

    class Meta:
        model = Case
        fields = ["home_state", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = home_state_scope(getattr(self.request, "user", None))
        states = HomeState.objects.all()
        self.filters["home_state"].queryset = (
            states if scope is None else states.filter(code__in=scope)
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List cases"),
        description=_(
            "Cases the caller may see, by reference. A home-state user sees only its own "
            "nationals' cases; `count` counts only those."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one case"),
        description=_(
            "A case and its child's names. A case outside the caller's scope is a 404. The "
            "ETag header is the case's version: send it back in If-Match to change the case."
        ),
    ),
)
class CaseViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    """Every read is audited (CASE_VIEWED, CASES_LISTED), as the case pages are."""

    queryset = Case.objects.select_related("child", "owner").prefetch_related(
        Prefetch("child__names", queryset=PersonName.objects.order_by("-is_primary", "created_at"))
    )
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    filter_backends = [StrictFilterBackend, OrderingFilter]
    ordering_fields = ["reference"]
    ordering = ["reference"]
    list_event = events.CASES_LISTED
    view_event = events.CASE_VIEWED

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data["version"])
        return response
