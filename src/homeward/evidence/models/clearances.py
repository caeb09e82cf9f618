"""Clearances: approval objects per type (judicial, security, medical, ministry, fee).

A clearance is requested, then decided once (approved or rejected). Renewal is a new
request, never an edit: the gate reads the newest clearance of each type, and an approved
clearance past `expires_at` reopens its gate. The substance of a security assessment is
sealed in `SecurityAssessment` under its own grant (`evidence.view_securityassessment`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.crypto.fields import EncryptedTextField
from homeward.evidence.choices import ClearanceStatus, ClearanceType
from homeward.evidence.models.base import CaseEvidence

__all__ = ["Clearance", "SecurityAssessment"]


class Clearance(CaseEvidence):
    """One approval object: who asked, who decided, with what reference, conditions, expiry."""

    clearance_type = models.CharField(_("type"), max_length=10, choices=ClearanceType.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ClearanceStatus.choices,
        default=ClearanceStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_policy = models.ForeignKey(
        "workflow.RequirementsPolicy",
        verbose_name=_("policy in force at the decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("decision number"), max_length=80, blank=True)
    conditions = EncryptedTextField(_("conditions"), blank=True, max_length=2000)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    comments = EncryptedTextField(_("comments"), blank=True, max_length=2000)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_clearance_type_display()}: {self.get_status_display()}"

    @property
    def is_sealed_type(self) -> bool:
        return self.clearance_type == ClearanceType.SECURITY

    def notes_sealed_for(self, viewer) -> bool:
        """True when `viewer` may not read this clearance's notes: a medical clearance's
        conditions and comments are health data (`evidence.view_health`)."""
        from homeward.accounts.capabilities import VIEW_HEALTH

        if self.clearance_type != ClearanceType.MEDICAL:
            return False
        return viewer is None or not viewer.has_capability(VIEW_HEALTH)

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_valid(self, now=None) -> bool:
        """Approved and not expired: what a gate needs."""
        return self.status == ClearanceStatus.APPROVED and not self.is_expired(now)

    def assessment_for(self, viewer) -> "SecurityAssessment | None":
        """The sealed security assessment if `viewer` holds the grant, else None."""
        return SecurityAssessment.objects.for_user(viewer).filter(clearance=self).first()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        decided = self.status != ClearanceStatus.REQUESTED
        if decided and not (self.decided_at and self.decided_by_id):
            errors.setdefault("status", []).append(_("A decision records when and by whom."))
        if self.decided_at and self.decided_at < self.requested_at:
            errors.setdefault("decided_at", []).append(_("A decision comes after the request."))
        if self.status == ClearanceStatus.APPROVED and not self.reference:
            errors.setdefault("reference", []).append(_("An approval cites its decision number."))
        if self.expires_at and self.decided_at and self.expires_at <= self.decided_at:
            errors.setdefault("expires_at", []).append(_("A clearance expires after it is given."))
        if self.is_sealed_type and (self.conditions or self.comments):
            errors.setdefault("conditions", []).append(
                _("A security clearance keeps its conditions in the sealed assessment.")
            )
        if errors:
            raise ValidationError(errors)


class SecurityAssessment(ScopedModelMixin, models.Model):
    """The sealed substance of a security clearance: the assessment and its conditions."""

    clearance = models.OneToOneField(
        Clearance, on_delete=models.PROTECT, primary_key=True, related_name="sealed_assessment"
    )
    assessment = EncryptedTextField(_("assessment"), max_length=4000)
    conditions = EncryptedTextField(_("conditions"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("security assessment (sealed)")
        verbose_name_plural = _("security assessments (sealed)")

    def __str__(self) -> str:
        return str(_("Sealed security assessment"))

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(clearance__case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.clearance.audit_context()
