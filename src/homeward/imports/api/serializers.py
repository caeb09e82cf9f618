"""API representations of imports: the batch, its dry-run rows, and the two write bodies.

Stored reasons (a file's errors, a row's errors) are kept unworded (imports.reasons): they are
worded here, in the reader's language, like the report page does.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from homeward.core.api.serializers import StrictInputSerializer
from homeward.imports import services
from homeward.imports.choices import BatchStatus, DateOrder
from homeward.imports.forms import DATE_ORDER_CHOICES, ENCODING_CHOICES
from homeward.imports.kinds import KINDS
from homeward.imports.models import ImportBatch, ImportRow
from homeward.imports.reasons import render

__all__ = [
    "ImportBatchSerializer",
    "ImportOptionsInput",
    "ImportRowSerializer",
    "ImportUploadInput",
]

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


class ImportRowErrorSerializer(serializers.Serializer):
    column = serializers.CharField(label=_("column"))
    message = serializers.CharField(label=_("why, in the reader's language"))


class ImportLookAlikeSerializer(serializers.Serializer):
    """A registered person the row looks like (the report's "looks like")."""

    person = serializers.UUIDField(label=_("person"))
    name = serializers.CharField(label=_("name"))
    case = serializers.CharField(label=_("case reference"))
    score = serializers.FloatField(label=_("similarity"))


class ImportBatchSerializer(serializers.ModelSerializer):
    """One import and where it stands: the file, the dry run's counts, the commit.

    `file_errors` are worded in the reader's language; `progress` is the rows committed so
    far while a commit runs (0 otherwise).
    """

    created_by = serializers.CharField(
        source="created_by.get_username", read_only=True, label=_("uploaded by")
    )
    committed_by = serializers.CharField(
        source="committed_by.get_username",
        read_only=True,
        allow_null=True,
        default=None,
        label=_("committed by"),
    )
    file_errors = serializers.SerializerMethodField(label=_("errors in the file"))
    unmapped_columns = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=_("columns not imported")
    )
    # blank until found or chosen (a read-only model field would lose allow_blank)
    date_order = serializers.ChoiceField(
        choices=DateOrder.choices, allow_blank=True, read_only=True, label=_("day/month order")
    )
    date_order_override = serializers.ChoiceField(
        choices=DateOrder.choices,
        allow_blank=True,
        read_only=True,
        label=_("day/month order chosen"),
    )
    progress = serializers.SerializerMethodField(label=_("rows committed so far"))
    rows_url = serializers.SerializerMethodField(label=_("dry-run report"))
    original_url = serializers.SerializerMethodField(label=_("original file"))

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "status",
            "home_state",
            "filename",
            "size",
            "sha256",
            "encoding",
            "date_order",
            "encoding_override",
            "date_order_override",
            "unmapped_columns",
            "total_rows",
            "analysed_rows",
            "rejected_rows",
            "duplicate_rows",
            "file_errors",
            "committed_rows",
            "progress",
            "failure",
            "created_by",
            "created_at",
            "committed_by",
            "committed_at",
            "rows_url",
            "original_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_file_errors(self, batch: ImportBatch) -> list[str]:
        return [render(error) for error in batch.file_errors]

    @extend_schema_field(OpenApiTypes.INT)
    def get_progress(self, batch: ImportBatch) -> int:
        if batch.status != BatchStatus.COMMITTING:
            return 0
        return services.commit_progress(batch)

    def _link(self, name: str, batch: ImportBatch) -> str:
        return reverse(name, kwargs={"pk": batch.pk}, request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_rows_url(self, batch: ImportBatch) -> str:
        return self._link("api:importbatch-rows", batch)

    @extend_schema_field(OpenApiTypes.URI)
    def get_original_url(self, batch: ImportBatch) -> str:
        return self._link("api:importbatch-original", batch)


class ImportRowSerializer(serializers.ModelSerializer):
    """One data row of the dry run: what was read, what the commit would do, and why not."""

    errors = serializers.SerializerMethodField(label=_("errors"))
    duplicates = ImportLookAlikeSerializer(many=True, read_only=True, label=_("looks like"))
    cells = serializers.DictField(
        child=serializers.CharField(allow_blank=True), read_only=True, label=_("cells as written")
    )

    class Meta:
        model = ImportRow
        fields = ["number", "action", "cells", "errors", "duplicates"]
        read_only_fields = fields

    @extend_schema_field(ImportRowErrorSerializer(many=True))
    def get_errors(self, row: ImportRow) -> list[dict]:
        return [
            {"column": error.get("column", ""), "message": render(error)} for error in row.errors
        ]


class ImportOptionsInput(StrictInputSerializer):
    """The upload page's choices: the CSV's encoding and the day/month order (blank: detect)."""

    encoding = serializers.ChoiceField(
        choices=ENCODING_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        label=_("encoding (CSV)"),
    )
    date_order = serializers.ChoiceField(
        choices=DATE_ORDER_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        label=_("day/month order"),
    )


class ImportUploadInput(ImportOptionsInput):
    """A multipart upload: the kind of data and the file (XLSX or CSV)."""

    kind = serializers.ChoiceField(choices=KIND_CHOICES, label=_("kind of data"))
    file = serializers.FileField(label=_("file (XLSX or CSV)"))
