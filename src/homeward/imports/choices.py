"""Enumerations of the imports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, waiting for the dry run")
    ANALYSING = "analysing", _("Dry run in progress")
    NEEDS_DATE_ORDER = "needs_date_order", _("Day/month order must be chosen")
    REJECTED = "rejected", _("Dry run found errors")
    READY = "ready", _("Ready to commit")
    COMMIT_QUEUED = "commit_queued", _("Waiting to commit")
    COMMITTING = "committing", _("Committing")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Commit failed, nothing written")

    @classmethod
    def working(cls) -> list[str]:
        """States in which a worker still has something to do (the page keeps polling)."""
        return [cls.UPLOADED, cls.ANALYSING, cls.COMMIT_QUEUED, cls.COMMITTING]


class RowAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    REJECT = "reject", _("Reject")


class DateOrder(models.TextChoices):
    DMY = "dmy", _("day/month/year")
    MDY = "mdy", _("month/day/year")


class Encoding(models.TextChoices):
    UTF8 = "utf-8", _("UTF-8")
    CP1256 = "cp1256", _("Windows-1256 (Arabic)")
    CP1251 = "cp1251", _("Windows-1251 (Cyrillic)")
    XLSX = "xlsx", _("Excel workbook")
