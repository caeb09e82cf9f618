"""The disclosure log over the API: scoped like the case, every read audited."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.disclosures import events
from homeward.disclosures.api.serializers import DisclosureSerializer
from homeward.disclosures.models import Disclosure

__all__ = ["DisclosureViewSet"]


class DisclosureFilterSet(django_filters.FilterSet):
    class Meta:
        model = Disclosure
        fields = ["case", "recipient_kind", "legal_basis"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List disclosures"),
        description=_(
            "Disclosures of children's data to outside bodies, newest first, for the cases "
            "the caller may see. Filter by `case` for one child's log."
        ),
    ),
    retrieve=extend_schema(summary=_("Read one disclosure")),
)
class DisclosureViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = Disclosure.objects.select_related(
        "recipient_state", "recorded_by", "approved_by", "case"
    ).prefetch_related("documents")
    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilterSet
    list_event = events.DISCLOSURES_LISTED
    view_event = events.DISCLOSURE_VIEWED
