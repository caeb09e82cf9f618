"""Evidence pages: one small form per evidence service, each about one case.

They share `workflow.views.CaseActionView` (scoped case, declared capability, service
errors onto the form, success back to the child's record). Each view names the capability
of its service, its form and the call; the service checks capability and scope again, and
that a mission speaks only for its own nationals.
"""

from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap
from homeward.evidence import forms, services
from homeward.evidence.choices import DECIDE_CAPABILITY, ClearanceStatus, ClearanceType
from homeward.evidence.models import Clearance
from homeward.workflow.views import CaseActionView

__all__ = [
    "AssuranceCreateView",
    "BIACreateView",
    "ClaimAcknowledgeView",
    "ClaimCreateView",
    "ClaimNotifyView",
    "ClearanceDecideView",
    "ClearanceRequestView",
    "ConsentCreateView",
    "ConsentSubstituteView",
    "CourtCaseCreateView",
    "DNAComparisonCreateView",
    "DNASampleCreateView",
    "DeterminationCreateView",
    "ExitAuthorizationCreateView",
    "GuardianCreateView",
    "GuardianVetView",
    "IncidentCreateView",
    "TravelDocumentCreateView",
    "clearance_decide_view",
]


class ClaimCreateView(CaseActionView):
    capability = cap.ADD_NATIONALITY_CLAIM
    form_class = forms.ClaimForm
    title = _("Record a nationality claim")
    success_message = _("The nationality claim was recorded.")

    def perform(self, case, form):
        services.record_nationality_claim(case, actor=self.request.user, **form.service_kwargs())


class ClaimNotifyView(CaseActionView):
    capability = cap.ADD_NATIONALITY_CLAIM
    form_class = forms.NotifyForm
    title = _("Record the note verbale notifying the home state")
    success_message = _("The notification was recorded.")

    def perform(self, case, form):
        kwargs = form.service_kwargs()
        services.notify_home_state(kwargs.pop("claim"), actor=self.request.user, **kwargs)


class ClaimAcknowledgeView(CaseActionView):
    capability = cap.ACKNOWLEDGE_CLAIM
    form_class = forms.AcknowledgeClaimForm
    title = _("Acknowledge the nationality claim")
    success_message = _("The acknowledgement was recorded.")

    def perform(self, case, form):
        kwargs = form.service_kwargs()
        services.acknowledge_claim(kwargs.pop("claim"), actor=self.request.user, **kwargs)


class DeterminationCreateView(CaseActionView):
    capability = cap.ADD_DETERMINATION
    form_class = forms.DeterminationForm
    title = _("Record the home state's determination")
    success_message = _("The home state's determination was recorded.")

    def perform(self, case, form):
        kwargs = form.service_kwargs()
        services.record_home_state_determination(
            kwargs.pop("claim"), actor=self.request.user, **kwargs
        )


class DNASampleCreateView(CaseActionView):
    capability = cap.ADD_DNA_SAMPLE
    form_class = forms.DNASampleForm
    title = _("Record a DNA sample")
    success_message = _("The DNA sample was recorded.")

    def perform(self, case, form):
        services.record_dna_sample(case, actor=self.request.user, **form.service_kwargs())


class DNAComparisonCreateView(CaseActionView):
    capability = cap.ADD_DNA_COMPARISON
    form_class = forms.DNAComparisonForm
    title = _("Record a DNA comparison")
    success_message = _("The DNA comparison was recorded; its result is sealed.")

    def perform(self, case, form):
        services.record_dna_comparison(case, actor=self.request.user, **form.service_kwargs())


class ConsentCreateView(CaseActionView):
    capability = cap.ADD_CONSENT
    form_class = forms.ConsentForm
    title = _("Record consent")
    success_message = _("The consent was recorded.")

    def perform(self, case, form):
        services.record_consent(case, actor=self.request.user, **form.service_kwargs())


class ConsentSubstituteView(CaseActionView):
    capability = cap.DECIDE_CONSENT_SUBSTITUTE
    form_class = forms.ConsentSubstituteForm
    title = _("Decide a judicial substitute for consent")
    success_message = _("The judicial decision was recorded.")

    def perform(self, case, form):
        services.record_consent_substitute(case, actor=self.request.user, **form.service_kwargs())


class GuardianCreateView(CaseActionView):
    capability = cap.ADD_GUARDIAN
    form_class = forms.GuardianForm
    title = _("Propose a guardian")
    success_message = _("The guardian candidate was recorded.")

    def perform(self, case, form):
        services.propose_guardian(case, actor=self.request.user, **form.service_kwargs())


class GuardianVetView(CaseActionView):
    capability = cap.VET_GUARDIAN
    form_class = forms.GuardianVettingForm
    title = _("Vet a guardian")
    success_message = _("The vetting was recorded.")
    error_field_map = {"vetting": "decision"}

    def perform(self, case, form):
        kwargs = form.service_kwargs()
        services.record_guardian_vetting(kwargs.pop("candidate"), actor=self.request.user, **kwargs)


class AssuranceCreateView(CaseActionView):
    capability = cap.ADD_ASSURANCE
    form_class = forms.AssuranceForm
    title = _("Record the home state's assurances")
    success_message = _("The assurances were recorded.")

    def perform(self, case, form):
        services.record_assurance(case, actor=self.request.user, **form.service_kwargs())


class BIACreateView(CaseActionView):
    capability = cap.ADD_BIA
    form_class = forms.BIAForm
    title = _("Record a best-interests assessment")
    success_message = _("The assessment was recorded.")

    def perform(self, case, form):
        services.record_bia(case, actor=self.request.user, **form.service_kwargs())


class ClearanceRequestView(CaseActionView):
    capability = cap.REQUEST_CLEARANCE
    form_class = forms.ClearanceRequestForm
    title = _("Request a clearance")
    success_message = _("The clearance was requested.")

    def get_form(self, case, data=None):
        initial = {"clearance_type": self.request.GET.get("clearance_type", "")}
        return self.form_class(data, case=case, user=self.request.user, initial=initial)

    def perform(self, case, form):
        services.request_clearance(case, actor=self.request.user, **form.service_kwargs())


class ClearanceDecideView(CaseActionView):
    """Decide the open request of one clearance type; the type's deciding agency only."""

    clearance_type: str
    form_class = forms.ClearanceDecisionForm
    submit_label = _("Record the decision")
    success_message = _("The clearance decision was recorded.")
    error_field_map = {"expires_at": "expires_on", "status": "decision"}

    @property
    def capability(self):
        return DECIDE_CAPABILITY[self.clearance_type]

    @property
    def title(self):
        return ClearanceType(self.clearance_type).label

    def open_request(self, case):
        return (
            Clearance.objects.for_user(self.request.user, "view")
            .filter(case=case, clearance_type=self.clearance_type, status=ClearanceStatus.REQUESTED)
            .order_by("-requested_at")
            .first()
        )

    def get_form(self, case, data=None):
        return self.form_class(
            data, case=case, user=self.request.user, clearance=self.open_request(case)
        )

    def perform(self, case, form):
        services.decide_clearance(form.clearance, actor=self.request.user, **form.service_kwargs())

    def extra_context(self, case):
        return {"clearance": self.open_request(case)}


def clearance_decide_view(clearance_type: str):
    name = f"{clearance_type.title()}ClearanceDecideView"
    return type(name, (ClearanceDecideView,), {"clearance_type": clearance_type})


CLEARANCE_DECIDE_VIEWS = {kind: clearance_decide_view(kind) for kind in ClearanceType.values}


class TravelDocumentCreateView(CaseActionView):
    capability = cap.ADD_TRAVEL_DOCUMENT
    form_class = forms.TravelDocumentForm
    title = _("Record a travel document")
    success_message = _("The travel document was recorded.")

    def perform(self, case, form):
        services.record_travel_document(case, actor=self.request.user, **form.service_kwargs())


class ExitAuthorizationCreateView(CaseActionView):
    capability = cap.ADD_EXIT_AUTHORIZATION
    form_class = forms.ExitAuthorizationForm
    title = _("Record the exit authorisation")
    success_message = _("The exit authorisation was recorded.")

    def perform(self, case, form):
        services.record_exit_authorization(case, actor=self.request.user, **form.service_kwargs())


class CourtCaseCreateView(CaseActionView):
    capability = cap.ADD_COURT_CASE
    form_class = forms.CourtCaseForm
    title = _("Record a court case against the child")
    success_message = _("The court case was recorded.")

    def perform(self, case, form):
        services.record_court_case(case.child, actor=self.request.user, **form.service_kwargs())


class IncidentCreateView(CaseActionView):
    capability = cap.ADD_INCIDENT
    form_class = forms.IncidentForm
    title = _("Record an incident")
    success_message = _("The incident was recorded.")

    def perform(self, case, form):
        services.record_incident(case, actor=self.request.user, **form.service_kwargs())
