"""Audit event codes of the workflow app (app.model.past_tense_verb).

Transitions are recorded as `workflow.case.<transition>`, e.g. `workflow.case.approved`.
"""

POLICY_PUBLISHED = "workflow.policy.published"
CLOSURE_REQUESTED = "workflow.closure.requested"
CLOSURE_REJECTED = "workflow.closure.rejected"
TASK_CREATED = "workflow.task.created"
TASK_DONE = "workflow.task.done"
# Reads over the API (a gate, a history and a desk show a child's case).
REQUIREMENTS_VIEWED = "workflow.requirements.viewed"
TRANSITIONS_LISTED = "workflow.case_transition.listed"
DESK_VIEWED = "workflow.desk.viewed"


def case_event(transition: str) -> str:
    return f"workflow.case.{transition}"
