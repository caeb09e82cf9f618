"""Choices of the attachments app: what a document is, and how sensitive it is."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ALLOWED_TYPES",
    "HIGHLY_SENSITIVE_KINDS",
    "HOME_STATE_KINDS",
    "AttachmentKind",
    "Sensitivity",
]


class AttachmentKind(models.TextChoices):
    COURT_DECISION = "court_decision", _("Court decision")
    DNA_REPORT = "dna_report", _("DNA report")
    ASSURANCE_LETTER = "assurance_letter", _("Assurance letter")
    CONSENT_FORM = "consent_form", _("Consent form")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    PHOTO = "photo", _("Photo")
    MEDICAL = "medical", _("Medical record")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class Sensitivity(models.TextChoices):
    """domain.md §3.1. An attachment inherits the sensitivity of what it documents."""

    PERSONAL = "L3", _("Personal (L3)")
    HIGHLY_SENSITIVE = "L4", _("Highly sensitive (L4)")


# DNA and kinship results, health data and identifying photos are special-category data (L4):
# whatever the uploader says, these kinds are never less than highly sensitive.
HIGHLY_SENSITIVE_KINDS = frozenset(
    {AttachmentKind.DNA_REPORT, AttachmentKind.MEDICAL, AttachmentKind.PHOTO}
)

# What a home state issues itself, and so what a consul may attach for its own nationals.
HOME_STATE_KINDS = frozenset(
    {
        AttachmentKind.TRAVEL_DOCUMENT,
        AttachmentKind.ASSURANCE_LETTER,
        AttachmentKind.IDENTITY_DOCUMENT,
        AttachmentKind.CORRESPONDENCE,
    }
)

# The only file types accepted, as detected from the bytes: MIME type -> (extension used for
# the download name, extensions an uploaded file's name may carry for that type).
ALLOWED_TYPES = {
    "application/pdf": ("pdf", frozenset({"pdf"})),
    "image/jpeg": ("jpg", frozenset({"jpg", "jpeg", "jpe", "jfif"})),
    "image/png": ("png", frozenset({"png"})),
    "image/tiff": ("tif", frozenset({"tif", "tiff"})),
}
