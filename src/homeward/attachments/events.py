"""Audit event codes of the attachments app (app.model.past_tense_verb)."""

from django.utils.translation import gettext_lazy as _

ATTACHMENT_ADDED = "attachments.attachment.added"
ATTACHMENT_WITHDRAWN = "attachments.attachment.withdrawn"
ATTACHMENT_DOWNLOADED = "attachments.attachment.downloaded"
ATTACHMENT_VIEWED = "attachments.attachment.viewed"
ATTACHMENTS_LISTED = "attachments.attachment.listed"
INTEGRITY_FAILED = "attachments.attachment.integrity_failed"

# What the timeline and the access history call each event.
LABELS = {
    ATTACHMENT_ADDED: _("Document attached"),
    ATTACHMENT_WITHDRAWN: _("Document withdrawn"),
    ATTACHMENT_DOWNLOADED: _("Document downloaded"),
    ATTACHMENT_VIEWED: _("Document details read"),
    ATTACHMENTS_LISTED: _("Documents listed"),
    INTEGRITY_FAILED: _("Document failed its integrity check"),
}
