"""The transitions the API can ask for, by the name their CaseTransition row records.

Each entry names the service, the capability it needs (the service checks it again) and the
request fields it takes; `call` turns validated request data into the service's arguments.
"""

from collections.abc import Callable
from dataclasses import dataclass

from homeward.accounts import capabilities as cap
from homeward.workflow import services as wf

__all__ = ["TRANSITIONS", "TransitionSpec"]


@dataclass(frozen=True)
class TransitionSpec:
    service: Callable
    capabilities: tuple[str, ...]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def call(self, case, *, actor, expected_version: int, data: dict):
        kwargs = {name: data[name] for name in self.required}
        kwargs.update({name: data[name] for name in self.optional if name in data})
        return self.service(case, actor=actor, expected_version=expected_version, **kwargs)


MOVE = (cap.MOVE_CASE,)
REASON = ("reason",)

TRANSITIONS: dict[str, TransitionSpec] = {
    # the main path (T2-T13)
    "profiled": TransitionSpec(wf.profile_case, (cap.PROFILE_CASE,)),
    "nationality_claimed": TransitionSpec(wf.claim_nationality, MOVE),
    "home_state_engaged": TransitionSpec(wf.engage_home_state, MOVE),
    "verification_opened": TransitionSpec(wf.open_verification, MOVE),
    "nationality_confirmed": TransitionSpec(wf.confirm_nationality, MOVE),
    "care_planning_started": TransitionSpec(wf.start_care_planning, MOVE),
    "care_planning_completed": TransitionSpec(wf.complete_care_planning, MOVE),
    "approved": TransitionSpec(wf.approve_case, (cap.APPROVE_CASE,), ("decision_reference",)),
    # scheduled, handed_over, received and a withdrawal from a batch happen on a return
    # operation (/api/v1/operations/, /api/v1/arrivals/)
    "follow_up_started": TransitionSpec(wf.start_follow_up, (cap.MOVE_CASE, cap.CONFIRM_ARRIVAL)),
    # side states and the way back
    "put_on_hold": TransitionSpec(wf.put_on_hold, MOVE, REASON),
    "resumed": TransitionSpec(wf.resume_case, MOVE, (), REASON),
    "nationality_disputed": TransitionSpec(wf.dispute_nationality, MOVE, REASON),
    "statelessness_review": TransitionSpec(wf.refer_statelessness_review, MOVE, REASON),
    "home_state_unresponsive": TransitionSpec(wf.mark_home_state_unresponsive, MOVE, REASON),
    "home_state_refused": TransitionSpec(wf.mark_home_state_refused, MOVE, REASON),
    "judicial_proceedings": TransitionSpec(wf.enter_judicial_proceedings, MOVE, REASON),
    "serving_sentence": TransitionSpec(wf.enter_serving_sentence, MOVE, REASON),
    "iraqi_national_referral": TransitionSpec(
        wf.refer_iraqi_national, MOVE, REASON, ("foundling",)
    ),
    "aged_out": TransitionSpec(wf.mark_aged_out, MOVE, REASON),
    "deceased": TransitionSpec(wf.mark_deceased, MOVE, REASON),
    "transferred_out": TransitionSpec(wf.transfer_out, MOVE, REASON),
}
