"""The retention schedule: how long each category of data is kept, and what happens then.

Periods run from the child's return (the handover recorded on the case) unless said
otherwise; settings.HOMEWARD_RETENTION_DAYS overrides any period by category code. A case
under an active legal hold keeps everything. The audit trail is not purged here: it is the
record of what was done with the data, kept for its own period and archived offline
(docs/security.md).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = ["CATEGORIES", "Category", "period_days"]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    days: int | None  # None: not purged by `purge_expired`
    runs_from: str
    action: str


CATEGORIES = [
    Category(
        "dna_results",
        _("Sealed DNA results (conclusion, statistic, report reference)"),
        365,
        _("the child's handover"),
        _("deleted; the comparison shows its result as sealed"),
    ),
    Category(
        "dna_samples",
        _("DNA sample records (collector, consent reference, chain of custody)"),
        365,
        _("the sample's own 'keep until' date, else the child's handover"),
        _("deleted"),
    ),
    Category(
        "security_assessments",
        _("Sealed security assessments"),
        2 * 365,
        _("the child's handover"),
        _("deleted; the clearance decision stays"),
    ),
    Category(
        "attachments",
        _("Attached documents of a returned child (files and their records)"),
        5 * 365,
        _("the child's handover"),
        _("file removed from disk and record deleted"),
    ),
    Category(
        "sessions",
        _("Expired sign-in sessions"),
        0,
        _("the session's expiry"),
        _("deleted"),
    ),
    Category(
        "exports",
        _("Generated exports"),
        7,
        _("the export's creation"),
        _("deleted by the exports app's purger (HOMEWARD_RETENTION_PURGERS)"),
    ),
    Category(
        "case_file",
        _("A returned child's case file (names, family links, custody, case history)"),
        10 * 365,
        _("the child's handover"),
        _("reviewed by the ministry; not destroyed automatically"),
    ),
    Category(
        "audit_trail",
        _("The audit trail (ids only, hash-chained)"),
        None,
        _("never purged here"),
        _("kept and archived offline with its signed checkpoints"),
    ),
]

BY_CODE = {category.code: category for category in CATEGORIES}


def period_days(code: str) -> int | None:
    """The retention period of `code` in days, with the settings override applied."""
    overrides = getattr(settings, "HOMEWARD_RETENTION_DAYS", {}) or {}
    return overrides.get(code, BY_CODE[code].days)
