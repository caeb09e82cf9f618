"""An import: one uploaded file, its dry-run report row by row, and what its commit created.

`ImportBatch` keeps the original file (sealed at rest, like attachments) and the counters
the progress bar shows. `ImportRow` is the staged dry-run result of one data row: the values
read, the action (create / update / reject), the reasons, and the people it looks like.
`ImportedRecord` links every object a committed row created back to its row and file.

Scope: a batch belongs to a home state only when it was made by a home-state mission
(its replies); such batches are visible to that state's users, and registry-wide batches
only to users who see every home state.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.imports.choices import BatchStatus, DateOrder, RowAction

__all__ = ["ImportBatch", "ImportRow", "ImportedRecord", "imports_dir"]

STORAGE_KEY_LENGTH = 32


def imports_dir() -> Path:
    """Where sealed original files live (private, outside MEDIA_ROOT and STATIC_ROOT)."""
    default = Path(settings.DATA_DIR) / "private" / "imports"
    return Path(getattr(settings, "HOMEWARD_IMPORTS_DIR", default))


class ImportBatch(ScopedModelMixin, models.Model):
    """One uploaded file of one kind, from upload to commit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind of data"), max_length=24)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # the uploader's language: a cell may name a choice in it, so the dry run reads the file in
    # it (also in a worker); the reasons are stored unworded and read in each reader's own
    language = models.CharField(_("language"), max_length=8, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    storage_key = models.CharField(max_length=STORAGE_KEY_LENGTH, editable=False)
    encoding = models.CharField(_("encoding"), max_length=12, blank=True)
    encoding_override = models.CharField(_("encoding chosen"), max_length=12, blank=True)
    date_order = models.CharField(
        _("day/month order"), max_length=3, choices=DateOrder.choices, blank=True
    )
    date_order_override = models.CharField(
        _("day/month order chosen"), max_length=3, choices=DateOrder.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    file_errors = models.JSONField(_("errors in the file"), default=list, blank=True)
    unmapped_columns = models.JSONField(_("columns not imported"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    analysed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)
    duplicate_rows = models.PositiveIntegerField(
        _("rows that look like existing people"), default=0
    )
    committed_rows = models.PositiveIntegerField(_("rows committed"), default=0)
    committed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("committed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    failure = models.TextField(_("why the commit failed"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} · {str(self.pk)[:8]}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.home_state_id or ""}

    def report_rows(self, show: str = "problems"):
        """The dry-run report's rows in file order, as the page and the API list them:
        `show="problems"` keeps the rejected rows and the look-alikes, anything else every row."""
        rows = self.rows.order_by("number")
        if show == "problems":
            rows = rows.exclude(action=RowAction.CREATE, duplicates=[]).exclude(
                action=RowAction.UPDATE, duplicates=[]
            )
        return rows

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]

    @property
    def path(self) -> Path:
        return imports_dir() / self.storage_key[:2] / self.storage_key

    @property
    def kind_label(self) -> str:
        from homeward.imports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_working(self) -> bool:
        return self.status in BatchStatus.working()

    @property
    def can_commit(self) -> bool:
        return self.status == BatchStatus.READY

    @property
    def percent(self) -> int:
        """Progress of the current phase, 0–100."""
        if not self.total_rows:
            return 0
        done = self.committed_rows if self.status == BatchStatus.COMMITTING else self.analysed_rows
        return min(100, round(100 * done / self.total_rows))


class ImportRow(ScopedModelMixin, models.Model):
    """The dry-run result of one data row (its number is the row number in the file)."""

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,  # looked up through importrow_unique_number (batch, number)
    )
    number = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=8, choices=RowAction.choices)
    values = models.JSONField(_("values read"), default=dict)
    cells = models.JSONField(_("cells as written"), default=dict)
    errors = models.JSONField(_("errors"), default=list)  # [{column, msgid, params}]: reasons
    duplicates = models.JSONField(_("looks like"), default=list)

    objects = ScopedQuerySet.as_manager()
    capability_model = "imports.importbatch"

    class Meta:
        ordering = ["batch", "number"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="importrow_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.number}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(batch__home_state__in=home_states)

    @property
    def error_columns(self) -> set[str]:
        return {error.get("column", "") for error in self.errors}


class ImportedRecord(ScopedModelMixin, models.Model):
    """One object a committed row created: the link from any record back to its file."""

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    row = models.ForeignKey(ImportRow, on_delete=models.PROTECT, related_name="records")
    model = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record"), max_length=64, db_index=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "imports.importbatch"

    class Meta:
        ordering = ["batch", "row", "id"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(batch__home_state__in=home_states)
