"""API representations of documents: metadata only; the bytes come from the download route.

A highly sensitive document's title is null for a caller without the sensitive grant (the
title can state a DNA result), exactly as the person page withholds it.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from homeward.attachments.choices import AttachmentKind
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import addable_kinds, can_download, can_see_title
from homeward.attachments.uploads import oversized_fields
from homeward.core.api.serializers import StrictInputSerializer
from homeward.people.choices import LANGUAGES
from homeward.people.models import Person

__all__ = ["AttachmentSerializer", "AttachmentUploadSerializer"]


class AttachmentSerializer(serializers.ModelSerializer):
    """What is known about one document: kind, size, hash, who attached it, and when.

    `download_url` is null when the caller may not fetch the bytes.
    """

    title = serializers.SerializerMethodField(label=_("title"))
    uploaded_by = serializers.CharField(
        source="uploaded_by.get_username", read_only=True, label=_("uploaded by")
    )
    document = serializers.SerializerMethodField(label=_("documents the record"))
    # empty when not recorded (a read-only model field would lose allow_blank)
    language = serializers.ChoiceField(
        choices=LANGUAGES, allow_blank=True, read_only=True, label=_("language")
    )
    download_url = serializers.SerializerMethodField(label=_("download URL"))

    class Meta:
        model = Attachment
        fields = [
            "id",
            "person",
            "kind",
            "title",
            "language",
            "content_type",
            "size",
            "sha256",
            "sensitivity",
            "document",
            "uploaded_by",
            "uploaded_at",
            "is_withdrawn",
            "withdrawn_at",
            "download_url",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field({"type": "string", "nullable": True})
    def get_title(self, attachment: Attachment) -> str | None:
        return attachment.title if can_see_title(self._user(), attachment) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_document(self, attachment: Attachment) -> str | None:
        """The record the document is evidence for, as "app_label.model:id", if any."""
        if not attachment.document_type_id:
            return None
        kind = attachment.document_type
        return f"{kind.app_label}.{kind.model}:{attachment.document_id}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment: Attachment) -> str | None:
        if not can_download(self._user(), attachment):
            return None
        return reverse(
            "api:attachment-download", kwargs={"pk": attachment.pk}, request=self.context["request"]
        )


class AttachmentUploadSerializer(StrictInputSerializer):
    """A multipart upload: the person, the file and what it is. Validated again by the service.

    `person` accepts only people the caller may see: anyone else is "does not exist".
    """

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), label=_("person"))
    file = serializers.FileField(label=_("file"), required=False)
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, label=_("kind of document"))
    title = serializers.CharField(max_length=200, label=_("title"))
    language = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True, default="", label=_("language")
    )
    sensitive = serializers.BooleanField(
        required=False,
        default=False,
        label=_("highly sensitive"),
        help_text=_("DNA reports, medical records and photos are highly sensitive regardless."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["person"].queryset = Person.objects.for_user(request.user, "view")

    def validate_kind(self, value):
        if value not in addable_kinds(self.context["request"].user):
            raise serializers.ValidationError(_("You cannot attach this kind of document."))
        return value

    def validate(self, attrs):
        request = self.context["request"]
        if "file" in oversized_fields(request):
            raise serializers.ValidationError(
                {
                    "file": _("The file is larger than the limit of %(limit)s.")
                    % {"limit": filesizeformat(settings.HOMEWARD_ATTACHMENT_MAX_BYTES)}
                }
            )
        if not attrs.get("file"):
            raise serializers.ValidationError({"file": _("No file was submitted.")})
        return attrs


class WithdrawInput(StrictInputSerializer):
    """Why a document is taken off the record (the withdraw page's one field)."""

    reason = serializers.CharField(max_length=2000, label=_("why the document is withdrawn"))
