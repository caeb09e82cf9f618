"""Audit event codes of the operations app (app.model.past_tense_verb)."""

from django.utils.translation import gettext_lazy as _

OPERATION_PROPOSED = "operations.operation.proposed"
OPERATION_UPDATED = "operations.operation.updated"
OPERATION_ADVANCED = "operations.operation.advanced"
OPERATION_POSTPONED = "operations.operation.postponed"
OPERATION_CANCELLED = "operations.operation.cancelled"
MANIFEST_FROZEN = "operations.manifest.frozen"
OPERATION_STARTED = "operations.operation.started"
OPERATION_COMPLETED = "operations.operation.completed"
OPERATION_RECONCILED = "operations.operation.reconciled"
ENTRY_ADDED = "operations.manifest_entry.added"
ENTRY_REMOVED = "operations.manifest_entry.removed"
ENTRY_CONFIRMED = "operations.manifest_entry.confirmed"
ENTRY_NOT_BOARDED = "operations.manifest_entry.not_boarded"
HANDOVER_RECORDED = "operations.handover.recorded"
HANDOVER_ITEM_RECORDED = "operations.handover_item.recorded"
ARRIVAL_CONFIRMED = "operations.arrival.confirmed"
FOLLOW_UPS_SCHEDULED = "operations.follow_up_report.scheduled"
FOLLOW_UP_RECORDED = "operations.follow_up_report.recorded"

# Transitions of a case that an operation causes, recorded as `workflow.case.<name>`.
CASE_NOT_BOARDED = "not_boarded"
CASE_RELEASED = "released_from_operation"

LABELS = {
    OPERATION_PROPOSED: _("Return operation proposed"),
    OPERATION_UPDATED: _("Return operation changed"),
    OPERATION_ADVANCED: _("Return operation moved on"),
    OPERATION_POSTPONED: _("Return operation postponed"),
    OPERATION_CANCELLED: _("Return operation cancelled"),
    MANIFEST_FROZEN: _("Manifest frozen"),
    OPERATION_STARTED: _("Return operation started"),
    OPERATION_COMPLETED: _("Return operation completed"),
    OPERATION_RECONCILED: _("Return operation reconciled"),
    ENTRY_ADDED: _("Added to a manifest"),
    ENTRY_REMOVED: _("Removed from a manifest"),
    ENTRY_CONFIRMED: _("Manifest entry confirmed"),
    ENTRY_NOT_BOARDED: _("Did not board"),
    HANDOVER_RECORDED: _("Handover of an operation recorded"),
    HANDOVER_ITEM_RECORDED: _("Child's handover recorded"),
    ARRIVAL_CONFIRMED: _("Arrival confirmed by the home state"),
    FOLLOW_UPS_SCHEDULED: _("Follow-up reports scheduled"),
    FOLLOW_UP_RECORDED: _("Follow-up report recorded"),
}
