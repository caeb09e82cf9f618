"""Legal holds over the API: the retention pages' place and release, through the services.

Reads and writes need the capability to manage holds, as the pages do; holds are scoped
through their case (out of scope: the 404 of a missing hold). The case named in a new
hold's body is resolved in the caller's scope, an unseen one is a 400 naming `case`.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.cases.models import Case
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.retention import events, services
from homeward.retention.api.serializers import LegalHoldInput, LegalHoldSerializer, ReleaseInput
from homeward.retention.models import LegalHold

__all__ = ["LegalHoldViewSet"]

TAGS = ["retention"]


class LegalHoldFilterSet(django_filters.FilterSet):
    case = django_filters.UUIDFilter(field_name="case_id", label=_("Case"))

    class Meta:
        model = LegalHold
        fields = ["case"]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary=_("List legal holds"),
        description=_("Holds, current and released, on the cases in scope; `case` filters."),
    ),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one legal hold")),
    create=extend_schema(
        tags=TAGS,
        summary=_("Place a legal hold on a case"),
        description=_("Nothing about the case is destroyed while the hold is active."),
        request=LegalHoldInput,
        responses={201: LegalHoldSerializer},
    ),
)
class LegalHoldViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = LegalHold.objects.select_related("case", "placed_by", "released_by").order_by(
        "-placed_at", "id"
    )
    serializer_class = LegalHoldSerializer
    filterset_class = LegalHoldFilterSet
    action_name = "manage"
    permission = cap.MANAGE_LEGAL_HOLD
    write_permission = cap.MANAGE_LEGAL_HOLD
    list_event = events.HOLDS_VIEWED
    view_event = events.HOLDS_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    def output(self, hold, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=hold.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.given(LegalHoldInput)
        case = self.scoped(Case, "case", _("Unknown case."), pk=data["case"])
        hold = self.call(services.place_legal_hold, case, reason=data["reason"])
        return self.output(hold, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary=_("Release a legal hold"),
        description=_(
            "With the reason; the case's records fall back under the retention schedule. A "
            "hold already released is a 400."
        ),
        request=ReleaseInput,
        responses={200: LegalHoldSerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        hold = self.get_object()
        data = self.given(ReleaseInput)
        return self.output(self.call(services.release_legal_hold, hold, reason=data["reason"]))
