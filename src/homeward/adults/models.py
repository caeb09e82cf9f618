"""Adult cases: a foreign woman (or man) in Iraqi custody, linked to her children's cases.

An adult case is a separate model, not a `cases.Case` with a subject kind: the child's case
carries a lifecycle (fourteen states, gates about guardians, consent, best interests) that
does not apply to an adult, whose track is legal (domain.md §2.4 C) and whose return gate is
short (docs/adults.md). The person, her court cases (evidence.CourtCase, charges sealed) and
her children stay where they are; the adult case links them. A juvenile who turned 18 in
custody continues as an adult case that points at the child's case (`from_case`): the
history is linked, never copied.

Scope: the adult case's `home_state` (her nationality, the state that would receive her).
A consul sees its own nationals' adult cases and no other.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.adults.choices import (
    ConsentLevel,
    LegalStatus,
    ReturnStep,
    RouteHome,
    SentenceKind,
)
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet

__all__ = ["AdultCase", "ConsularVisit", "LegalStatusChange"]

TEXT_LIMIT = 4000


class AdultCase(ScopedModelMixin, models.Model):
    """One adult's way home. Invariant: a fixed-term conviction has an expected release date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="adult_case",
    )
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        related_name="adult_cases",
    )
    from_case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("continues the child's case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adult_continuation",
    )
    facility = models.ForeignKey(
        "people.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detainee_number = models.CharField(_("detainee number"), max_length=40, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=24, choices=LegalStatus.choices, default=LegalStatus.DETAINED
    )
    status_since = models.DateField(_("status since"))
    sentence_kind = models.CharField(
        _("sentence"), max_length=12, choices=SentenceKind.choices, blank=True
    )
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)
    route_home = models.CharField(
        _("route home"), max_length=16, choices=RouteHome.choices, default=RouteHome.UNDECIDED
    )
    nationality_confirmed_on = models.DateField(
        _("nationality confirmed on"), null=True, blank=True
    )
    transfer_agreed_on = models.DateField(_("transfer agreed on"), null=True, blank=True)
    exit_authorised_on = models.DateField(_("exit authorised on"), null=True, blank=True)
    travel_document_on = models.DateField(_("travel document issued on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("adult case")
        verbose_name_plural = _("adult cases")
        indexes = [
            models.Index(fields=["home_state", "legal_status"], name="adultcase_state_status"),
            models.Index(fields=["expected_release_on"], name="adultcase_release"),
        ]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {
            "person_id": self.person_id,
            "case_id": self.from_case_id,
            "home_state": self.home_state_id,
        }

    @property
    def is_pending(self) -> bool:
        return self.legal_status not in LegalStatus.ended()

    def step_date(self, step: str) -> datetime.date | None:
        return getattr(self, STEP_FIELDS[step])

    def missing_for_return(self) -> list[str]:
        """What still stands between the adult and the flight home, in words (nothing once
        she has left: deported, transferred or handed over)."""
        if self.legal_status in (
            LegalStatus.DEPORTED,
            LegalStatus.TRANSFERRED,
            LegalStatus.HANDED_OVER,
        ):
            return []
        missing = []
        if not self.nationality_confirmed_on:
            missing.append(str(ReturnStep.NATIONALITY_CONFIRMED.label))
        if self.legal_status not in LegalStatus.free_to_leave():
            transfer = self.route_home == RouteHome.TRANSFER and self.transfer_agreed_on
            if not (transfer and self.legal_status in LegalStatus.serving()):
                missing.append(str(_("Sentence served, or a transfer agreed")))
        if not self.exit_authorised_on:
            missing.append(str(ReturnStep.EXIT_AUTHORISED.label))
        if not self.travel_document_on:
            missing.append(str(ReturnStep.TRAVEL_DOCUMENT.label))
        return missing

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.legal_status in LegalStatus.serving() and not self.sentence_kind:
            errors.setdefault("sentence_kind", []).append(_("Say what the sentence is."))
        if (
            self.legal_status in LegalStatus.serving()
            and self.sentence_kind == SentenceKind.FIXED_TERM
            and not self.expected_release_on
        ):
            errors.setdefault("expected_release_on", []).append(
                _("A fixed-term sentence has an expected release date.")
            )
        if self.sentence_kind in (SentenceKind.DEATH, SentenceKind.LIFE) and (
            self.expected_release_on and self.legal_status in LegalStatus.serving()
        ):
            errors.setdefault("expected_release_on", []).append(
                _("A death or life sentence has no expected release date.")
            )
        if self.from_case_id and self.from_case.child_id != self.person_id:
            errors.setdefault("from_case", []).append(
                _("An adult case continues the case of the same person.")
            )
        if errors:
            raise ValidationError(errors)


STEP_FIELDS = {
    ReturnStep.NATIONALITY_CONFIRMED: "nationality_confirmed_on",
    ReturnStep.TRANSFER_AGREED: "transfer_agreed_on",
    ReturnStep.EXIT_AUTHORISED: "exit_authorised_on",
    ReturnStep.TRAVEL_DOCUMENT: "travel_document_on",
}


class LegalStatusChange(ScopedModelMixin, models.Model):
    """One step of the adult's legal track, as recorded (the track's history)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    adult_case = models.ForeignKey(
        AdultCase, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=LegalStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=LegalStatus.choices)
    on = models.DateField(_("date"))
    sentence_kind = models.CharField(
        _("sentence"), max_length=12, choices=SentenceKind.choices, blank=True
    )
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=TEXT_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "adults.adultcase"

    class Meta:
        ordering = ["-on", "-recorded_at"]
        verbose_name = _("legal status change")
        verbose_name_plural = _("legal status changes")

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} {self.on}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(adult_case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.adult_case.audit_context()


class ConsularVisit(ScopedModelMixin, models.Model):
    """A visit of home-state officials to a national in custody.

    What was discussed is recorded only at the level the detainee consented to: with
    consent "none" the visit is logged (who, whom, when, where, interpreter) and nothing of
    its content. Invariant: no summary without consent to record one; no visit in the future.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    adult_case = models.ForeignKey(
        AdultCase,
        verbose_name=_("adult case"),
        on_delete=models.PROTECT,
        related_name="consular_visits",
    )
    visited_on = models.DateField(_("visited on"))
    facility = models.ForeignKey(
        "people.Facility",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officials = models.CharField(
        _("officials"),
        max_length=300,
        help_text=_("Names and functions of the home-state officials who visited."),
    )
    mission = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("mission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    consent_level = models.CharField(
        _("the detainee agreed to record"), max_length=8, choices=ConsentLevel.choices
    )
    discussed = models.TextField(_("what was discussed"), blank=True, max_length=TEXT_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-recorded_at"]
        verbose_name = _("consular visit")
        verbose_name_plural = _("consular visits")

    def __str__(self) -> str:
        return f"{self.officials} {self.visited_on}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(adult_case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.adult_case.audit_context()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.consent_level == ConsentLevel.NONE and self.discussed.strip():
            errors.setdefault("discussed", []).append(
                _("The detainee did not agree to a record of what was discussed.")
            )
        if self.visited_on and self.visited_on > timezone.localdate():
            errors.setdefault("visited_on", []).append(_("This date cannot be in the future."))
        if not self.officials.strip():
            errors.setdefault("officials", []).append(_("Say who visited."))
        if errors:
            raise ValidationError(errors)
