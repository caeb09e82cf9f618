"""Documents attached to a person's record: court decisions, DNA reports, travel documents…

The row is the document's identity and its proof: what it is (`kind`), what the bytes were
when they arrived (`content_type` detected from the content, `size`, `sha256`), and where the
bytes lie (`storage_key`, a random name in a private directory that no URL maps to). The
uploader's file name is kept for display only and is never part of a path or a download name.

Scope follows the person: whoever may not see the child may not see, count or download its
documents. Rows are never deleted; a wrong or superseded document is *withdrawn*, and its
file is kept, because a document that was once relied on is part of the record.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.attachments.choices import (
    ALLOWED_TYPES,
    HIGHLY_SENSITIVE_KINDS,
    AttachmentKind,
    Sensitivity,
)
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.people.choices import LANGUAGES
from homeward.people.models import Person

__all__ = ["Attachment", "storage_path"]

STORAGE_KEY_LENGTH = 32


def storage_path(storage_key: str) -> Path:
    """Where the bytes of `storage_key` live: `<attachments dir>/<2-char prefix>/<key>`.

    The key is random hex made by the service, never derived from user input; it is checked
    here anyway, so that no value read from the database can point outside the directory.
    """
    if len(storage_key) != STORAGE_KEY_LENGTH or not all(
        c in "0123456789abcdef" for c in storage_key
    ):
        raise ValueError("not a storage key")
    root = Path(settings.HOMEWARD_ATTACHMENTS_DIR)
    return root / storage_key[:2] / storage_key


class Attachment(ScopedModelMixin, models.Model):
    """One stored document about one person, optionally linked to the record it documents.

    Invariants: `sha256`, `size` and `content_type` describe the stored bytes exactly (the
    download view re-checks the hash before serving); a document of a highly sensitive kind
    is L4; one person never holds the same bytes twice among its current (not withdrawn)
    attachments; a withdrawn attachment names who withdrew it, when and why.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attachments"
    )
    # The record the document is evidence for (a clearance, a DNA comparison, a consent…),
    # for the apps that come later; the person alone decides the scope.
    document_type = models.ForeignKey(
        ContentType,
        verbose_name=_("documents a record of type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document_id = models.CharField(_("documents the record"), max_length=64, blank=True)
    document = GenericForeignKey("document_type", "document_id")

    kind = models.CharField(_("kind of document"), max_length=24, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, blank=True)
    original_filename = models.CharField(_("file name when uploaded"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_key = models.CharField(max_length=STORAGE_KEY_LENGTH, unique=True, editable=False)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=2, choices=Sensitivity.choices, default=Sensitivity.PERSONAL
    )
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "sha256"],
                condition=Q(is_withdrawn=False),
                name="attachment_unique_current_file_per_person",
            ),
            models.CheckConstraint(
                condition=Q(is_withdrawn=False)
                | (Q(withdrawn_by__isnull=False) & Q(withdrawn_at__isnull=False)),
                name="attachment_withdrawal_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(HIGHLY_SENSITIVE_KINDS)) | Q(sensitivity="L4"),
                name="attachment_sensitive_kind_is_l4",
            ),
        ]
        indexes = [models.Index(fields=["person", "uploaded_at"], name="attachment_person_time")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        """A person's documents are visible exactly where the person is."""
        return Q(person__in=Person.objects.filter(Person.scope_filter(home_states)).values("pk"))

    def audit_context(self) -> dict:
        return self.person.audit_context()

    @property
    def is_highly_sensitive(self) -> bool:
        return self.sensitivity == Sensitivity.HIGHLY_SENSITIVE

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES.get(self.content_type, ("bin", frozenset()))[0]

    @property
    def path(self) -> Path:
        return storage_path(self.storage_key)

    def download_name(self) -> str:
        """A file name with no personal data: case reference (or "person"), kind, short id.

        The uploader's file name and the child's name never leave in a header: the file may
        be saved on a shared computer or forwarded by mail.
        """
        case = getattr(self.person, "case", None) if self.person.is_child else None
        prefix = case.reference if case is not None else "HW-person"
        return f"{prefix}-{self.kind}-{str(self.pk)[:8]}.{self.extension}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.kind in HIGHLY_SENSITIVE_KINDS and self.sensitivity != Sensitivity.HIGHLY_SENSITIVE:
            errors.setdefault("sensitivity", []).append(
                _("DNA reports, medical records and photos are always highly sensitive.")
            )
        if self.content_type not in ALLOWED_TYPES:
            errors.setdefault("content_type", []).append(_("This file type is not accepted."))
        if bool(self.document_type_id) != bool(self.document_id):
            errors.setdefault("document_id", []).append(
                _("A linked record needs both its type and its id.")
            )
        if errors:
            raise ValidationError(errors)
