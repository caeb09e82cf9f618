"""Audit event codes of the workflow app (app.model.past_tense_verb).

Transitions are recorded as `workflow.case.<transition>`, e.g. `workflow.case.approved`.
"""

POLICY_PUBLISHED = "workflow.policy.published"
CLOSURE_REQUESTED = "workflow.closure.requested"
CLOSURE_REJECTED = "workflow.closure.rejected"
TASK_CREATED = "workflow.task.created"
TASK_DONE = "workflow.task.done"


def case_event(transition: str) -> str:
    return f"workflow.case.{transition}"
