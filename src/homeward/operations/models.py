"""Return operations, their manifests, handovers, arrivals and follow-up (domain.md §3.2).

An Operation is one return batch (a flight or convoy) for one home state. Its manifest lists
the children (with a case) and the adults travelling with them (no case, `accompanies` set).
A child is *returned* when their entry is BOARDED on an operation whose Handover is recorded;
`queries.returned_children()` is the one definition statistics build on. Every row is scoped
by the operation's (or case's) home state; every write goes through `operations.services`.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.operations.choices import (
    CarrierKind,
    EntryStatus,
    IdentityMethod,
    MemberRole,
    MemberSide,
    NotBoardedReason,
    OperationStatus,
    Placement,
)

__all__ = [
    "Arrival",
    "FollowUpReport",
    "Handover",
    "HandoverItem",
    "ManifestEntry",
    "Operation",
    "OperationDateChange",
    "OperationMember",
    "Reconciliation",
]

OPERATION = "operations.operation"


def validate_officials(value) -> None:
    """Officials are a list of {"name", "role", "organisation"} with a non-empty name."""
    if not isinstance(value, list):
        raise ValidationError(_("Officials must be a list."))
    for entry in value:
        if (
            not isinstance(entry, dict)
            or set(entry) - {"name", "role", "organisation"}
            or not str(entry.get("name", "")).strip()
            or not all(isinstance(entry.get(key, ""), str) for key in ("role", "organisation"))
        ):
            raise ValidationError(
                _("Each official needs a name and, optionally, a role and an organisation.")
            )


def validate_short_strings(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and 0 < len(item.strip()) <= 200 for item in value
    ):
        raise ValidationError(_("Give a list of short descriptions."))


class Operation(ScopedModelMixin, models.Model):
    """A return batch: one home state, one date, one carrier, one manifest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        related_name="operations",
    )
    host_state = models.CharField(_("host state"), max_length=2, default="IQ")
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=OperationStatus.choices,
        default=OperationStatus.PROPOSED,
    )
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    carrier_kind = models.CharField(
        _("kind of carrier"), max_length=32, choices=CarrierKind.choices, blank=True
    )
    aircraft = models.CharField(_("aircraft"), max_length=100, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    handover_location = models.CharField(_("handover location"), max_length=200, blank=True)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    planned_count = models.PositiveIntegerField(
        _("children planned"),
        null=True,
        blank=True,
        help_text=_("Set when the manifest is frozen."),
    )
    actual_count = models.PositiveIntegerField(
        _("children returned"), null=True, blank=True, help_text=_("Set at completion.")
    )
    fee_per_child = models.DecimalField(
        _("fee per child"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    frozen_at = models.DateTimeField(_("manifest frozen"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_date", "reference"]
        verbose_name = _("return operation")
        verbose_name_plural = _("return operations")
        indexes = [
            models.Index(fields=["home_state", "planned_date"], name="operation_state_date"),
            models.Index(fields=["status"], name="operation_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"operation_id": self.pk, "home_state": self.home_state_id}

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class OperationDateChange(ScopedModelMixin, models.Model):
    """One postponement: the date moved from `from_date` to `to_date`, and why."""

    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        related_name="date_changes",
    )
    from_date = models.DateField(_("from"))
    to_date = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Empty: postponed until a new date is agreed.")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("changed"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["operation", "at"]
        verbose_name = _("date change")
        verbose_name_plural = _("date changes")

    def __str__(self) -> str:
        return f"{self.from_date} → {self.to_date}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(operation__home_state__in=home_states)


class OperationMember(ScopedModelMixin, models.Model):
    """A member of the escort team, of the host side, or an observer (UNICEF, ICRC)."""

    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=32, choices=MemberRole.choices)
    side = models.CharField(_("side"), max_length=16, choices=MemberSide.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["operation", "side", "role", "name"]
        verbose_name = _("operation member")
        verbose_name_plural = _("operation members")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(operation__home_state__in=home_states)


class ManifestEntry(ScopedModelMixin, models.Model):
    """A person on an operation's manifest: a child (with a case) or an accompanying adult."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="manifest_entries",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="manifest_entries",
    )
    accompanies = models.ForeignKey(
        "cases.Case",
        verbose_name=_("travels with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompanying_entries",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.PLANNED
    )
    added_after_freeze = models.BooleanField(_("added after freeze"), default=False)
    change_reason = models.TextField(_("reason for the change"), blank=True, max_length=2000)
    not_boarded_reason = models.CharField(
        _("reason not boarded"), max_length=32, choices=NotBoardedReason.choices, blank=True
    )
    not_boarded_note = models.TextField(_("note"), blank=True, max_length=2000)
    medical_needs = models.TextField(_("medical needs"), blank=True, max_length=2000)
    escort = models.ForeignKey(
        OperationMember,
        verbose_name=_("escort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escorted_entries",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["operation", "created_at"]
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "person"], name="manifest_entry_unique_person"
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="manifest_entry_status"),
            # a case's boarded entries (cases.facts): without it SQLite's planner walks every
            # entry of the status instead of the case's own
            models.Index(fields=["case", "status"], name="manifest_entry_case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.person_id}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(operation__home_state__in=home_states)

    def audit_context(self) -> dict:
        context = {"operation_id": self.operation_id, "person_id": self.person_id}
        if self.case_id:
            context["case_id"] = self.case_id
        return context

    @property
    def is_child(self) -> bool:
        return self.case_id is not None


class Handover(ScopedModelMixin, models.Model):
    """The handover of an operation's children to the home state, signed on paper.

    `attested_by` is the official recording that the signatures were made on paper.
    """

    operation = models.OneToOneField(
        Operation,
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="handover",
    )
    handed_over_at = models.DateTimeField(_("handed over at"))
    location = models.CharField(_("location"), max_length=200)
    host_officials = models.JSONField(
        _("host officials"), default=list, blank=True, validators=[validate_officials]
    )
    receiving_officials = models.JSONField(
        _("receiving officials"), default=list, blank=True, validators=[validate_officials]
    )
    witnesses = models.JSONField(
        _("witnesses"), default=list, blank=True, validators=[validate_officials]
    )
    attested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("attested by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["-handed_over_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.operation_id} {self.handed_over_at:%Y-%m-%d}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(operation__home_state__in=home_states)


class HandoverItem(ScopedModelMixin, models.Model):
    """What was checked and handed over for one child's entry."""

    entry = models.OneToOneField(
        ManifestEntry,
        verbose_name=_("manifest entry"),
        on_delete=models.PROTECT,
        related_name="handover_item",
    )
    identity_checked_by = models.CharField(_("identity checked by"), max_length=200)
    identity_method = models.CharField(
        _("identity checked by means of"), max_length=32, choices=IdentityMethod.choices
    )
    documents_handed = models.JSONField(
        _("documents handed over"), default=list, blank=True, validators=[validate_short_strings]
    )
    medical_summary_handed = models.BooleanField(_("medical summary handed over"), default=False)
    belongings = models.TextField(_("belongings"), blank=True, max_length=2000)
    receiving_official = models.CharField(_("receiving official"), max_length=200, blank=True)
    boarded_at = models.DateTimeField(_("boarded at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["entry"]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")

    def __str__(self) -> str:
        return str(self.entry_id)

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(entry__operation__home_state__in=home_states)


class Reconciliation(ScopedModelMixin, models.Model):
    """Planned against actual, once the operation is done; each NOT_BOARDED reason is detail."""

    operation = models.OneToOneField(
        Operation,
        verbose_name=_("operation"),
        on_delete=models.PROTECT,
        related_name="reconciliation",
    )
    planned_count = models.PositiveIntegerField(_("children planned"))
    actual_count = models.PositiveIntegerField(_("children returned"))
    explanation = models.TextField(_("explanation"), blank=True, max_length=4000)
    reconciled_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reconciled by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reconciled_at = models.DateTimeField(_("reconciled"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    capability_model = OPERATION

    class Meta:
        ordering = ["-reconciled_at"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.planned_count}/{self.actual_count}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(operation__home_state__in=home_states)


class FollowUpReport(ScopedModelMixin, models.Model):
    """A report on a returned child's placement, schooling and health, due on a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="follow_up_reports",
    )
    due_date = models.DateField(_("due"))
    received_on = models.DateField(_("received"), null=True, blank=True)
    reporting_body = models.CharField(_("reporting body"), max_length=200, blank=True)
    placement_status = models.CharField(
        _("placement"), max_length=32, choices=Placement.choices, blank=True
    )
    schooling = models.TextField(_("schooling"), blank=True, max_length=2000)
    health_summary = models.TextField(_("health"), blank=True, max_length=2000)
    concerns = models.TextField(_("concerns"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "due_date"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        indexes = [models.Index(fields=["due_date"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.due_date}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"case_id": self.case_id}

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.received_on is None and self.due_date < today


class Arrival(ScopedModelMixin, models.Model):
    """The home state's confirmation that the child arrived, and where they went first."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="arrival",
    )
    arrived_on = models.DateField(_("arrived on"))
    placement = models.CharField(_("placement"), max_length=32, choices=Placement.choices)
    placement_detail = models.TextField(_("placement detail"), blank=True, max_length=2000)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    follow_up_every_months = models.PositiveSmallIntegerField(
        _("follow-up every (months)"), null=True, blank=True
    )
    follow_up_until = models.DateField(_("follow-up until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "operations.followupreport"

    class Meta:
        ordering = ["-arrived_on"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")

    def __str__(self) -> str:
        return f"{self.case_id} {self.arrived_on}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"case_id": self.case_id}
