"""Audit event codes of the attachments app (app.model.past_tense_verb)."""

ATTACHMENT_ADDED = "attachments.attachment.added"
ATTACHMENT_WITHDRAWN = "attachments.attachment.withdrawn"
ATTACHMENT_DOWNLOADED = "attachments.attachment.downloaded"
ATTACHMENT_VIEWED = "attachments.attachment.viewed"
ATTACHMENTS_LISTED = "attachments.attachment.listed"
INTEGRITY_FAILED = "attachments.attachment.integrity_failed"
