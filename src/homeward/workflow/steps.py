"""The transitions the pages offer, as data: which service, which form, who, from where.

One `Step` per transition service. The pages build one small view per step from this table
(`workflow.views.transition_view`), and the case panel shows a step's button only when the
case is in one of its `sources` and the viewer holds its `capability`. The service checks
both again, and the gate, whatever the page showed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap
from homeward.cases.choices import MAIN_STATES, SIDE_STATES
from homeward.cases.choices import CaseStatus as St
from homeward.workflow import forms, services

__all__ = ["FORWARD", "SIDE", "STEPS", "Step", "forward_step_from"]

BEFORE_HANDOVER = tuple(MAIN_STATES[: MAIN_STATES.index(St.HANDED_OVER)])
ENDING = (St.DECEASED, St.AGED_OUT)
RESUMABLE = tuple(s for s in SIDE_STATES if s not in ENDING)
STEP_ASIDE_FROM = (*BEFORE_HANDOVER, *RESUMABLE)


@dataclass(frozen=True)
class Step:
    slug: str
    service: Callable
    label: str
    capability: str
    sources: tuple
    form: type = forms.TransitionForm
    target: str = ""
    help: str = ""

    @property
    def url_name(self) -> str:
        return f"workflow:{self.slug}"


def _forward(slug, service, label, source, capability=cap.MOVE_CASE, form=forms.TransitionForm):
    target = MAIN_STATES[MAIN_STATES.index(source) + 1]
    return Step(slug, service, label, capability, (source,), form, target)


FORWARD = [
    _forward(
        "profile", services.profile_case, _("Mark as profiled"), St.REGISTERED, cap.PROFILE_CASE
    ),
    _forward(
        "claim_nationality",
        services.claim_nationality,
        _("Move to nationality claimed"),
        St.PROFILED,
    ),
    _forward(
        "engage_home_state",
        services.engage_home_state,
        _("Record the home state as engaged"),
        St.NATIONALITY_CLAIMED,
    ),
    _forward(
        "open_verification",
        services.open_verification,
        _("Open verification"),
        St.HOME_STATE_ENGAGED,
    ),
    _forward(
        "confirm_nationality",
        services.confirm_nationality,
        _("Confirm nationality"),
        St.VERIFICATION,
    ),
    _forward(
        "start_care_planning",
        services.start_care_planning,
        _("Start care planning"),
        St.NATIONALITY_CONFIRMED,
    ),
    _forward(
        "complete_care_planning",
        services.complete_care_planning,
        _("Complete care planning"),
        St.CARE_PLANNING,
    ),
    _forward(
        "approve",
        services.approve_case,
        _("Approve the handover"),
        St.CLEARANCE,
        cap.APPROVE_CASE,
        forms.ApproveForm,
    ),
    # APPROVED → SCHEDULED → HANDED_OVER → RECEIVED, and taking a child off a batch, happen on
    # a return operation (operations.services: freezing its manifest, completing it, confirming
    # the arrival, removing an entry), never from the case page.
    _forward("start_follow_up", services.start_follow_up, _("Start follow-up"), St.RECEIVED),
]


def _side(slug, service, label, target, sources=STEP_ASIDE_FROM, form=forms.ReasonForm):
    sources = tuple(s for s in sources if s != target)
    return Step(slug, service, label, cap.MOVE_CASE, sources, form, target)


SIDE = [
    Step(
        "resume",
        services.resume_case,
        _("Resume the case"),
        cap.MOVE_CASE,
        RESUMABLE,
        forms.OptionalReasonForm,
    ),
    _side("put_on_hold", services.put_on_hold, _("Put on hold"), St.ON_HOLD),
    _side(
        "mark_home_state_unresponsive",
        services.mark_home_state_unresponsive,
        _("Home state unresponsive"),
        St.HOME_STATE_UNRESPONSIVE,
        (St.NATIONALITY_CLAIMED, St.HOME_STATE_ENGAGED, St.VERIFICATION),
    ),
    _side(
        "mark_home_state_refused",
        services.mark_home_state_refused,
        _("Home state refused"),
        St.HOME_STATE_REFUSED,
    ),
    _side(
        "dispute_nationality",
        services.dispute_nationality,
        _("Nationality disputed"),
        St.NATIONALITY_DISPUTED,
    ),
    _side(
        "refer_statelessness_review",
        services.refer_statelessness_review,
        _("Refer for statelessness review"),
        St.STATELESSNESS_REVIEW,
    ),
    _side(
        "enter_judicial_proceedings",
        services.enter_judicial_proceedings,
        _("In judicial proceedings"),
        St.IN_JUDICIAL_PROCEEDINGS,
    ),
    _side(
        "enter_serving_sentence",
        services.enter_serving_sentence,
        _("Serving a sentence"),
        St.SERVING_SENTENCE,
    ),
    _side(
        "refer_iraqi_national",
        services.refer_iraqi_national,
        _("Refer as an Iraqi national"),
        St.IRAQI_NATIONAL_REFERRAL,
        form=forms.IraqiReferralForm,
    ),
    _side("mark_aged_out", services.mark_aged_out, _("Aged out"), St.AGED_OUT),
    _side(
        "mark_deceased",
        services.mark_deceased,
        _("Record the death"),
        St.DECEASED,
        tuple(s for s in (*MAIN_STATES, *SIDE_STATES) if s not in (St.CLOSED, St.DECEASED)),
    ),
    _side("transfer_out", services.transfer_out, _("Transferred out"), St.TRANSFERRED_OUT),
    Step(
        "request_closure",
        services.request_closure,
        _("Request closure"),
        cap.MOVE_CASE,
        tuple(s for s in (*MAIN_STATES, *SIDE_STATES) if s != St.CLOSED),
        forms.ClosureRequestForm,
        St.CLOSED,
    ),
]

STEPS = [*FORWARD, *SIDE]


def forward_step_from(status: str, return_status: str = "") -> Step | None:
    """The main-path step that starts from `status` (none in a side state: resume first)."""
    for step in FORWARD:
        if status in step.sources:
            return step
    return None
