"""Audit event codes of key management. Data never holds a key or a value.

Reads of sealed values need no event of their own: every page and API read that can show
one is already audited (people.person.viewed, evidence.record.viewed/listed).
"""

from django.utils.translation import gettext_lazy as _

KEY_ROTATED = "crypto.data_key.rotated"
KEY_RETIRED = "crypto.data_key.retired"

LABELS = {
    KEY_ROTATED: _("Data encryption key rotated"),
    KEY_RETIRED: _("Old data encryption key destroyed"),
}
