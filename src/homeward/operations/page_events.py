"""Audit event codes of the operations pages and papers: reads and prints (issue 5).

The writes' and the reads' codes are in `operations.events`; these record who printed a
manifest or a child's handover record, and which persons it listed.
"""

from django.utils.translation import gettext_lazy as _

MANIFEST_PRINTED = "operations.manifest.printed"
HANDOVER_RECORD_PRINTED = "operations.handover_record.printed"

LABELS = {
    MANIFEST_PRINTED: _("Operation manifest printed"),
    HANDOVER_RECORD_PRINTED: _("Handover record printed"),
}
