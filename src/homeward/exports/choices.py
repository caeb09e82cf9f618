"""Choices of the exports app: what may be exported, in which form, and where it stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")
    GENERATED = "generated", _("Ready to download")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPIRED = "expired", _("Expired")
    DELETED = "deleted", _("Deleted")


# The states in which the encrypted file exists on disk.
FILE_STATES = (ExportState.GENERATED, ExportState.DOWNLOADED)
# The states the retention purge ends (everything not already ended).
OPEN_STATES = (
    ExportState.REQUESTED,
    ExportState.APPROVED,
    ExportState.GENERATED,
    ExportState.DOWNLOADED,
)


class Dataset(models.TextChoices):
    CHILDREN = "children", _("Children register")
    CASE_PROGRESS = "case_progress", _("Case progress")
    # One operation's manifest, for the receiving state (issue 5): four-eyes always, and a
    # disclosure recorded per child when the file is made.
    OPERATION_MANIFEST = "manifest", _("Operation manifest for the receiving state")
    # The list pages (issue 9 §3): each list's rows under its filters, in its columns.
    ADULT_CASES = "adult_cases", _("Adult cases")
    EVIDENCE_REQUESTS = "evidence_requests", _("Requests for evidence")
    OPERATIONS = "operations", _("Return operations")
    FOLLOW_UPS = "follow_ups", _("Follow-up reports")
    TRACING_REQUESTS = "tracing_requests", _("Tracing requests")
    DUPLICATES = "duplicates", _("Possible duplicates")
    AUDIT_EVENTS = "audit_events", _("Audit trail")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    CSV = "csv", _("CSV (comma-separated values)")


class PurposeCategory(models.TextChoices):
    CASE_WORK = "case_work", _("Case work")
    OPERATION = "operation", _("Planning a return operation")
    HOME_STATE = "home_state", _("Answering a home state")
    REPORTING = "reporting", _("Statistics and reporting")
    OVERSIGHT = "oversight", _("Oversight and audit")
    OTHER = "other", _("Other")
