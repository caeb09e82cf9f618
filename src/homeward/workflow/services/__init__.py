"""Workflow use cases: the transitions of the case lifecycle, side states and closure.

Every transition: keyword-only `actor` (None = the system), `expected_version` for optimistic
locking (StaleEditError), capability (PermissionDenied) and scope (OutOfScopeError) checked
here, the current state checked (TransitionNotAllowed), every gate requirement met
(GateNotMet, listing what is missing in words), one durable transaction with the
CaseTransition row and the `workflow.case.<transition>` audit event.
"""

from homeward.workflow.services.closure import approve_closure, reject_closure, request_closure
from homeward.workflow.services.side_states import (
    dispute_nationality,
    enter_judicial_proceedings,
    enter_serving_sentence,
    has_iraqi_parent,
    is_certainly_adult,
    mark_aged_out,
    mark_deceased,
    mark_home_state_refused,
    mark_home_state_unresponsive,
    put_on_hold,
    refer_iraqi_national,
    refer_statelessness_review,
    resume_case,
    transfer_out,
)
from homeward.workflow.services.transitions import (
    approve_case,
    approve_family_group,
    claim_nationality,
    complete_care_planning,
    confirm_nationality,
    engage_home_state,
    open_verification,
    profile_case,
    record_handover,
    schedule_case,
    start_care_planning,
    start_follow_up,
)

__all__ = [
    "approve_case",
    "approve_closure",
    "approve_family_group",
    "claim_nationality",
    "complete_care_planning",
    "confirm_nationality",
    "dispute_nationality",
    "engage_home_state",
    "enter_judicial_proceedings",
    "enter_serving_sentence",
    "has_iraqi_parent",
    "is_certainly_adult",
    "mark_aged_out",
    "mark_deceased",
    "mark_home_state_refused",
    "mark_home_state_unresponsive",
    "open_verification",
    "profile_case",
    "put_on_hold",
    "record_handover",
    "refer_iraqi_national",
    "refer_statelessness_review",
    "reject_closure",
    "request_closure",
    "resume_case",
    "schedule_case",
    "start_care_planning",
    "start_follow_up",
    "transfer_out",
]
