"""The care and consent track: consent, guardian, assurances, best-interests assessment."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.crypto.fields import EncryptedTextField
from homeward.evidence.choices import (
    AssessmentKind,
    AssessmentTrigger,
    AssuranceItem,
    ConsentDecision,
    ConsentScope,
    GuardianVetting,
    Recommendation,
)
from homeward.evidence.models.base import CaseEvidence, today

__all__ = ["Assurance", "BestInterestsAssessment", "Consent", "GuardianCandidate"]

MIN_BID_PANEL = 3


def _not_future(errors: dict, field: str, value) -> None:
    if value and value > today():
        errors.setdefault(field, []).append(_("This date cannot be in the future."))


class Consent(CaseEvidence):
    """A mother's (or guardian's) decision, or the judicial decision that substitutes for it.

    One record may cover several children of the same mother (`covered_cases`, which always
    includes `case`). Invariants: a personal decision names its giver and, when given, at
    least one witness; a judicial substitute cites the court decision and has no giver.
    """

    covered_cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("children covered"), related_name="+"
    )
    giver = models.ForeignKey(
        "people.Person",
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.CharField(_("scope"), max_length=14, choices=ConsentScope.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=ConsentDecision.choices)
    decided_on = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    interpreter = models.CharField(_("interpreter"), max_length=120, blank=True)
    witnesses = models.JSONField(_("witnesses"), default=list, blank=True)
    court_decision_reference = models.CharField(_("court decision"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.get_decision_display()}"

    @property
    def is_judicial_substitute(self) -> bool:
        return self.decision == ConsentDecision.JUDICIAL_SUBSTITUTE

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _not_future(errors, "decided_on", self.decided_on)
        if self.is_judicial_substitute:
            if not self.court_decision_reference:
                errors.setdefault("court_decision_reference", []).append(
                    _("A judicial substitute cites the court decision.")
                )
        else:
            if not self.giver_id:
                errors.setdefault("giver", []).append(_("Say who gave or refused consent."))
            if self.decision == ConsentDecision.GIVEN and not self.witnesses:
                errors.setdefault("witnesses", []).append(
                    _("Consent is witnessed: name at least one witness.")
                )
        if errors:
            raise ValidationError(errors)


class GuardianCandidate(CaseEvidence):
    """A relative or institution proposed to receive the child, and the home state's vetting."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("relative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    institution = models.CharField(_("institution"), max_length=160, blank=True)
    relationship_to_child = models.CharField(_("relationship to the child"), max_length=80)
    willingness_confirmed_on = models.DateField(_("written willingness on"), null=True, blank=True)
    address_region = models.CharField(_("region"), max_length=120, blank=True)
    vetting = models.CharField(
        _("home-state vetting"),
        max_length=10,
        choices=GuardianVetting.choices,
        default=GuardianVetting.PENDING,
    )
    vetting_authority = models.CharField(_("vetting authority"), max_length=160, blank=True)
    vetted_on = models.DateField(_("vetted on"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("vetting recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(CaseEvidence.Meta):
        verbose_name = _("guardian candidate")
        verbose_name_plural = _("guardian candidates")

    def __str__(self) -> str:
        return self.institution or str(self.person)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if bool(self.person_id) == bool(self.institution):
            errors.setdefault("institution", []).append(
                _("Name either a relative or an institution, not both.")
            )
        _not_future(errors, "vetted_on", self.vetted_on)
        if self.vetting != GuardianVetting.PENDING and not (
            self.vetted_on and self.vetting_authority
        ):
            errors.setdefault("vetting_authority", []).append(
                _("A vetting decision names its authority and date.")
            )
        if errors:
            raise ValidationError(errors)


class Assurance(CaseEvidence):
    """The home state's legal assurances, per child or for a group (`covered_cases`)."""

    from_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=pgettext_lazy("assurances given by a state", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    covered_cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("children covered"), related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=80)
    dated = models.DateField(_("date"))
    items = models.JSONField(_("content"), default=list)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("assurance")
        verbose_name_plural = _("assurances")

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _not_future(errors, "dated", self.dated)
        unknown = sorted(set(self.items or []) - set(AssuranceItem.values))
        if not self.items or unknown:
            errors.setdefault("items", []).append(_("Choose the assurances the letter gives."))
        if self.case_id and self.from_state_id and self.from_state_id != self.case.home_state_id:
            errors.setdefault("from_state", []).append(
                _("Assurances come from the child's home state.")
            )
        if errors:
            raise ValidationError(errors)


class BestInterestsAssessment(CaseEvidence):
    """A best-interests assessment, or a formal determination (BID) by a panel.

    `separation_from_mother_ok` / `separation_from_siblings_ok` answer whether separating the
    child is in the child's best interests (None: not considered). Invariant: a BID has a
    panel of at least three.
    """

    kind = models.CharField(_("kind"), max_length=4, choices=AssessmentKind.choices)
    trigger = models.CharField(_("trigger"), max_length=24, choices=AssessmentTrigger.choices)
    assessor = models.CharField(_("assessing organisation"), max_length=120)
    panel_members = models.JSONField(_("panel"), default=list, blank=True)
    factors_considered = EncryptedTextField(_("factors considered"), blank=True, max_length=4000)
    child_views = EncryptedTextField(_("the child's views"), blank=True, max_length=4000)
    recommendation = models.CharField(
        _("recommendation"), max_length=24, choices=Recommendation.choices
    )
    separation_from_mother_ok = models.BooleanField(
        _("separation from the mother is in the child's best interests"), null=True, blank=True
    )
    separation_from_siblings_ok = models.BooleanField(
        _("separation from siblings is in the child's best interests"), null=True, blank=True
    )
    assessed_on = models.DateField(_("date"))

    class Meta(CaseEvidence.Meta):
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on}"

    @property
    def is_bid(self) -> bool:
        return self.kind == AssessmentKind.BID

    @property
    def supports_return(self) -> bool:
        return self.recommendation != Recommendation.DO_NOT_RETURN

    def clean(self) -> None:
        errors: dict[str, list] = {}
        _not_future(errors, "assessed_on", self.assessed_on)
        if self.is_bid and len(self.panel_members or []) < MIN_BID_PANEL:
            errors.setdefault("panel_members", []).append(
                _("A formal determination is made by a panel of at least three.")
            )
        if errors:
            raise ValidationError(errors)
