"""Workflow records: requirements policies, the transition log, closure requests and tasks.

A policy is data, never code per country, and it is never edited: publishing a change
creates a new version, so any decision can name the exact rule it was taken under.
`CaseTransition` is the case's status history; each row names the policy version in force.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import CaseStatus
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.evidence.choices import AssuranceItem
from homeward.workflow.choices import ClosureReason, ClosureStatus, TaskKind, TaskStatus

__all__ = ["CaseTransition", "ClosureRequest", "RequirementsPolicy", "Task"]


class ImmutableRecordError(RuntimeError):
    """Raised when code tries to edit a record that is only ever appended."""


class RequirementsPolicy(ScopedModelMixin, models.Model):
    """What a home state requires before its nationals can be returned, from a date on.

    Invariants: (home_state, version) is unique; a row is never updated (publish a new
    version); the fee has an amount and a currency when required; assurance items are
    known content items.
    """

    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    requires_dna_mother_child = models.BooleanField(_("mother-child DNA"), default=False)
    requires_kinship_dna_abroad = models.BooleanField(
        _("kinship DNA with relatives in the home state"), default=False
    )
    requires_home_court_decision = models.BooleanField(
        _("home-state court decision on birth and parentage"), default=False
    )
    court_decision_only_if_born_abroad = models.BooleanField(
        _("court decision only for children born outside the home state"), default=True
    )
    requires_mother_consent = models.BooleanField(_("mother's consent"), default=False)
    consent_substitute_allowed = models.BooleanField(
        _("a judicial decision may substitute for consent"), default=True
    )
    requires_guardian_vetting = models.BooleanField(
        _("guardian vetted by the home state"), default=True
    )
    requires_assurances = models.BooleanField(_("legal assurances"), default=True)
    assurance_items = models.JSONField(_("assurance content required"), default=list, blank=True)
    requires_bia = models.BooleanField(
        _("best-interests assessment (always for unaccompanied children)"), default=False
    )
    requires_fee = models.BooleanField(_("fee per child"), default=False)
    fee_amount = models.DecimalField(
        _("fee"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    requires_security_clearance = models.BooleanField(_("security clearance"), default=True)
    requires_medical_clearance = models.BooleanField(_("medical clearance"), default=True)
    accepts_mothers = models.BooleanField(_("accepts the mothers too"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    reason = models.TextField(_("reason for this version"), max_length=2000)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "core.homestate"

    class Meta:
        ordering = ["home_state", "-version"]
        verbose_name = _("requirements policy")
        verbose_name_plural = _("requirements policies")
        constraints = [
            models.UniqueConstraint(fields=["home_state", "version"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.home_state_id} v{self.version} ({self.effective_from})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("A policy is never edited: publish a new version.")
        super().save(*args, **kwargs)

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.home_state_id}

    def rules(self) -> dict:
        """The rule values only (what a new version copies and changes)."""
        return {field: getattr(self, field) for field in RULE_FIELDS}

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.requires_fee and not (self.fee_amount and self.fee_currency):
            errors.setdefault("fee_amount", []).append(
                _("A required fee has an amount and a currency.")
            )
        unknown = sorted(set(self.assurance_items or []) - set(AssuranceItem.values))
        if unknown:
            errors.setdefault("assurance_items", []).append(
                _("Unknown assurance items: %(items)s") % {"items": ", ".join(unknown)}
            )
        if not (self.reason or "").strip():
            errors.setdefault("reason", []).append(_("Say why this version is published."))
        if errors:
            raise ValidationError(errors)


RULE_FIELDS = (
    "requires_dna_mother_child",
    "requires_kinship_dna_abroad",
    "requires_home_court_decision",
    "court_decision_only_if_born_abroad",
    "requires_mother_consent",
    "consent_substitute_allowed",
    "requires_guardian_vetting",
    "requires_assurances",
    "assurance_items",
    "requires_bia",
    "requires_fee",
    "fee_amount",
    "fee_currency",
    "requires_security_clearance",
    "requires_medical_clearance",
    "accepts_mothers",
    "notes",
)


class CaseScoped(ScopedModelMixin):
    """Scoping shared by workflow rows that hang off a case."""

    capability_model = "cases.case"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.case.audit_context()


class CaseTransition(CaseScoped, models.Model):
    """One move of a case's status: who, when, why, and under which policy version.

    Append-only: the status history of a case is read from here. The one later write is
    `left_at`, the moment the case's next transition ended this stay, set by
    workflow.services.move in the same transaction (stage cycle times read it instead of
    pairing each row with the next one at every query).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(_("transition"), max_length=40)
    from_status = models.CharField(
        pgettext_lazy("earlier case status", "from"), max_length=32, choices=CaseStatus.choices
    )
    to_status = models.CharField(_("to"), max_length=32, choices=CaseStatus.choices)
    return_status = models.CharField(
        _("returns to"), max_length=32, choices=CaseStatus.choices, blank=True
    )
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    policy = models.ForeignKey(
        RequirementsPolicy,
        verbose_name=_("policy in force"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    reference = models.CharField(_("decision or document"), max_length=80, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    left_at = models.DateTimeField(_("left the status at"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.case}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("A status change is history: never edited.")
        super().save(*args, **kwargs)


class ClosureRequest(CaseScoped, models.Model):
    """An officer's request to close a case, approved or rejected by another person.

    Invariants: one pending request per case; the decider is never the requester.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="closure_requests"
    )
    reason = models.CharField(_("closure reason"), max_length=40, choices=ClosureReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_version = models.PositiveIntegerField(editable=False)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="closure_one_pending_per_case"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="closure_decider_not_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_reason_display()} ({self.get_status_display()})"


class Task(CaseScoped, models.Model):
    """Something the system asks an agency to do about a case (age thresholds, reviews).

    `key` makes creation idempotent: the daily rules create (case, key) at most once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=24, choices=TaskKind.choices)
    key = models.CharField(max_length=40, editable=False)
    title = models.CharField(_("task"), max_length=300)
    due = models.DateField(_("due"))
    owed_by = models.CharField(_("owed by"), max_length=32, choices=AgencyKind.choices)
    status = models.CharField(
        _("status"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    dob_estimated = models.BooleanField(_("based on an estimated date of birth"), default=False)
    created_by_system = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due", "created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="task_once_per_case_key")
        ]

    def __str__(self) -> str:
        return self.title
