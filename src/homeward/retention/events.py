"""Audit event codes of retention: legal holds and purges. Purge events carry ids only."""

from django.utils.translation import gettext_lazy as _

HOLD_PLACED = "retention.legal_hold.placed"
HOLD_RELEASED = "retention.legal_hold.released"
HOLDS_VIEWED = "retention.legal_hold.viewed"
RECORD_PURGED = "retention.record.purged"
SESSIONS_PURGED = "retention.sessions.purged"

LABELS = {
    HOLD_PLACED: _("Legal hold placed on a case"),
    HOLD_RELEASED: _("Legal hold released"),
    HOLDS_VIEWED: _("Legal holds of a case opened"),
    RECORD_PURGED: _("Record destroyed at the end of its retention period"),
    SESSIONS_PURGED: _("Expired sign-in sessions destroyed"),
}
