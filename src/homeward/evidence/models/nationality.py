"""The nationality track: a claim toward a state, and that state's answer.

Invariant that protects against impostor claims (domain.md §2.6): a claim's basis, even a
document, never confirms nationality on its own. Only a NationalityDetermination recorded
for the claimed state itself, citing the state's instrument, confirms a claim.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.evidence.choices import (
    ClaimBasis,
    ClaimedBy,
    ClaimStatus,
    DeterminationDecision,
    InstrumentType,
)
from homeward.evidence.models.base import CaseEvidence, today

__all__ = ["NationalityClaim", "NationalityDetermination"]


class NationalityClaim(CaseEvidence):
    """A claim that the child is a national of `claimed_state`, and its notification.

    `notified_on`/`notification_reference` record the note verbale (T3); the acknowledgement
    fields record the home state's reply, focal point and consular access (T4).
    """

    claimed_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("claimed state"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(_("basis"), max_length=24, choices=ClaimBasis.choices)
    claimed_by = models.CharField(_("claimed by"), max_length=12, choices=ClaimedBy.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    notified_on = models.DateField(_("home state notified on"), null=True, blank=True)
    notification_reference = models.CharField(_("note verbale"), max_length=80, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    focal_point = models.CharField(_("consular focal point"), max_length=120, blank=True)
    consular_access_on = models.DateField(_("consular access or visit"), null=True, blank=True)
    home_state_reference = models.CharField(_("home state's reference"), max_length=80, blank=True)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("nationality claim")
        verbose_name_plural = _("nationality claims")

    def __str__(self) -> str:
        return f"{self.case} → {self.claimed_state_id} ({self.get_basis_display()})"

    @property
    def is_toward_case_state(self) -> bool:
        return self.claimed_state_id == self.case.home_state_id

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for field in ("notified_on", "acknowledged_on", "consular_access_on"):
            value = getattr(self, field)
            if value and value > today():
                errors.setdefault(field, []).append(_("This date cannot be in the future."))
        if self.notified_on and not self.notification_reference:
            errors.setdefault("notification_reference", []).append(
                _("Give the note verbale's number when the home state is notified.")
            )
        if self.acknowledged_on and not self.focal_point:
            errors.setdefault("focal_point", []).append(
                _("An acknowledgement names the home state's focal point.")
            )
        if self.acknowledged_on and self.notified_on and self.acknowledged_on < self.notified_on:
            errors.setdefault("acknowledged_on", []).append(
                _("The home state cannot acknowledge before it was notified.")
            )
        if errors:
            raise ValidationError(errors)


class NationalityDetermination(CaseEvidence):
    """The claimed state's formal answer: recognised, not recognised, or pending its court.

    Invariants: it answers a claim on the same case; a recognition cites the state's
    instrument (note verbale, court decision, certificate) by number.
    """

    claim = models.ForeignKey(
        NationalityClaim,
        verbose_name=_("claim"),
        on_delete=models.PROTECT,
        related_name="determinations",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=DeterminationDecision.choices)
    instrument_type = models.CharField(
        _("instrument"), max_length=24, choices=InstrumentType.choices
    )
    instrument_reference = models.CharField(_("instrument number"), max_length=80, blank=True)
    decided_on = models.DateField(_("decided on"))
    authority = models.CharField(_("deciding authority"), max_length=160, blank=True)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("nationality determination")
        verbose_name_plural = _("nationality determinations")

    def __str__(self) -> str:
        return f"{self.claim} — {self.get_decision_display()}"

    @property
    def is_recognition(self) -> bool:
        return self.decision == DeterminationDecision.RECOGNISED

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.claim_id and self.case_id and self.claim.case_id != self.case_id:
            errors.setdefault("claim", []).append(_("The claim belongs to another case."))
        if self.decision == DeterminationDecision.RECOGNISED and not self.instrument_reference:
            errors.setdefault("instrument_reference", []).append(
                _("A recognition must cite the home state's instrument by its number.")
            )
        if self.decided_on and self.decided_on > today():
            errors.setdefault("decided_on", []).append(_("This date cannot be in the future."))
        if errors:
            raise ValidationError(errors)
