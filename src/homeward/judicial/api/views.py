"""Requests for evidence over the API: a state sees its own requests only; reads audited."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.judicial import events
from homeward.judicial.api.serializers import EvidenceRequestSerializer
from homeward.judicial.choices import RequestStatus
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission

__all__ = ["EvidenceRequestViewSet"]

TAGS = ["judicial"]


class EvidenceRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = EvidenceRequest
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary=_("List requests for evidence"),
        description=_(
            "Requests for evidence and judicial records from home states, newest first; a "
            "home state's mission sees its own requests only."
        ),
    ),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one request for evidence")),
)
class EvidenceRequestViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = EvidenceRequest.objects.prefetch_related(
        Prefetch("transmissions", queryset=EvidenceTransmission.objects.order_by("recorded_at"))
    ).order_by("-received_on", "id")
    serializer_class = EvidenceRequestSerializer
    filterset_class = EvidenceRequestFilterSet
    list_event = events.REQUESTS_LISTED
    view_event = events.REQUEST_VIEWED
