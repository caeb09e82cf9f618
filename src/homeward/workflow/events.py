"""Audit event codes of the workflow app (app.model.past_tense_verb).

Transitions are recorded as `workflow.case.<transition>`, e.g. `workflow.case.approved`.
"""

from django.utils.translation import gettext_lazy as _

POLICY_PUBLISHED = "workflow.policy.published"
CLOSURE_REQUESTED = "workflow.closure.requested"
CLOSURE_REJECTED = "workflow.closure.rejected"
TASK_CREATED = "workflow.task.created"
TASK_DONE = "workflow.task.done"
# Reads over the API (a gate, a history and a desk show a child's case).
REQUIREMENTS_VIEWED = "workflow.requirements.viewed"
TRANSITIONS_LISTED = "workflow.case_transition.listed"
STATUS_CHANGES_LISTED = "workflow.status_changes.listed"  # the feed across cases
DESK_VIEWED = "workflow.desk.viewed"


def case_event(transition: str) -> str:
    return f"workflow.case.{transition}"


# Each transition a CaseTransition row can record, by name, as the timeline tells it.
TRANSITION_LABELS = {
    "profiled": _("Case marked as profiled"),
    "nationality_claimed": _("Case moved to nationality claimed"),
    "home_state_engaged": _("Home state recorded as engaged"),
    "verification_opened": _("Verification opened"),
    "nationality_confirmed": _("Nationality confirmed"),
    "care_planning_started": _("Care planning started"),
    "care_planning_completed": _("Care planning completed"),
    "approved": _("Handover approved"),
    "scheduled": _("Scheduled on an operation"),
    "handed_over": _("Handover recorded"),
    "received": _("Arrival confirmed"),
    "follow_up_started": _("Follow-up started"),
    "put_on_hold": _("Case put on hold"),
    "resumed": _("Case resumed"),
    "nationality_disputed": _("Nationality disputed"),
    "statelessness_review": _("Referred for statelessness review"),
    "home_state_unresponsive": _("Home state recorded as unresponsive"),
    "home_state_refused": _("Home state refusal recorded"),
    "judicial_proceedings": _("Recorded as in judicial proceedings"),
    "serving_sentence": _("Recorded as serving a sentence"),
    "iraqi_national_referral": _("Referred as an Iraqi national"),
    "aged_out": _("Recorded as aged out"),
    "deceased": _("Death recorded"),
    "withdrawn_from_operation": _("Withdrawn from the operation"),
    "not_boarded": _("Did not board; back to approved"),
    "released_from_operation": _("Released from the operation; back to approved"),
    "transferred_out": _("Transferred out"),
    "closed": _("Case closed"),
}

# What the timeline and the access history call each event.
LABELS = {
    POLICY_PUBLISHED: _("Requirements policy published"),
    CLOSURE_REQUESTED: _("Closure requested"),
    CLOSURE_REJECTED: _("Closure request rejected"),
    TASK_CREATED: _("Task created"),
    TASK_DONE: _("Task done"),
    REQUIREMENTS_VIEWED: _("Requirements viewed"),
    TRANSITIONS_LISTED: _("Case history listed"),
    STATUS_CHANGES_LISTED: _("Status changes listed"),
    DESK_VIEWED: _("Desk viewed"),
    **{case_event(name): label for name, label in TRANSITION_LABELS.items()},
}
