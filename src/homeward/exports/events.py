"""Audit event codes of the exports app (app.model.past_tense_verb).

Every step of an export leaves one event: who asked and why, who approved or refused, when
the file was made (with the ids it holds), each link handed out, each download, and its end.
"""

from django.utils.translation import gettext_lazy as _

EXPORT_REQUESTED = "exports.exportrequest.requested"
EXPORT_APPROVED = "exports.exportrequest.approved"
EXPORT_REJECTED = "exports.exportrequest.rejected"
EXPORT_GENERATED = "exports.exportrequest.generated"
EXPORT_LINK_ISSUED = "exports.exportrequest.link_issued"
EXPORT_DOWNLOADED = "exports.exportrequest.downloaded"
EXPORT_EXPIRED = "exports.exportrequest.expired"
EXPORT_DELETED = "exports.exportrequest.deleted"
EXPORT_FILTERS_CLEARED = "exports.exportrequest.filters_cleared"

LABELS = {
    EXPORT_REQUESTED: _("Export requested"),
    EXPORT_APPROVED: _("Export approved"),
    EXPORT_REJECTED: _("Export refused"),
    EXPORT_GENERATED: _("Export file prepared"),
    EXPORT_LINK_ISSUED: _("Export download link issued"),
    EXPORT_DOWNLOADED: _("Export downloaded"),
    EXPORT_EXPIRED: _("Export expired and its file deleted"),
    EXPORT_DELETED: _("Export deleted"),
    EXPORT_FILTERS_CLEARED: _("Filters of an ended export cleared"),
}
