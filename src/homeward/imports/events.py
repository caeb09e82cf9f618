"""Audit event codes of the imports app.

The records an import creates carry their own apps' events (a child registered, a custody
move…); these say who brought which file in and what became of it.
"""

from django.utils.translation import gettext_lazy as _

BATCH_UPLOADED = "imports.batch.uploaded"
BATCH_ANALYSED = "imports.batch.analysed"
BATCH_COMMITTED = "imports.batch.committed"
BATCH_COMMIT_FAILED = "imports.batch.commit_failed"
BATCH_FILE_DOWNLOADED = "imports.batch.file_downloaded"
BATCH_REPORT_VIEWED = "imports.batch.report_viewed"

LABELS = {
    BATCH_UPLOADED: _("Import file uploaded"),
    BATCH_ANALYSED: _("Import dry run completed"),
    BATCH_COMMITTED: _("Import committed"),
    BATCH_COMMIT_FAILED: _("Import commit failed; nothing was written"),
    BATCH_FILE_DOWNLOADED: _("Original import file downloaded"),
    BATCH_REPORT_VIEWED: _("Import dry-run report read"),
}

# Reads: the file and the report hold the names and dates of the people in it
READ_EVENTS = frozenset({BATCH_FILE_DOWNLOADED, BATCH_REPORT_VIEWED})
