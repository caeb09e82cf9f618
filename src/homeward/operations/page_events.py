"""Audit event codes of the operations pages and papers: reads and prints (issue 5).

The writes' codes are in `operations.events` (ops services); these record who looked at an
operation, listed them, or printed a manifest or a child's handover record.
"""

from django.utils.translation import gettext_lazy as _

OPERATION_VIEWED = "operations.operation.viewed"
OPERATIONS_LISTED = "operations.operation.listed"
FOLLOW_UPS_LISTED = "operations.follow_up_report.listed"
MANIFEST_PRINTED = "operations.manifest.printed"
HANDOVER_RECORD_PRINTED = "operations.handover_record.printed"

READS = (OPERATION_VIEWED, OPERATIONS_LISTED, FOLLOW_UPS_LISTED)

LABELS = {
    OPERATION_VIEWED: _("Return operation opened"),
    OPERATIONS_LISTED: _("Return operations listed"),
    FOLLOW_UPS_LISTED: _("Follow-up reports listed"),
    MANIFEST_PRINTED: _("Operation manifest printed"),
    HANDOVER_RECORD_PRINTED: _("Handover record printed"),
}
