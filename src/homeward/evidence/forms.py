"""Forms of the evidence pages: one per evidence service.

Each form is built for one case and one user: its choices (the case's claims, samples,
guardian candidates, the child's visible relatives) are narrowed to what the user may see,
and a mission user is offered only the claims toward its own state. The services check
everything again; the forms only make the right answer easy to give.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.models import HomeState
from homeward.evidence import choices as ch
from homeward.evidence.models import DNASample, GuardianCandidate, NationalityClaim
from homeward.evidence.services._common import mission_country
from homeward.people.choices import Jurisdiction
from homeward.people.models import Person
from homeward.people.queries import relatives_visible_to
from homeward.workflow.forms import CaseActionForm, DateInput, lines

__all__ = [
    "AcknowledgeClaimForm",
    "AssuranceForm",
    "BIAForm",
    "ClaimForm",
    "ClearanceDecisionForm",
    "ClearanceRequestForm",
    "ConsentForm",
    "ConsentSubstituteForm",
    "CourtCaseForm",
    "DNAComparisonForm",
    "DNASampleForm",
    "DeterminationForm",
    "ExitAuthorizationForm",
    "GuardianForm",
    "GuardianVettingForm",
    "IncidentForm",
    "NotifyForm",
    "TravelDocumentForm",
]


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput, **kwargs)


def _text(label, max_length, required=True, **kwargs):
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


def _long_text(label, max_length=2000, required=False, rows=3, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ClaimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.claimed_state.display_name, obj.get_basis_display()]
        if obj.notification_reference:
            parts.append(obj.notification_reference)
        return " — ".join(str(part) for part in parts)


def _child_and_relatives(case, user):
    """The child and the relatives the user may see: donors of samples, givers of consent."""
    pks = [
        case.child_id,
        *(other.pk for _label, other, _link in relatives_visible_to(case.child, user)),
    ]
    return Person.objects.for_user(user, "view").filter(pk__in=pks).prefetch_related("names")


class ClaimPickingForm(CaseActionForm):
    """A form about one of the case's nationality claims, chosen from those the user may act on."""

    claim = ClaimChoiceField(label=_("Nationality claim"), queryset=NationalityClaim.objects.none())
    nothing_to_pick = _("No nationality claim of this case is waiting for this step.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        claims = NationalityClaim.objects.filter(case=self.case).select_related("claimed_state")
        country = mission_country(self.user)
        if country is not None:
            claims = claims.filter(claimed_state_id=country)
        claims = self.narrow(claims)
        self.fields["claim"].queryset = claims
        if len(claims) == 1:
            self.fields["claim"].initial = claims[0].pk
        if not claims:
            self.unavailable = self.nothing_to_pick

    def narrow(self, claims):
        return claims.exclude(status=ch.ClaimStatus.WITHDRAWN)


class ClaimForm(CaseActionForm):
    claimed_state = forms.ModelChoiceField(
        label=_("Claimed nationality"), queryset=HomeState.objects.none()
    )
    basis = forms.ChoiceField(label=_("Basis of the claim"), choices=ch.ClaimBasis.choices)
    claimed_by = forms.ChoiceField(label=_("Claimed by"), choices=ch.ClaimedBy.choices)
    notified_on = _date(_("Home state notified on"), required=False, validators=[_not_in_future])
    notification_reference = _text(_("Note verbale"), 80, required=False)
    home_state_reference = _text(_("Home state's reference"), 80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimed_state"].queryset = HomeState.objects.for_user(self.user, "view")
        self.fields["claimed_state"].initial = self.case.home_state_id


class NotifyForm(ClaimPickingForm):
    notified_on = _date(_("Home state notified on"), validators=[_not_in_future])
    reference = _text(_("Note verbale"), 80)

    def narrow(self, claims):
        return super().narrow(claims).filter(notified_on__isnull=True)


class AcknowledgeClaimForm(ClaimPickingForm):
    acknowledged_on = _date(_("Acknowledged on"), validators=[_not_in_future])
    focal_point = _text(_("Consular focal point"), 120)
    consular_access_on = _date(
        _("Consular access or visit on"), required=False, validators=[_not_in_future]
    )

    def narrow(self, claims):
        return (
            super().narrow(claims).filter(notified_on__isnull=False, acknowledged_on__isnull=True)
        )


class DeterminationForm(ClaimPickingForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=ch.DeterminationDecision.choices)
    instrument_type = forms.ChoiceField(label=_("Instrument"), choices=ch.InstrumentType.choices)
    instrument_reference = _text(_("Instrument number"), 80, required=False)
    decided_on = _date(_("Decided on"), validators=[_not_in_future])
    authority = _text(_("Deciding authority"), 160, required=False)


class DNASampleForm(CaseActionForm):
    donor = PersonChoiceField(label=_("Donor"), queryset=Person.objects.none())
    sample_type = forms.ChoiceField(label=_("Sample type"), choices=ch.SampleType.choices)
    location = forms.ChoiceField(label=_("Taken in"), choices=ch.SampleLocation.choices)
    collected_on = _date(_("Collected on"), validators=[_not_in_future])
    collected_by = _text(_("Collected by"), 120)
    consent_reference = _text(_("Consent or court order"), 80, required=False)
    retention_until = _date(_("Keep until"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = _child_and_relatives(self.case, self.user)
        self.fields["donor"].initial = self.case.child_id


class SampleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        parts = (
            obj.donor.display_name,
            obj.get_sample_type_display(),
            f"{obj.collected_on:%Y-%m-%d}",
        )
        return " — ".join(str(part) for part in parts)


class DNAComparisonForm(CaseActionForm):
    hypothesis = forms.ChoiceField(label=_("Hypothesis"), choices=ch.Hypothesis.choices)
    samples = SampleChoiceField(
        label=_("Samples compared"),
        queryset=DNASample.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    lab = _text(_("Laboratory"), 120)
    method = forms.ChoiceField(label=_("Method"), choices=ch.DNAMethod.choices)
    reported_on = _date(_("Reported on"), validators=[_not_in_future])
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=ch.DNAConclusion.choices)
    statistic_kind = forms.ChoiceField(
        label=_("Statistic"), choices=[("", "—"), *ch.StatisticKind.choices], required=False
    )
    statistic = forms.FloatField(label=_("Value"), required=False, min_value=0)
    report_reference = _text(_("Report"), 80, required=False)
    reviewed_by = _text(_("Reviewed by"), 120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        samples = DNASample.objects.filter(case=self.case).select_related("donor")
        self.fields["samples"].queryset = samples.prefetch_related("donor__names")
        if samples.count() < 2:
            self.unavailable = _("Record at least two samples for this case before a comparison.")


class ConsentForm(CaseActionForm):
    giver = PersonChoiceField(label=_("Given by"), queryset=Person.objects.none())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            c for c in ch.ConsentDecision.choices if c[0] != ch.ConsentDecision.JUDICIAL_SUBSTITUTE
        ],
    )
    scope = forms.ChoiceField(label=_("Consent to"), choices=ch.ConsentScope.choices)
    decided_on = _date(_("Date"), validators=[_not_in_future])
    language = _text(_("Language"), 8, required=False)
    interpreter = _text(_("Interpreter"), 120, required=False)
    witnesses = _long_text(_("Witnesses"), help_text=_("One per line."))
    notes = _long_text(_("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adults = _child_and_relatives(self.case, self.user).exclude(pk=self.case.child_id)
        self.fields["giver"].queryset = adults

    def service_kwargs(self):
        kwargs = super().service_kwargs()
        kwargs["witnesses"] = lines(kwargs["witnesses"])
        return kwargs


class ConsentSubstituteForm(CaseActionForm):
    scope = forms.ChoiceField(
        label=_("Substitutes for consent to"), choices=ch.ConsentScope.choices
    )
    court_decision_reference = _text(_("Court decision"), 80)
    decided_on = _date(_("Decided on"), validators=[_not_in_future])
    notes = _long_text(_("Notes"))


class GuardianForm(CaseActionForm):
    person = PersonChoiceField(
        label=_("Relative"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A registered relative; otherwise name an institution."),
    )
    relationship_to_child = _text(_("Relationship to the child"), 80)
    institution = _text(
        _("Institution"), 160, required=False, help_text=_("When the guardian is an institution.")
    )
    willingness_confirmed_on = _date(
        _("Written willingness on"), required=False, validators=[_not_in_future]
    )
    address_region = _text(_("Region"), 120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relatives = _child_and_relatives(self.case, self.user).exclude(pk=self.case.child_id)
        self.fields["person"].queryset = relatives


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class GuardianVettingForm(CaseActionForm):
    candidate = CandidateChoiceField(
        label=_("Guardian candidate"), queryset=GuardianCandidate.objects.none()
    )
    decision = forms.ChoiceField(
        label=_("Vetting result"),
        choices=[
            (ch.GuardianVetting.APPROVED, ch.GuardianVetting.APPROVED.label),
            (ch.GuardianVetting.REJECTED, ch.GuardianVetting.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    authority = _text(_("Vetting authority"), 160)
    vetted_on = _date(_("Vetted on"), validators=[_not_in_future])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = GuardianCandidate.objects.filter(
            case=self.case, vetting=ch.GuardianVetting.PENDING
        ).select_related("person")
        self.fields["candidate"].queryset = pending
        if len(pending) == 1:
            self.fields["candidate"].initial = pending[0].pk
        if not pending:
            self.unavailable = _("No guardian candidate of this case is waiting to be vetted.")


class AssuranceForm(CaseActionForm):
    reference = _text(_("Reference of the letter"), 80)
    dated = _date(_("Dated"), validators=[_not_in_future])
    items = forms.MultipleChoiceField(
        label=_("What the home state assures"),
        choices=ch.AssuranceItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )


NULL_BOOLEAN = [("", _("Not assessed")), ("true", _("Yes")), ("false", _("No"))]


class BIAForm(CaseActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ch.AssessmentKind.choices)
    trigger = forms.ChoiceField(label=_("Why it is made"), choices=ch.AssessmentTrigger.choices)
    assessor = _text(_("Assessing organisation"), 120)
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=ch.Recommendation.choices)
    assessed_on = _date(_("Date"), validators=[_not_in_future])
    panel_members = _long_text(
        _("Panel"), help_text=_("One member per line (a formal determination has a panel).")
    )
    factors_considered = _long_text(_("Factors considered"), max_length=4000)
    child_views = _long_text(_("The child's views"), max_length=4000)
    separation_from_mother_ok = forms.TypedChoiceField(
        label=_("Separation from the mother is in the child's best interests"),
        choices=NULL_BOOLEAN,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    separation_from_siblings_ok = forms.TypedChoiceField(
        label=_("Separation from the siblings is in the child's best interests"),
        choices=NULL_BOOLEAN,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )

    def service_kwargs(self):
        kwargs = super().service_kwargs()
        kwargs["panel_members"] = lines(kwargs["panel_members"])
        return kwargs


class ClearanceRequestForm(CaseActionForm):
    clearance_type = forms.ChoiceField(label=_("Clearance"), choices=ch.ClearanceType.choices)
    comments = _long_text(
        _("Comments"), help_text=_("Not for security matters: those go to the sealed assessment.")
    )


class ClearanceDecisionForm(CaseActionForm):
    """Decide the open request of one clearance type. Security keeps its words sealed."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reference = _text(
        _("Decision number"), 80, required=False, help_text=_("Required for an approval.")
    )
    expires_on = _date(_("Valid until"), required=False)
    conditions = _long_text(_("Conditions"))
    comments = _long_text(_("Comments"))
    assessment = _long_text(
        _("Assessment (sealed)"),
        max_length=4000,
        help_text=_("Seen only by holders of the security grant."),
    )

    def __init__(self, *args, clearance, **kwargs):
        self.clearance = clearance
        super().__init__(*args, **kwargs)
        if clearance is None:
            self.unavailable = _("No request of this clearance is waiting for a decision.")
        if clearance is None or not clearance.is_sealed_type:
            del self.fields["assessment"]
        else:
            del self.fields["comments"]
            self.fields["conditions"].help_text = _("Kept with the sealed assessment.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("reference"):
            self.add_error("reference", _("An approval cites its decision number."))
        expires_on = cleaned.get("expires_on")
        if expires_on and expires_on <= timezone.localdate():
            self.add_error("expires_on", _("A clearance is valid until a later day."))
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        expires_on = data.get("expires_on")
        kwargs = {
            "approve": data["decision"] == "approve",
            "reference": data.get("reference", ""),
            "conditions": data.get("conditions", ""),
            "expires_at": timezone.make_aware(
                datetime.datetime.combine(expires_on, datetime.time(23, 59))
            )
            if expires_on
            else None,
        }
        if "assessment" in self.fields:
            kwargs["assessment"] = data.get("assessment", "")
        else:
            kwargs["comments"] = data.get("comments", "")
        return kwargs


class TravelDocumentForm(CaseActionForm):
    document_type = forms.ChoiceField(label=_("Type"), choices=ch.TravelDocumentType.choices)
    number = _text(_("Number"), 40)
    issued_by = _text(_("Issued by"), 160)
    issued_on = _date(_("Issued on"), validators=[_not_in_future])
    valid_until = _date(_("Valid until"))

    def clean(self):
        cleaned = super().clean()
        issued_on, valid_until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued_on and valid_until and valid_until <= issued_on:
            self.add_error("valid_until", _("A document is valid until after it was issued."))
        return cleaned


class ExitAuthorizationForm(CaseActionForm):
    reference = _text(_("Authorisation number"), 80)
    judicial_decision_reference = _text(_("Judge's decision"), 80)
    authorised_on = _date(_("Authorised on"), validators=[_not_in_future])


class IncidentForm(CaseActionForm):
    incident_type = forms.ChoiceField(label=_("Type"), choices=ch.IncidentType.choices)
    occurred_on = _date(_("Date"), validators=[_not_in_future])
    description = _long_text(_("Description"), max_length=4000, required=True, rows=4)
    reported_to = _long_text(_("Reported to"), help_text=_("One per line."))

    def service_kwargs(self):
        kwargs = super().service_kwargs()
        kwargs["reported_to"] = lines(kwargs["reported_to"])
        return kwargs


class CourtCaseForm(CaseActionForm):
    """Proceedings against the child (a juvenile aged 9 or more at the alleged act)."""

    court = _text(_("Court"), 160)
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=Jurisdiction.choices, initial=Jurisdiction.FEDERAL
    )
    case_number = _text(_("Case number"), 60)
    stage = forms.ChoiceField(label=_("Stage"), choices=ch.CourtStage.choices)
    charges = _long_text(_("Charges"), help_text=_("One per line."))
    alleged_act_on = _date(
        _("Date of the alleged act"), required=False, validators=[_not_in_future]
    )
    verdict_on = _date(_("Verdict"), required=False, validators=[_not_in_future])

    def service_kwargs(self):
        kwargs = super().service_kwargs()
        kwargs["charges"] = lines(kwargs["charges"])
        return kwargs
