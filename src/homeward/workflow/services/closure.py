"""T14: closing a case takes two people — an officer asks, a supervisor (not the same) approves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.cases.choices import MAIN_STATES, SIDE_STATES
from homeward.cases.choices import CaseStatus as St
from homeward.core.exceptions import StaleEditError
from homeward.workflow import events
from homeward.workflow.choices import ClosureStatus
from homeward.workflow.models import ClosureRequest
from homeward.workflow.services._engine import check_actor, lock_case, move

__all__ = ["approve_closure", "reject_closure", "request_closure"]

CLOSABLE = [s for s in (*MAIN_STATES, *SIDE_STATES) if s != St.CLOSED]


@transaction.atomic(durable=True)
def request_closure(
    case, *, actor, expected_version: int, reason: str, note: str = ""
) -> ClosureRequest:
    """An officer asks to close the case with a closure reason; nothing closes yet."""
    check_actor(actor, cap.MOVE_CASE, case)
    current = lock_case(case, expected_version)
    if current.status == St.CLOSED:
        raise ValidationError({"reason": _("The case is already closed.")})
    request = ClosureRequest(
        case=current,
        reason=reason,
        note=note,
        requested_by=actor,
        requested_version=current.version,
    )
    request.full_clean(exclude=["requested_version"])
    try:
        with transaction.atomic():
            request.save(force_insert=True)
    except IntegrityError as exc:
        raise ValidationError({"reason": _("A closure request is already waiting.")}) from exc
    record_event(
        events.CLOSURE_REQUESTED,
        actor=actor,
        target=request,
        data={"reason": reason, "status": current.status},
    )
    return request


def _pending(request) -> ClosureRequest:
    current = ClosureRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if current.status != ClosureStatus.PENDING:
        raise ValidationError({"status": _("This request was already decided.")})
    return current


@transaction.atomic(durable=True)
def approve_closure(request, *, actor):
    """A supervisor other than the requester approves: the case moves to CLOSED.

    The case must not have changed since the request (its version), so a supervisor never
    approves closing a case whose situation moved on unseen.
    """
    check_actor(actor, cap.APPROVE_CLOSURE, request.case)
    current = _pending(request)
    if current.requested_by_id == actor.pk:
        raise PermissionDenied
    if current.case.version != current.requested_version:
        raise StaleEditError()
    case = move(
        current.case,
        actor=actor,
        transition="closed",
        to_status=St.CLOSED,
        allowed_from=CLOSABLE,
        capability=cap.APPROVE_CLOSURE,
        expected_version=current.requested_version,
        reason=current.get_reason_display(),
        details={
            "closure_reason": current.reason,
            "requested_by": current.requested_by.get_username(),
        },
    )
    current.status, current.decided_by, current.decided_at = (
        ClosureStatus.APPROVED,
        actor,
        timezone.now(),
    )
    current.save(update_fields=["status", "decided_by", "decided_at"])
    return case


@transaction.atomic(durable=True)
def reject_closure(request, *, actor, note: str = "") -> ClosureRequest:
    """A supervisor declines to close; the case carries on."""
    check_actor(actor, cap.APPROVE_CLOSURE, request.case)
    current = _pending(request)
    if current.requested_by_id == actor.pk:
        raise PermissionDenied
    current.status, current.decided_by, current.decided_at = (
        ClosureStatus.REJECTED,
        actor,
        timezone.now(),
    )
    current.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(events.CLOSURE_REJECTED, actor=actor, target=current, data={"note": note})
    return current
