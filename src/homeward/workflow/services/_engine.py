"""The one way a case's status changes: `move`.

Every transition service calls it inside its own durable transaction. It checks, in order:
the actor's capability, the case being in the actor's scope, the expected version
(optimistic locking), the current state, and the gate; then it writes the new status, ends
the previous stay (its transition's `left_at`), writes the CaseTransition row (with the
policy version in force) and the `workflow.case.<transition>` audit event. `actor=None`
is the system (daily rules), which skips capability and scope.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.audit.services import record_event
from homeward.cases.choices import SIDE_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.workflow import events
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed
from homeward.workflow.gates import requirements_for, unmet
from homeward.workflow.models import CaseTransition
from homeward.workflow.policies import policy_in_force

__all__ = ["check_actor", "end_stay", "lock_case", "move"]


def check_actor(actor, capabilities: str | tuple[str, ...], case: Case) -> None:
    """PermissionDenied without one of `capabilities`; OutOfScopeError if the case is unseen."""
    if actor is None:
        return
    wanted = (capabilities,) if isinstance(capabilities, str) else capabilities
    if not any(actor.has_capability(code) for code in wanted):
        raise PermissionDenied
    if not Case.objects.for_user(actor, "view").filter(pk=case.pk).exists():
        raise OutOfScopeError()


def lock_case(case: Case, expected_version: int | None) -> Case:
    current = Case.objects.select_for_update().select_related("home_state", "child").get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    return current


def end_stay(case: Case, at: datetime.datetime) -> None:
    """The case leaves its current status at `at`: its latest transition's `left_at`.

    Called by `move` only, under the case's row lock, before the next transition is
    written. A stay already ended (a merged-in case's history keeps its own) is left alone.
    """
    latest = (
        CaseTransition.objects.filter(case=case, at__lte=at)
        .order_by("-at", "-pk")
        .values_list("pk", flat=True)[:1]
    )
    CaseTransition.objects.filter(pk__in=list(latest), left_at__isnull=True).update(left_at=at)


def move(
    case: Case,
    *,
    actor,
    transition: str,
    to_status: str,
    allowed_from,
    capability: str | tuple[str, ...],
    expected_version: int | None,
    gate: str | None = None,
    return_status: str | None = None,
    reason: str = "",
    reference: str = "",
    details: dict | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Move `case` to `to_status`, or raise and write nothing.

    `gate` names the main state whose requirements must all be met (usually `to_status`).
    Entering a side state remembers `return_status` (default: the current main state, or the
    state already remembered when moving between side states).
    """
    check_actor(actor, capability, case)
    current = lock_case(case, expected_version)
    if current.status not in allowed_from:
        raise TransitionNotAllowed(current.status, transition)
    if gate is not None:
        missing = unmet(requirements_for(current, today=today, target=gate))
        if missing:
            shown = requirements_for(current, today=today, target=gate, viewer=actor)
            raise GateNotMet([r for r in shown if r.code in {m.code for m in missing}])
    before, before_return = current.status, current.return_status
    if to_status in SIDE_STATES:
        if return_status is None:
            return_status = before_return if before in SIDE_STATES else before
    else:
        return_status = ""
    now = timezone.now()
    current.status, current.return_status, current.status_changed_at = to_status, return_status, now
    if to_status == CaseStatus.CLOSED:
        current.closed_at = now
    current.full_clean()
    current.version += 1
    current.save(
        update_fields=["status", "return_status", "status_changed_at", "closed_at", "version"]
    )
    policy = policy_in_force(current.home_state_id, timezone.localdate(now))
    end_stay(current, now)
    CaseTransition.objects.create(
        case=current,
        transition=transition,
        from_status=before,
        to_status=to_status,
        return_status=return_status,
        actor=actor,
        at=now,
        policy=policy,
        reason=reason,
        reference=reference,
        details=details or {},
    )
    record_event(
        events.case_event(transition),
        actor=actor,
        actor_username=None if actor is not None else "system",
        target=current,
        data={
            "status": [before, to_status],
            "return_status": return_status,
            "policy_version": policy.version if policy else None,
            "reason": reason,
            "reference": reference,
            **(details or {}),
        },
    )
    return current
