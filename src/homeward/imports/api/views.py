"""Imports over the API: the pages' upload, report, options, commit, template and original.

The same services and rules as the pages (imports.views): the batches the caller sees
(`ImportBatch.objects.for_user`), a small file checked and committed within the request and
a large one left to `homeward run_imports`, writes with the add scope and capability. A
batch outside the caller's scope is a 404 like a missing one; a kind the caller may not
import a 403.

A batch has no version number: its ETag is a hash of its stored state, which every dry run,
option and commit changes. Options and commit need it in If-Match (428 without, 412 when the
batch changed since it was read); the services still check the state under a row lock.
"""

import hashlib
import json

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.core.api.filters import StrictFilterBackend
from homeward.core.api.preconditions import PreconditionFailed, PreconditionRequired
from homeward.core.api.renderers import file_renderers
from homeward.core.api.views import DenialAuditMixin, ListPagination, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.exceptions import OutOfScopeError
from homeward.imports import services
from homeward.imports.api.serializers import (
    KIND_CHOICES,
    ImportBatchSerializer,
    ImportOptionsInput,
    ImportRowSerializer,
    ImportUploadInput,
)
from homeward.imports.choices import BatchStatus
from homeward.imports.kinds import KINDS, importable_kinds
from homeward.imports.models import ImportBatch
from homeward.imports.templates import template_xlsx
from homeward.imports.views import inline_bytes, inline_rows
from homeward.security.api import RowScopeAPIMixin

__all__ = [
    "ImportBatchViewSet",
    "ImportOriginalView",
    "ImportRowsView",
    "ImportTemplateView",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"
WRITES = {"create", "set_options", "commit"}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_("The import's ETag as last read."),
)
STALE = {
    409: OpenApiResponse(description=_("The import is not in a state that allows this.")),
    412: OpenApiResponse(description=_("The import changed since it was read.")),
    428: OpenApiResponse(description=_("If-Match is missing.")),
}


def batch_etag(batch: ImportBatch) -> str:
    """A strong tag of the batch's stored state (not of a worded, per-language answer)."""
    state = json.dumps(model_to_dict(batch), sort_keys=True, default=str)
    return f'"{hashlib.sha256(state.encode()).hexdigest()[:32]}"'


def check_if_match(request, batch: ImportBatch) -> None:
    """428 without If-Match, 412 when it names another state than the batch's current one."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired(_("Send the If-Match header with the import's ETag."))
    if batch_etag(batch) not in {tag.strip() for tag in header.split(",")}:
        raise PreconditionFailed(
            _("This import changed since you read it (a dry run ran, or someone acted on it). "
              "Read it again.")
        )  # fmt: skip


class ImportBatchFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES, label=_("Kind of data"))
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label=_("Status"))

    class Meta:
        model = ImportBatch
        fields = ["kind", "status"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List imports"),
        description=_(
            "The imports the caller may see, newest first: a home-state mission's own replies, "
            "and for users who see every home state the registry's imports. Filter by `kind` "
            "and `status`; `paginate=cursor` walks the list by cursor."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one import"),
        description=_(
            "The file, the dry run's counts (with the file's errors in the reader's language) "
            "and the commit. Poll it while `status` is uploaded, analysing, commit_queued or "
            "committing. The ETag header goes back in If-Match to set options or commit."
        ),
    ),
    create=extend_schema(
        summary=_("Upload a file to import"),
        description=_(
            "Multipart: `kind`, `file` (XLSX or CSV) and optionally `encoding` and "
            "`date_order`. The original is kept and the dry run starts at once: a small file "
            "is checked within the request (the answer says ready, rejected or "
            "needs_date_order), a large one by the import worker (uploaded: poll the import). "
            "Nothing outside the import is written. A kind the caller may not import is a 403."
        ),
        request={"multipart/form-data": ImportUploadInput},
        responses={201: ImportBatchSerializer},
    ),
)
class ImportBatchViewSet(
    ServiceCallMixin, DenialAuditMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet
):
    """Reads in the view scope; upload, options and commit in the add scope, through
    `services.create_batch`, `set_batch_options` and `queue_commit`."""

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    filterset_class = ImportBatchFilterSet
    filter_backends = [StrictFilterBackend, OrderingFilter]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "id"]
    cursor_ordering = ("-created_at", "id")
    pagination_class = ListPagination
    parser_classes = [MultiPartParser, FormParser]
    write_permission = cap.ADD_IMPORT

    def get_queryset(self):
        scope = "add" if self.action in WRITES else "view"
        return ImportBatch.objects.for_user(self.request.user, scope).select_related(
            "created_by", "committed_by"
        )

    def get_serializer_class(self):
        return ImportUploadInput if self.action == "create" else ImportBatchSerializer

    def answer(self, batch: ImportBatch, code: int = status.HTTP_200_OK) -> Response:
        """The batch as stored now, so its ETag is what a read will give."""
        batch = self.get_queryset().get(pk=batch.pk)
        body = ImportBatchSerializer(batch, context=self.get_serializer_context()).data
        return Response(body, status=code, headers={"ETag": batch_etag(batch)})

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    def create(self, request, *args, **kwargs):
        data = self.given_upload()
        upload = data["file"]
        batch = self.call(
            services.create_batch,
            kind=data["kind"],
            filename=upload.name,
            data=upload.read(),
            encoding=data["encoding"],
            date_order=data["date_order"],
        )
        if batch.size <= inline_bytes():  # as the upload page: small files at once
            services.analyse_batch(batch)
        return self.answer(batch, status.HTTP_201_CREATED)

    def given_upload(self) -> dict:
        given = ImportUploadInput(data=self.request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        return given.validated_data

    def conflict(self, error: DjangoValidationError) -> Response:
        """A batch in the wrong state (already committed, not ready): 409, as elsewhere."""
        messages = error.message_dict.get("status") if hasattr(error, "error_dict") else None
        if not messages:
            raise ValidationError(error.messages) from error
        return Response({"detail": " ".join(messages)}, status=status.HTTP_409_CONFLICT)

    @extend_schema(
        summary=_("Check the file again with other options"),
        description=_(
            "The encoding of a CSV or the day/month order, as the report page offers them "
            "(blank: detect). The dry run runs again (within the request for a small file). "
            "Needs If-Match with the import's ETag; 409 once the import was committed."
        ),
        parameters=[IF_MATCH],
        request=ImportOptionsInput,
        responses={200: ImportBatchSerializer, **STALE},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="options",
        url_name="options",
        parser_classes=[JSONParser, FormParser],
    )
    def set_options(self, request, pk=None):  # not `options`: that is the OPTIONS handler
        batch = self.get_object()
        chosen = self.given(ImportOptionsInput)  # a malformed body is a 400 whatever the ETag
        check_if_match(request, batch)
        try:
            batch = self.call(services.set_batch_options, batch, **chosen)
        except DjangoValidationError as error:
            return self.conflict(error)
        if batch.size <= inline_bytes():
            services.analyse_batch(batch)
        return self.answer(batch)

    @extend_schema(
        summary=_("Commit an import"),
        description=_(
            "Commits an import whose dry run found no errors (status ready): every row or "
            "none. As on the report page, a small import is written within the request (200 "
            "with the import, committed or failed and why); a large one is queued for the "
            "import worker (202, commit_queued: poll it until committed or failed). Needs "
            "If-Match with the import's ETag; 409 when the import is not ready."
        ),
        parameters=[IF_MATCH],
        request=None,
        responses={200: ImportBatchSerializer, 202: ImportBatchSerializer, **STALE},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser])
    def commit(self, request, pk=None):
        batch = self.get_object()
        check_if_match(request, batch)
        try:
            batch = self.call(services.queue_commit, batch)
        except DjangoValidationError as error:
            return self.conflict(error)
        if batch.total_rows > inline_rows():  # as the report page: large ones to the worker
            return self.answer(batch, status.HTTP_202_ACCEPTED)
        return self.answer(services.commit_batch(batch, actor=request.user))


class BatchResolverMixin(RowScopeAPIMixin, DenialAuditMixin):
    """`get_object()` is the import of the URL in the caller's view scope (else an audited 404)."""

    queryset = ImportBatch.objects.all()
    permission = cap.VIEW_IMPORT

    def get_queryset(self):
        return ImportBatch.objects.for_user(self.request.user, "view")


class ImportRowsView(BatchResolverMixin, GenericAPIView):
    """The dry-run report, row by row, as the report page lists it."""

    serializer_class = ImportRowSerializer
    pagination_class = ListPagination
    cursor_ordering = ("number",)

    @extend_schema(
        summary=_("Read an import's dry-run report"),
        description=_(
            "The rows in file order: the action the commit would take, the cells as written, "
            "the errors (by column, in the reader's language) and the registered people the "
            "row looks like. `show=problems` (the default, as on the report page) keeps the "
            "rejected rows and the look-alikes; `show=all` every row. `paginate=cursor` walks "
            "a long report by cursor."
        ),
        parameters=[
            OpenApiParameter(
                "show",
                OpenApiTypes.STR,
                enum=["problems", "all"],
                description=_("`problems` (default) or `all`."),
            )
        ],
        responses={200: ImportRowSerializer(many=True)},
        tags=["imports"],
    )
    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        show = request.query_params.get("show", "problems")
        if show not in ("problems", "all"):
            raise ValidationError({"show": [_("Give problems or all.")]})
        page = self.paginate_queryset(batch.report_rows(show))
        services.record_report_read(
            batch,
            actor=request.user,
            numbers=[row.number for row in page],
            query={"show": show, **request.query_params.dict()},
        )
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)


class ImportOriginalView(BatchResolverMixin, GenericAPIView):
    """The original file as uploaded; every download is audited by the service."""

    serializer_class = ImportBatchSerializer

    def get_renderers(self):
        return [renderer() for renderer in file_renderers(OCTET_STREAM)]

    @extend_schema(
        summary=_("Download an import's original file"),
        description=_(
            "The file exactly as uploaded (its SHA-256 is the import's `sha256`). Each "
            "download is recorded in the audit trail."
        ),
        responses={(200, OCTET_STREAM): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=["imports"],
    )
    def get(self, request, *args, **kwargs):
        batch = self.get_object()
        try:
            data = services.download_original(batch, actor=request.user)
        except OutOfScopeError as exc:
            raise Http404 from exc
        response = HttpResponse(data, content_type=OCTET_STREAM)
        response["Content-Disposition"] = f'attachment; filename="homeward-import-{batch.short_id}"'
        response["Cache-Control"] = "no-store"
        return response


class ImportTemplateView(RowScopeAPIMixin, DenialAuditMixin, GenericAPIView):
    """The XLSX template of a kind the caller may import (others: 404, as the page)."""

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    permission = cap.ADD_IMPORT

    def get_renderers(self):
        return [renderer() for renderer in file_renderers(XLSX)]

    @extend_schema(
        summary=_("Download an import template"),
        description=_(
            "An XLSX workbook with the kind's English and Arabic headers and a sheet "
            "explaining every column (its notes in the caller's language). Without `kind`, "
            "the first kind the caller may import; a kind it may not import is a 404."
        ),
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS))],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=["imports"],
    )
    def get(self, request, *args, **kwargs):
        allowed = importable_kinds(request.user)
        code = request.query_params.get("kind") or (allowed[0].code if allowed else "")
        kind = KINDS.get(code)
        if kind is None or kind not in allowed:
            raise Http404
        response = HttpResponse(template_xlsx(kind), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="homeward-{code}-template.xlsx"'
        return response
