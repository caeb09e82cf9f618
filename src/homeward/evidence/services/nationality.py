"""Nationality track use cases: claim, notification, acknowledgement, the state's answer."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.transactions import durable_use_case
from homeward.evidence import events
from homeward.evidence.choices import ClaimStatus, DeterminationDecision
from homeward.evidence.models import NationalityClaim, NationalityDetermination
from homeward.evidence.services._common import authorize, mission_country, policy_for, save_new

__all__ = [
    "acknowledge_claim",
    "add_nationality_claim",
    "notify_home_state",
    "record_home_state_determination",
    "record_nationality_claim",
]


def _speaks_for(actor, state_code: str) -> None:
    """A mission user speaks only for its own state."""
    country = mission_country(actor)
    if country is not None and country != state_code:
        raise PermissionDenied


def _record_nationality_claim(
    case,
    *,
    actor,
    claimed_state,
    basis: str,
    claimed_by: str,
    notified_on=None,
    notification_reference: str = "",
    home_state_reference: str = "",
) -> NationalityClaim:
    """Record that the child is claimed to be a national of `claimed_state`, and on what basis.

    A claim never confirms anything by itself, whatever its basis; it opens the question
    the home state must answer.
    """
    return add_nationality_claim(
        case,
        actor=actor,
        claimed_state=claimed_state,
        basis=basis,
        claimed_by=claimed_by,
        notified_on=notified_on,
        notification_reference=notification_reference,
        home_state_reference=home_state_reference,
    )


def add_nationality_claim(
    case,
    *,
    actor,
    claimed_state,
    basis: str,
    claimed_by: str,
    notified_on=None,
    notification_reference: str = "",
    home_state_reference: str = "",
) -> NationalityClaim:
    """`record_nationality_claim` inside the caller's transaction (a confirmed tracing match)."""
    case = authorize(actor, cap.ADD_NATIONALITY_CLAIM, case)
    claim = save_new(
        NationalityClaim(
            case=case,
            claimed_state=claimed_state,
            basis=basis,
            claimed_by=claimed_by,
            notified_on=notified_on,
            notification_reference=notification_reference,
            home_state_reference=home_state_reference,
            recorded_by=actor,
            policy=policy_for(case),
        )
    )
    record_event(
        events.CLAIM_RECORDED,
        actor=actor,
        target=claim,
        data={"claimed_state": claimed_state.code, "basis": basis, "notified_on": notified_on},
    )
    return claim


@transaction.atomic(durable=True)
def notify_home_state(
    claim, *, actor, notified_on: datetime.date, reference: str
) -> NationalityClaim:
    """Record the note verbale that notified the home state of the claim (T3 evidence)."""
    authorize(actor, cap.ADD_NATIONALITY_CLAIM, claim.case)
    claim = NationalityClaim.objects.select_for_update().get(pk=claim.pk)
    claim.notified_on, claim.notification_reference = notified_on, reference
    claim.full_clean()
    claim.save(update_fields=["notified_on", "notification_reference"])
    record_event(
        events.CLAIM_NOTIFIED,
        actor=actor,
        target=claim,
        data={"notified_on": notified_on, "reference": reference},
    )
    return claim


def _acknowledge_claim(
    claim,
    *,
    actor,
    acknowledged_on: datetime.date,
    focal_point: str,
    consular_access_on=None,
) -> NationalityClaim:
    """The home state acknowledges the claim and names its focal point (T4 evidence)."""
    authorize(actor, cap.ACKNOWLEDGE_CLAIM, claim.case)
    claim = NationalityClaim.objects.select_for_update().get(pk=claim.pk)
    _speaks_for(actor, claim.claimed_state_id)
    if not claim.notified_on:
        raise ValidationError({"acknowledged_on": _("The home state has not been notified yet.")})
    claim.acknowledged_on, claim.focal_point = acknowledged_on, focal_point
    claim.consular_access_on, claim.acknowledged_by = consular_access_on, actor
    claim.full_clean()
    claim.save(
        update_fields=["acknowledged_on", "focal_point", "consular_access_on", "acknowledged_by"]
    )
    record_event(
        events.CLAIM_ACKNOWLEDGED,
        actor=actor,
        target=claim,
        data={"acknowledged_on": acknowledged_on, "consular_access_on": consular_access_on},
    )
    return claim


def _record_home_state_determination(
    claim,
    *,
    actor,
    decision: str,
    instrument_type: str,
    instrument_reference: str = "",
    decided_on: datetime.date,
    authority: str = "",
) -> NationalityDetermination:
    """Record the claimed state's answer; a recognition confirms the claim, a refusal rejects it.

    Only the claimed state's own mission can record it: this is what makes the confirmation
    the home state's, never a self-declaration.
    """
    case = authorize(actor, cap.ADD_DETERMINATION, claim.case)
    claim = NationalityClaim.objects.select_for_update().get(pk=claim.pk)
    _speaks_for(actor, claim.claimed_state_id)
    if claim.status == ClaimStatus.WITHDRAWN:
        raise ValidationError({"claim": _("This claim was withdrawn.")})
    determination = save_new(
        NationalityDetermination(
            case=case,
            claim=claim,
            decision=decision,
            instrument_type=instrument_type,
            instrument_reference=instrument_reference,
            decided_on=decided_on,
            authority=authority,
            recorded_by=actor,
            policy=policy_for(case, decided_on),
        )
    )
    new_status = {
        DeterminationDecision.RECOGNISED: ClaimStatus.CONFIRMED,
        DeterminationDecision.NOT_RECOGNISED: ClaimStatus.REJECTED,
    }.get(decision, claim.status)
    if new_status != claim.status:
        claim.status = new_status
        claim.save(update_fields=["status"])
    record_event(
        events.DETERMINATION_RECORDED,
        actor=actor,
        target=determination,
        data={
            "claim": str(claim.pk),
            "decision": decision,
            "instrument_type": instrument_type,
            "instrument_reference": instrument_reference,
            "decided_on": decided_on,
            "policy_version": determination.policy.version if determination.policy else None,
        },
    )
    return determination


record_nationality_claim = durable_use_case(_record_nationality_claim)
acknowledge_claim = durable_use_case(_acknowledge_claim)
record_home_state_determination = durable_use_case(_record_home_state_determination)
