"""Exports over the API: request, approve or refuse, prepare, link, status.

The same services and rules as the pages: the caller sees its own exports and, as an
approver, those its scope covers; self-approval is a 403 (audited) and changes nothing; a
decision on an export someone else already decided is a 409.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.core.api.views import ApiPagination, DenialAuditMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.exports import services
from homeward.exports.api.serializers import (
    DecisionSerializer,
    DownloadLinkSerializer,
    ExportRequestCreateSerializer,
    ExportRequestSerializer,
    PreparedSerializer,
)
from homeward.exports.exceptions import ExportStateError
from homeward.exports.models import ExportRequest

__all__ = ["ExportRequestViewSet"]

DECIDING_ACTIONS = {"approve", "reject"}


# the export is no longer in the state the action needs (someone acted first)
CONFLICT = OpenApiResponse(description=_("The export is not in a state that allows this."))


@extend_schema_view(
    list=extend_schema(
        summary=_("List exports"),
        description=_("The caller's own exports and, for an approver, those it may decide."),
    ),
    retrieve=extend_schema(summary=_("Read one export's state")),
    create=extend_schema(
        summary=_("Request an export"),
        description=_(
            "Fixes the rows now (only records the caller may see). Above the approval "
            "threshold the export waits for a second person's approval."
        ),
        request=ExportRequestCreateSerializer,
        responses={201: ExportRequestSerializer},
    ),
)
class ExportRequestViewSet(DenialAuditMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = ExportRequest.objects.all()
    serializer_class = ExportRequestSerializer
    pagination_class = ApiPagination
    # these answer one-time secrets (passphrase, link token): never stored to be replayed
    idempotency_exempt_actions = ("generate", "link")

    @property
    def write_permission(self) -> str:
        return cap.APPROVE_EXPORT if self.action in DECIDING_ACTIONS else cap.REQUEST_EXPORT

    def get_queryset(self):
        action_name = "approve" if self.action in DECIDING_ACTIONS else "view"
        return (
            ExportRequest.objects.for_user(self.request.user, action_name)
            .select_related("requester", "decided_by")
            .order_by("-requested_at", "id")
        )

    def _run(self, perform):
        try:
            return perform()
        except PermissionDenied:
            record_denial(
                actor=self.request.user,
                path=self.request.path,
                method=self.request.method,
                reason="rule",
            )
            raise
        except ExportStateError as exc:
            return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)

    def create(self, request, *args, **kwargs):
        form = ExportRequestCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        export = services.request_export(actor=request.user, **form.validated_data)
        return Response(ExportRequestSerializer(export).data, status=status.HTTP_201_CREATED)

    def _decision(self, request, perform):
        export = self.get_object()
        form = DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = form.validated_data["note"]
        result = self._run(lambda: perform(export, actor=request.user, note=note))
        if isinstance(result, Response):
            return result
        return Response(ExportRequestSerializer(result).data)

    @extend_schema(
        summary=_("Approve an export"),
        description=_("By a holder of the approval grant other than the requester (403)."),
        request=DecisionSerializer,
        responses={200: ExportRequestSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decision(request, services.approve_export)

    @extend_schema(
        summary=_("Refuse an export"),
        description=_("A note saying why is required."),
        request=DecisionSerializer,
        responses={200: ExportRequestSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decision(request, services.reject_export)

    @extend_schema(
        summary=_("Prepare the encrypted file"),
        description=_(
            "By the requester, once approved. Answers the one-time passphrase (stored "
            "nowhere) and a single-use download link valid for at most 10 minutes."
        ),
        request=None,
        responses={200: PreparedSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        export = self.get_object()
        prepared = self._run(lambda: services.generate_export(export, actor=request.user))
        if isinstance(prepared, Response):
            return prepared
        body = {
            "export": ExportRequestSerializer(prepared.export).data,
            "passphrase": prepared.passphrase,
            "download_url": reverse(
                "exports:download", kwargs={"token": prepared.token}, request=request
            ),
            "expires_at": prepared.expires_at,
        }
        response = Response(PreparedSerializer(body).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary=_("Get a new download link"),
        description=_("By the requester, while the file is kept. Each link works once."),
        request=None,
        responses={200: DownloadLinkSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        export = self.get_object()
        result = self._run(lambda: services.issue_download_link(export, actor=request.user))
        if isinstance(result, Response):
            return result
        token, expires_at = result
        body = {
            "download_url": reverse("exports:download", kwargs={"token": token}, request=request),
            "expires_at": expires_at,
        }
        response = Response(DownloadLinkSerializer(body).data)
        response["Cache-Control"] = "no-store"
        return response
