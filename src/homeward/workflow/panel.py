"""What the "Case progress" card and the desks show: read-only, as one viewer may see it.

`case_progress(case, user)` gathers the status, the next state's requirements in plain
words, the status history and the records of every track, each through the scoped
querysets and the sealed-field helpers (`conclusion_display_for`, `assessment_for`), plus
the actions the viewer may take. `action_for(user, case, requirement)` names the form that
answers a requirement, for the desk's action links. Nothing here writes.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap
from homeward.cases.choices import SIDE_STATES, CaseStatus
from homeward.evidence.choices import DECIDE_CAPABILITY
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAComparison,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    Incident,
    NationalityClaim,
    NationalityDetermination,
    TravelDocument,
)
from homeward.workflow.choices import ClosureStatus
from homeward.workflow.gates import next_state, requirements_for
from homeward.workflow.models import CaseTransition, ClosureRequest, Task
from homeward.workflow.queries import overdue_after_days
from homeward.workflow.steps import SIDE, forward_step_from

__all__ = ["EVIDENCE_ACTIONS", "Action", "action_for", "case_progress"]


@dataclass(frozen=True)
class Action:
    label: str
    url: str


# Evidence forms: (route, capability, label). The case panel offers those the viewer may use.
EVIDENCE_ACTIONS = [
    ("evidence:claim_create", cap.ADD_NATIONALITY_CLAIM, _("Record a nationality claim")),
    ("evidence:claim_notify", cap.ADD_NATIONALITY_CLAIM, _("Record the note verbale")),
    ("evidence:claim_acknowledge", cap.ACKNOWLEDGE_CLAIM, _("Acknowledge the claim")),
    (
        "evidence:determination_create",
        cap.ADD_DETERMINATION,
        _("Record the home state's determination"),
    ),
    ("evidence:dna_sample_create", cap.ADD_DNA_SAMPLE, _("Record a DNA sample")),
    ("evidence:dna_comparison_create", cap.ADD_DNA_COMPARISON, _("Record a DNA comparison")),
    ("evidence:consent_create", cap.ADD_CONSENT, _("Record consent")),
    (
        "evidence:consent_substitute",
        cap.DECIDE_CONSENT_SUBSTITUTE,
        _("Decide a judicial substitute for consent"),
    ),
    ("evidence:guardian_create", cap.ADD_GUARDIAN, _("Propose a guardian")),
    ("evidence:guardian_vet", cap.VET_GUARDIAN, _("Vet a guardian")),
    ("evidence:assurance_create", cap.ADD_ASSURANCE, _("Record assurances")),
    ("evidence:bia_create", cap.ADD_BIA, _("Record a best-interests assessment")),
    ("evidence:clearance_request", cap.REQUEST_CLEARANCE, _("Request a clearance")),
    (
        "evidence:clearance_decide_judicial",
        DECIDE_CAPABILITY["judicial"],
        _("Decide the judicial clearance"),
    ),
    (
        "evidence:clearance_decide_security",
        DECIDE_CAPABILITY["security"],
        _("Decide the security clearance"),
    ),
    (
        "evidence:clearance_decide_medical",
        DECIDE_CAPABILITY["medical"],
        _("Decide medical fitness"),
    ),
    (
        "evidence:clearance_decide_ministry",
        DECIDE_CAPABILITY["ministry"],
        _("Give the ministry sign-off"),
    ),
    ("evidence:clearance_decide_fee", DECIDE_CAPABILITY["fee"], _("Confirm the fee")),
    ("evidence:travel_document_create", cap.ADD_TRAVEL_DOCUMENT, _("Record a travel document")),
    (
        "evidence:exit_authorization_create",
        cap.ADD_EXIT_AUTHORIZATION,
        _("Record the exit authorisation"),
    ),
    ("evidence:court_case_create", cap.ADD_COURT_CASE, _("Record a court case")),
    ("evidence:incident_create", cap.ADD_INCIDENT, _("Record an incident")),
]

# The acting capability of a requirement's owner -> the form that answers it.
_ROUTE_BY_CAPABILITY = {capability: route for route, capability, _label in EVIDENCE_ACTIONS}


def action_for(user, case, requirement) -> Action | None:
    """The form that answers `requirement` on `case` for `user`, or None (see the case page)."""
    owner = requirement.owed_by
    if owner is None or not user.has_capability(owner.capability):
        return None
    route = _ROUTE_BY_CAPABILITY.get(owner.capability)
    if owner.capability == cap.ADD_NATIONALITY_CLAIM:
        has_claim = requirement.code != "nationality.claim"
        route = "evidence:claim_notify" if has_claim else "evidence:claim_create"
    if route is None:
        return None
    label = _label_of(route)
    url = reverse(route, kwargs={"pk": case.pk})
    if route == "evidence:clearance_request" and requirement.code.startswith("clearance."):
        url += "?clearance_type=" + requirement.code.split(".", 1)[1]
    return Action(label, url)


def _label_of(route: str):
    return next(label for name, _capability, label in EVIDENCE_ACTIONS if name == route)


@dataclass(frozen=True)
class RequirementRow:
    requirement: object
    overdue: bool
    action: Action | None


def case_progress(case, user) -> dict:
    """Everything the "Case progress" card shows, for `user`."""
    limit = overdue_after_days()
    target = next_state(case.status, case.return_status)
    requirements = [
        RequirementRow(
            requirement,
            requirement.days_waiting is not None and requirement.days_waiting > limit,
            None if requirement.is_met else action_for(user, case, requirement),
        )
        for requirement in requirements_for(case, viewer=user)
    ]
    return {
        "in_side_state": case.status in SIDE_STATES,
        "return_status_display": CaseStatus(case.return_status).label if case.return_status else "",
        "next_status_display": CaseStatus(target).label if target else "",
        "requirements": requirements,
        "unmet_count": sum(1 for row in requirements if not row.requirement.is_met),
        "history": CaseTransition.objects.for_user(user, "view")
        .filter(case=case)
        .select_related("actor", "policy")
        .order_by("-at"),
        "tracks": _tracks(case, user),
        "next_step": _next_step(case, user),
        "group_approval": _group_approval(case, user),
        "side_steps": _side_steps(case, user),
        "evidence_actions": [
            Action(label, reverse(route, kwargs={"pk": case.pk}))
            for route, capability, label in EVIDENCE_ACTIONS
            if user.has_capability(capability)
        ],
        "pending_closure": ClosureRequest.objects.for_user(user, "view")
        .filter(case=case, status=ClosureStatus.PENDING)
        .select_related("requested_by")
        .first(),
        "can_decide_closure": user.has_capability(cap.APPROVE_CLOSURE),
    }


def _next_step(case, user) -> Action | None:
    step = forward_step_from(case.status)
    if step is None or not user.has_capability(step.capability):
        return None
    return Action(step.label, reverse(step.url_name, kwargs={"pk": case.pk}))


def _group_approval(case, user) -> Action | None:
    """The sibling-group approval, when this child waits for it with siblings who must come too."""
    if case.status != CaseStatus.CLEARANCE or not user.has_capability(cap.APPROVE_CASE):
        return None
    if case.family_group_id is None or not case.family_group.must_travel_together:
        return None
    label = _("Approve the sibling group")
    return Action(label, reverse("workflow:approve_group", kwargs={"pk": case.pk}))


def _side_steps(case, user) -> list[Action]:
    return [
        Action(step.label, reverse(step.url_name, kwargs={"pk": case.pk}))
        for step in SIDE
        if case.status in step.sources and user.has_capability(step.capability)
    ]


def _tracks(case, user) -> dict:
    """The records of every track the user may see; sealed content only through its helper."""

    def scoped(model):
        return model.objects.for_user(user, "view").filter(case=case)

    comparisons = scoped(DNAComparison).prefetch_related("samples__donor__names")
    clearances = list(scoped(Clearance).select_related("decided_by").order_by("-requested_at"))
    for clearance in clearances:  # health notes stay sealed for viewers without the grant
        clearance.notes_sealed = clearance.notes_sealed_for(user)
    return {
        "claims": scoped(NationalityClaim).select_related("claimed_state"),
        "determinations": scoped(NationalityDetermination).select_related("claim__claimed_state"),
        "samples": scoped(DNASample).select_related("donor").prefetch_related("donor__names"),
        "comparisons": [(c, c.conclusion_display_for(user)) for c in comparisons],
        "consents": scoped(Consent).select_related("giver").prefetch_related("giver__names"),
        "guardians": scoped(GuardianCandidate).select_related("person"),
        "assurances": scoped(Assurance),
        "assessments": scoped(BestInterestsAssessment),
        "clearances": [
            (c, c.assessment_for(user) if c.is_sealed_type else None) for c in clearances
        ],
        "travel_documents": scoped(TravelDocument),
        "exit_authorizations": scoped(ExitAuthorization),
        "court_cases": CourtCase.objects.for_user(user, "view")
        .filter(defendant_id=case.child_id)
        .prefetch_related("sentences"),
        # a juvenile's sentence is a sealed criminal record, as an adult's is (adults.views)
        "show_sentences": user.has_capability(cap.VIEW_CRIMINAL_RECORD),
        "incidents": scoped(Incident),
        "tasks": Task.objects.for_user(user, "view").filter(case=case).order_by("status", "due"),
    }
