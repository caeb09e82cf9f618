"""The main path T2-T13 of domain.md §2.3: one service per transition.

Each is one durable transaction through `_engine.move`, which checks capability, scope,
expected version, current state and the gate of the target state, and records the
transition (with the policy version in force) and its `workflow.case.<name>` audit event.
T1 (registration) is `people.services.register_child`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.cases.choices import CaseStatus as St
from homeward.cases.models import Case
from homeward.workflow.exceptions import GateNotMet
from homeward.workflow.gates import requirements_for, unmet
from homeward.workflow.loader import APPROVED_OR_LATER, LEFT_THE_GROUP, load_facts
from homeward.workflow.services._engine import check_actor, move

__all__ = [
    "approve_case",
    "approve_family_group",
    "claim_nationality",
    "complete_care_planning",
    "confirm_nationality",
    "engage_home_state",
    "open_verification",
    "profile_case",
    "record_handover",
    "schedule_case",
    "start_care_planning",
    "start_follow_up",
]


def _step(case, *, actor, expected_version, name, source, target, capability, **extra) -> Case:
    return move(
        case,
        actor=actor,
        transition=name,
        to_status=target,
        allowed_from=[source],
        capability=capability,
        expected_version=expected_version,
        gate=target,
        **extra,
    )


@transaction.atomic(durable=True)
def profile_case(case, *, actor, expected_version: int, today=None) -> Case:
    """T2: biodata, languages, age estimate, mother linked and DNA samples are recorded."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="profiled",
        source=St.REGISTERED,
        target=St.PROFILED,
        capability=cap.PROFILE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def claim_nationality(case, *, actor, expected_version: int, today=None) -> Case:
    """T3: a claim toward the case's home state is recorded and the state notified."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="nationality_claimed",
        source=St.PROFILED,
        target=St.NATIONALITY_CLAIMED,
        capability=cap.MOVE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def engage_home_state(case, *, actor, expected_version: int, today=None) -> Case:
    """T4: the home state acknowledged, named a focal point and had consular access."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="home_state_engaged",
        source=St.NATIONALITY_CLAIMED,
        target=St.HOME_STATE_ENGAGED,
        capability=cap.MOVE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def open_verification(case, *, actor, expected_version: int, today=None) -> Case:
    """T5: the ministry opens the DNA and documentary dossier."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="verification_opened",
        source=St.HOME_STATE_ENGAGED,
        target=St.VERIFICATION,
        capability=cap.MOVE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def confirm_nationality(case, *, actor, expected_version: int, today=None) -> Case:
    """T6: the ministry validates the home state's confirmation (plus DNA, court per policy)."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="nationality_confirmed",
        source=St.VERIFICATION,
        target=St.NATIONALITY_CONFIRMED,
        capability=cap.MOVE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def start_care_planning(case, *, actor, expected_version: int, today=None) -> Case:
    """T7: planning the guardian, assurances, consent and best-interests assessment begins."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="care_planning_started",
        source=St.NATIONALITY_CONFIRMED,
        target=St.CARE_PLANNING,
        capability=cap.MOVE_CASE,
        today=today,
    )


@transaction.atomic(durable=True)
def complete_care_planning(case, *, actor, expected_version: int | None, today=None) -> Case:
    """T8: every care item is met; clearances are sought. The daily rules call it as the system."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="care_planning_completed",
        source=St.CARE_PLANNING,
        target=St.CLEARANCE,
        capability=cap.MOVE_CASE,
        today=today,
    )


def _must_go_together(case: Case, today) -> bool:
    """True when siblings must be approved with this child and some are not approved yet."""
    facts = load_facts(case, today=today)
    if facts.siblings_not_ready is None:
        return False
    others = Case.objects.filter(family_group_id=case.family_group_id).exclude(pk=case.pk)
    return others.exclude(status__in=[*LEFT_THE_GROUP, *APPROVED_OR_LATER]).exists()


def _approve(case, *, actor, expected_version, decision_reference, today) -> Case:
    if not decision_reference:
        raise ValidationError({"decision_reference": _("Cite the judge's decision.")})
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="approved",
        source=St.CLEARANCE,
        target=St.APPROVED,
        capability=cap.APPROVE_CASE,
        reference=decision_reference,
        today=today,
    )


@transaction.atomic(durable=True)
def approve_case(
    case, *, actor, expected_version: int, decision_reference: str, today=None
) -> Case:
    """T9: the judge's decision authorises the handover, naming the receiving state.

    A child whose siblings must travel with them is approved with them, through
    `approve_family_group`, unless a best-interests determination allows separation.
    """
    check_actor(actor, cap.APPROVE_CASE, case)
    if _must_go_together(case, today):
        missing = {r.code for r in unmet(requirements_for(case, today=today, target=St.APPROVED))}
        if missing:
            shown = requirements_for(case, today=today, target=St.APPROVED, viewer=actor)
            raise GateNotMet([r for r in shown if r.code in missing])
        raise ValidationError(
            {"family_group": _("Siblings are approved together: approve the family group.")}
        )
    return _approve(
        case,
        actor=actor,
        expected_version=expected_version,
        decision_reference=decision_reference,
        today=today,
    )


@transaction.atomic(durable=True)
def approve_family_group(
    group, *, actor, expected_versions: dict, decision_reference: str, today=None
) -> list[Case]:
    """T9 for siblings: every child of the group still travelling with it is approved, or none.

    `expected_versions` maps each case's pk to the version the judge saw.
    """
    members = list(
        Case.objects.filter(family_group=group)
        .exclude(status__in=[*LEFT_THE_GROUP, *APPROVED_OR_LATER])
        .order_by("reference")
    )
    for member in members:
        check_actor(actor, cap.APPROVE_CASE, member)
    return [
        _approve(
            member,
            actor=actor,
            expected_version=expected_versions.get(member.pk, -1),
            decision_reference=decision_reference,
            today=today,
        )
        for member in members
    ]


@transaction.atomic(durable=True)
def schedule_case(
    case, *, actor, expected_version: int, operation_reference: str, today=None
) -> Case:
    """T10: on an operation, with travel document, exit authorisation, fee and clearances."""
    if not operation_reference:
        raise ValidationError({"operation_reference": _("Name the operation.")})
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="scheduled",
        source=St.APPROVED,
        target=St.SCHEDULED,
        capability=cap.MOVE_CASE,
        reference=operation_reference,
        today=today,
    )


@transaction.atomic(durable=True)
def record_handover(
    case,
    *,
    actor,
    expected_version: int,
    handed_over_at: datetime.datetime,
    location: str,
    witnesses=(),
    today=None,
) -> Case:
    """T11: the handover record is signed and witnessed."""
    if not location:
        raise ValidationError({"location": _("Say where the child was handed over.")})
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="handed_over",
        source=St.SCHEDULED,
        target=St.HANDED_OVER,
        capability=cap.HAND_OVER_CASE,
        details={
            "handed_over_at": handed_over_at.isoformat(),
            "location": location,
            "witnesses": list(witnesses),
        },
        today=today,
    )


@transaction.atomic(durable=True)
def start_follow_up(case, *, actor, expected_version: int) -> Case:
    """T13: agreed post-return reports are expected."""
    return _step(
        case,
        actor=actor,
        expected_version=expected_version,
        name="follow_up_started",
        source=St.RECEIVED,
        target=St.FOLLOW_UP,
        capability=(cap.MOVE_CASE, cap.CONFIRM_ARRIVAL),
    )
