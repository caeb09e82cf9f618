"""Export requests: a controlled way for personal data to leave the system as a file.

An ExportRequest is the whole life of one file: who asked, why, for which rows (fixed when
asked, so that the approver approves exactly what will leave), who approved it, the encrypted
file on disk, each single-use download link, and its end (expired or deleted).

Who sees a request: its requester, and the holders of `exports.approve_exportrequest` whose
home-state scope covers every state the export covers (an approver limited to Russia never
sees, nor approves, an export of Tajik children). An export's own home states are the
requester's scope narrowed by the home-state filter, fixed at request time.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet, capability_for
from homeward.exports.choices import (
    FILE_STATES,
    Dataset,
    ExportFormat,
    ExportState,
    PurposeCategory,
)

__all__ = ["ExportDownloadLink", "ExportRequest", "export_path"]

STORAGE_KEY_LENGTH = 32


def export_path(storage_key: str) -> Path:
    """Where the encrypted bytes of `storage_key` live: `<exports dir>/<2-char prefix>/<key>`."""
    if len(storage_key) != STORAGE_KEY_LENGTH or not all(
        c in "0123456789abcdef" for c in storage_key
    ):
        raise ValueError("not a storage key")
    return Path(settings.HOMEWARD_EXPORTS_DIR) / storage_key[:2] / storage_key


class ExportRequestQuerySet(ScopedQuerySet):
    """Requests a user may see ("view") or decide ("approve").

    "view": the user's own requests (with the view capability), plus those an approver may
    decide. "approve": requests whose home states the approver's scope covers, including the
    approver's own (the service refuses self-approval with a 403, not a 404).
    """

    def for_user(self, user, action: str = "view") -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        approver = user.has_capability(capability_for(self.model, "approve"))
        scope = user.home_state_scope() if approver else frozenset()
        if action == "approve":
            if not approver:
                return self.none()
            return self.all() if scope is None else self.filter(self.model.scope_filter(scope))
        if not user.has_capability(capability_for(self.model, action)):
            return self.none()
        if approver and scope is None:
            return self.all()
        if approver:
            return self.filter(Q(requester=user) | self.model.scope_filter(scope))
        return self.filter(requester=user)


class ExportRequest(ScopedModelMixin, models.Model):
    """One requested export and its file.

    Invariants: `record_ids` and `row_count` are fixed at request time; a decided request
    names its decider (None only for an automatic approval below the threshold) and the
    decider is never the requester; `storage_key` is set exactly while the file exists
    (GENERATED, DOWNLOADED); the file holds only rows still in the requester's scope when
    it is made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        "accounts.User",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="export_requests",
    )
    requested_at = models.DateTimeField(_("requested"))
    purpose_category = models.CharField(
        _("kind of purpose"), max_length=16, choices=PurposeCategory.choices
    )
    purpose = models.TextField(_("purpose"), max_length=1000)
    dataset = models.CharField(_("data"), max_length=32, choices=Dataset.choices)
    file_format = models.CharField(_("file format"), max_length=8, choices=ExportFormat.choices)
    filter_home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filter_status = models.CharField(_("case status"), max_length=32, blank=True)
    filter_operation = models.ForeignKey(
        "operations.Operation",
        verbose_name=_("return operation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A list's filters as the list's querystring gave them, checked (exports/lists.py).
    filters = models.JSONField(_("list filters"), default=dict, blank=True)
    # The home states the export covers: every state (the requester saw all), or a list.
    all_home_states = models.BooleanField(_("covers every home state"), default=False)
    home_states = models.ManyToManyField(
        "core.HomeState", verbose_name=_("home states covered"), blank=True, related_name="+"
    )
    record_ids = models.JSONField(default=list, editable=False)
    row_count = models.PositiveIntegerField(_("rows"))
    needs_approval = models.BooleanField(_("needs a second person's approval"), default=True)

    state = models.CharField(
        _("state"), max_length=12, choices=ExportState.choices, default=ExportState.REQUESTED
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), max_length=1000, blank=True)
    generated_at = models.DateTimeField(_("file prepared"), null=True, blank=True)
    storage_key = models.CharField(max_length=STORAGE_KEY_LENGTH, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the encrypted file"), max_length=64, blank=True)
    downloaded_at = models.DateTimeField(_("first downloaded"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requester")),
                name="export_not_decided_by_requester",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in FILE_STATES]) | Q(storage_key=""),
                name="export_file_only_while_kept",
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="export_state_time")]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} · {str(self.pk)[:8]}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        """Exports confined to the given states: not "every state", and no state outside them."""
        outside = ExportRequest.home_states.through.objects.exclude(
            homestate_id__in=home_states
        ).values("exportrequest_id")
        return Q(all_home_states=False) & ~Q(pk__in=outside)

    def audit_context(self) -> dict:
        states = list(self.home_states.values_list("code", flat=True))
        single = states[0] if len(states) == 1 and not self.all_home_states else ""
        return {"home_state": single}

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]

    @property
    def filter_status_label(self) -> str:
        from homeward.cases.choices import CaseStatus

        if self.filter_status in CaseStatus.values:
            return str(CaseStatus(self.filter_status).label)
        return self.filter_status

    @property
    def has_file(self) -> bool:
        return bool(self.storage_key) and self.state in FILE_STATES

    @property
    def path(self) -> Path:
        return export_path(self.storage_key)

    def download_name(self) -> str:
        """No personal data in the name: dataset, short id, format, and the age suffix."""
        return f"homeward-{self.dataset}-{self.short_id}.{self.file_format}.age"


class ExportDownloadLink(models.Model):
    """A single-use, short-lived link to an export's file. Only the token's hash is stored."""

    id = models.BigAutoField(primary_key=True)
    export = models.ForeignKey(ExportRequest, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("download link")
        verbose_name_plural = _("download links")

    def __str__(self) -> str:
        return f"{self.export} · {self.issued_at:%Y-%m-%d %H:%M}"
