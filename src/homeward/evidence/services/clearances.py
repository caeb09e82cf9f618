"""Clearance use cases: request, then decide once. Renewal is a new request."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.evidence import events
from homeward.evidence.choices import DECIDE_CAPABILITY, ClearanceStatus, ClearanceType
from homeward.evidence.models import Clearance, SecurityAssessment
from homeward.evidence.services._common import authorize, moment_of, policy_for, save_new

__all__ = ["decide_clearance", "request_clearance"]


@transaction.atomic(durable=True)
def request_clearance(
    case, *, actor, clearance_type: str, comments: str = "", at=None
) -> Clearance:
    """Ask the deciding agency for a clearance. One open request per type at a time.

    `at` back-dates a request entered after the fact (imports, the demo data); never future.
    """
    case = authorize(actor, cap.REQUEST_CLEARANCE, case)
    requested_at = moment_of(at)
    if Clearance.objects.filter(
        case=case, clearance_type=clearance_type, status=ClearanceStatus.REQUESTED
    ).exists():
        raise ValidationError({"clearance_type": _("This clearance is already requested.")})
    if clearance_type == ClearanceType.SECURITY:
        comments = ""  # anything said about security goes to the sealed assessment
    clearance = save_new(
        Clearance(
            case=case,
            clearance_type=clearance_type,
            comments=comments,
            requested_at=requested_at,
            recorded_by=actor,
            policy=policy_for(case, timezone.localdate(requested_at)),
        )
    )
    record_event(
        events.CLEARANCE_REQUESTED,
        actor=actor,
        target=clearance,
        data={"clearance_type": clearance_type},
    )
    return clearance


@transaction.atomic(durable=True)
def decide_clearance(
    clearance,
    *,
    actor,
    approve: bool,
    reference: str = "",
    conditions: str = "",
    expires_at=None,
    comments: str = "",
    assessment: str = "",
    at=None,
) -> Clearance:
    """Approve or reject a requested clearance, recording the policy in force at the decision.

    Only the agency that owns the type may decide (the judge judicial, the security liaison
    security, ...). For a security clearance `assessment` and `conditions` are sealed.
    `at` back-dates a decision entered after the fact; it cannot precede the request.
    """
    capability = DECIDE_CAPABILITY[clearance.clearance_type]
    case = authorize(actor, capability, clearance.case)
    clearance = Clearance.objects.select_for_update().get(pk=clearance.pk)
    if clearance.case_id != case.pk:
        raise PermissionDenied
    if clearance.status != ClearanceStatus.REQUESTED:
        raise ValidationError({"status": _("This clearance was already decided.")})
    now = moment_of(at)
    clearance.status = ClearanceStatus.APPROVED if approve else ClearanceStatus.REJECTED
    clearance.decided_at, clearance.decided_by, clearance.reference = now, actor, reference
    clearance.expires_at = expires_at
    clearance.decision_policy = policy_for(case, timezone.localdate(now))
    sealed = clearance.is_sealed_type
    if sealed:
        if not assessment:
            raise ValidationError({"assessment": _("A security decision records its assessment.")})
    else:
        clearance.conditions, clearance.comments = conditions, comments
    clearance.full_clean()
    clearance.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "reference",
            "expires_at",
            "decision_policy",
            "conditions",
            "comments",
        ]
    )
    if sealed:
        save_new(
            SecurityAssessment(clearance=clearance, assessment=assessment, conditions=conditions),
            exclude=["clearance"],
        )
    record_event(
        events.CLEARANCE_DECIDED,
        actor=actor,
        target=clearance,
        data={
            "clearance_type": clearance.clearance_type,
            "status": clearance.status,
            "reference": reference,
            "expires_at": expires_at,
            "conditions": bool(conditions) if sealed else conditions,
            "policy_version": clearance.decision_policy.version
            if clearance.decision_policy
            else None,
        },
    )
    return clearance
