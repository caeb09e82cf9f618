"""Documents over the API: scoped, audited metadata reads; upload and download via services.

The same rules as the pages: a document outside the caller's scope is a 404 like a missing
one; a highly sensitive one without the grant is a 403 (written as a denial); every
download is verified and audited by `services.open_verified`.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.attachments import events, services
from homeward.attachments.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    WithdrawInput,
)
from homeward.attachments.choices import ALLOWED_TYPES, AttachmentKind
from homeward.attachments.exceptions import IntegrityFailure
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import can_download
from homeward.attachments.queries import visible_attachments
from homeward.attachments.views import serve
from homeward.core.api.renderers import file_renderers
from homeward.core.api.views import AuditedReadMixin, DenialAuditMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet

__all__ = ["AttachmentDownloadViewSet", "AttachmentFilterSet", "AttachmentViewSet"]


class AttachmentFilterSet(django_filters.FilterSet):
    """By person id and kind. A person the caller cannot see simply matches nothing."""

    person = django_filters.UUIDFilter(field_name="person_id", label=_("Person"))
    kind = django_filters.ChoiceFilter(choices=AttachmentKind.choices, label=_("Kind"))

    class Meta:
        model = Attachment
        fields = ["person", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List documents"),
        description=_(
            "Metadata of the documents attached to people the caller may see, newest first. "
            "Filter by `person`. The title of a highly sensitive document is null without the "
            "sensitive grant. The bytes are fetched from `download_url`."
        ),
    ),
    retrieve=extend_schema(summary=_("Read one document's metadata")),
    create=extend_schema(
        summary=_("Attach a document"),
        description=_(
            "Multipart upload. The type is detected from the content (PDF, JPEG, PNG or TIFF); "
            "a name that contradicts the content, an empty file, an oversized file or the same "
            "file already attached to the person is refused with an error on `file`."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    ),
)
class AttachmentViewSet(
    ServiceCallMixin, AuditedReadMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet
):
    """Reads are audited (listed, viewed); creation goes through `services.add_attachment`,
    withdrawal through `services.withdraw_attachment`."""

    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilterSet
    parser_classes = [MultiPartParser, FormParser]
    list_event = events.ATTACHMENTS_LISTED
    view_event = events.ATTACHMENT_VIEWED

    @property
    def write_permission(self) -> str:
        return cap.WITHDRAW_ATTACHMENT if self.action == "withdraw" else cap.ADD_ATTACHMENT

    def get_queryset(self):
        if self.action == "withdraw":
            # as the withdraw page: the documents the caller may withdraw, not yet withdrawn
            return Attachment.objects.for_user(self.request.user, "withdraw").filter(
                is_withdrawn=False
            )
        return (
            visible_attachments(self.request.user, self.action_name)
            .select_related("uploaded_by", "document_type")
            .order_by("-uploaded_at", "id")
        )

    def get_serializer_class(self):
        return AttachmentUploadSerializer if self.action == "create" else AttachmentSerializer

    def create(self, request, *args, **kwargs):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        attachment = services.add_attachment(
            data["person"],
            actor=request.user,
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
            language=data["language"],
            sensitive=data["sensitive"],
        )
        body = AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Withdraw a document"),
        description=_(
            "Takes the document off the record (wrong person, superseded, illegible) with the "
            "reason; the file is kept. A document already withdrawn, or one the caller may not "
            "withdraw in its scope, is a 404."
        ),
        request=WithdrawInput,
        responses={200: AttachmentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser])
    def withdraw(self, request, pk=None):
        attachment = self.get_object()
        data = self.given(WithdrawInput)
        withdrawn = self.call(services.withdraw_attachment, attachment, reason=data["reason"])
        withdrawn = Attachment.objects.select_related("uploaded_by", "document_type").get(
            pk=withdrawn.pk
        )
        return Response(AttachmentSerializer(withdrawn, context=self.get_serializer_context()).data)


class AttachmentDownloadViewSet(DenialAuditMixin, ScopedReadOnlyViewSet):
    """The bytes of one document: its own capability (`download`), so the matrix can see it."""

    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    action_name = "download"

    def get_renderers(self):
        if self.action == "retrieve":  # the file itself, in its stored type
            return [renderer() for renderer in file_renderers(*ALLOWED_TYPES)]
        return super().get_renderers()

    def get_queryset(self):
        return visible_attachments(self.request.user, self.action_name).select_related(
            "person", "person__case"
        )

    @extend_schema(
        summary=_("Download a document"),
        description=_(
            "The stored file, after its SHA-256 is checked against the upload's. Sent as an "
            "attachment named after the case reference and kind (never a person's name). "
            "409 when the stored file fails the check (nothing is sent; the failure is audited)."
        ),
        responses={
            # the stored type, detected from the bytes at upload
            **{(200, mime): OpenApiResponse(OpenApiTypes.BINARY) for mime in ALLOWED_TYPES},
            403: OpenApiResponse(
                description=_("Highly sensitive, and the caller lacks the grant.")
            ),
            404: OpenApiResponse(description=_("No such document, or not in the caller's scope.")),
            409: OpenApiResponse(description=_("The stored file failed its integrity check.")),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        attachment = self.get_object()
        if not can_download(request.user, attachment):
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="sensitivity"
            )
            raise PermissionDenied
        try:
            return serve(attachment, actor=request.user)
        except IntegrityFailure as exc:
            return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
