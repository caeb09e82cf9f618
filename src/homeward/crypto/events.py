"""Audit event codes of key management and sealed reads. Data never holds a key or a value."""

from django.utils.translation import gettext_lazy as _

KEY_ROTATED = "crypto.data_key.rotated"
KEY_RETIRED = "crypto.data_key.retired"
SENSITIVE_READ = "crypto.sealed_field.read"

LABELS = {
    KEY_ROTATED: _("Data encryption key rotated"),
    KEY_RETIRED: _("Old data encryption key destroyed"),
    SENSITIVE_READ: _("Sealed information read"),
}
