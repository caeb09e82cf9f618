"""Care and consent use cases: consent or its judicial substitute, guardian, assurances, BIA."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.evidence import events
from homeward.evidence.choices import AssessmentKind, ConsentDecision, GuardianVetting
from homeward.evidence.models import Assurance, BestInterestsAssessment, Consent, GuardianCandidate
from homeward.evidence.services._common import (
    authorize,
    authorize_all,
    mission_country,
    moment_of,
    policy_for,
    save_new,
)

__all__ = [
    "add_guardian_candidate",
    "propose_guardian",
    "record_assurance",
    "record_bia",
    "record_consent",
    "record_consent_substitute",
    "record_guardian_vetting",
]


def _with_case(case, others: Iterable) -> list:
    return [case, *[other for other in others if other.pk != case.pk]]


def _save_consent(case, *, actor, covered, **fields) -> Consent:
    consent = save_new(
        Consent(
            case=case, recorded_by=actor, policy=policy_for(case, fields["decided_on"]), **fields
        )
    )
    consent.covered_cases.set(covered)
    return consent


@transaction.atomic(durable=True)
def record_consent(
    case,
    *,
    actor,
    giver,
    decision: str,
    scope: str,
    decided_on: datetime.date,
    covered_cases: Iterable = (),
    language: str = "",
    interpreter: str = "",
    witnesses=(),
    notes: str = "",
) -> Consent:
    """Record the mother's (or guardian's) decision for one or more of her children.

    A judicial substitute is a judge's act (`record_consent_substitute`), not this one.
    """
    if decision == ConsentDecision.JUDICIAL_SUBSTITUTE:
        raise ValidationError({"decision": _("A judicial substitute is recorded by the court.")})
    case = authorize(actor, cap.ADD_CONSENT, case)
    covered = authorize_all(actor, _with_case(case, covered_cases))
    consent = _save_consent(
        case,
        actor=actor,
        covered=covered,
        giver=giver,
        decision=decision,
        scope=scope,
        decided_on=decided_on,
        language=language,
        interpreter=interpreter,
        witnesses=list(witnesses),
        notes=notes,
    )
    record_event(
        events.CONSENT_RECORDED,
        actor=actor,
        target=consent,
        data={
            "decision": decision,
            "scope": scope,
            "decided_on": decided_on,
            "cases": sorted(c.reference for c in covered),
            "interpreter": bool(interpreter),
            "witnesses": len(consent.witnesses),
            "policy_version": consent.policy.version if consent.policy else None,
        },
    )
    return consent


@transaction.atomic(durable=True)
def record_consent_substitute(
    case,
    *,
    actor,
    scope: str,
    court_decision_reference: str,
    decided_on: datetime.date,
    covered_cases: Iterable = (),
    notes: str = "",
) -> Consent:
    """A judge decides that consent is not required or is overridden (domain.md §2.6)."""
    case = authorize(actor, cap.DECIDE_CONSENT_SUBSTITUTE, case)
    covered = authorize_all(actor, _with_case(case, covered_cases))
    consent = _save_consent(
        case,
        actor=actor,
        covered=covered,
        giver=None,
        scope=scope,
        decision=ConsentDecision.JUDICIAL_SUBSTITUTE,
        decided_on=decided_on,
        court_decision_reference=court_decision_reference,
        notes=notes,
    )
    record_event(
        events.CONSENT_SUBSTITUTED,
        actor=actor,
        target=consent,
        data={
            "scope": scope,
            "court_decision": court_decision_reference,
            "decided_on": decided_on,
            "cases": sorted(c.reference for c in covered),
            "policy_version": consent.policy.version if consent.policy else None,
        },
    )
    return consent


@transaction.atomic(durable=True)
def propose_guardian(
    case,
    *,
    actor,
    relationship_to_child: str,
    person=None,
    institution: str = "",
    willingness_confirmed_on=None,
    address_region: str = "",
    at=None,
) -> GuardianCandidate:
    """Propose a relative or an institution to receive the child; vetting is the home state's.

    `at` back-dates a proposal entered after the fact (the vetting waits since then).
    """
    return add_guardian_candidate(
        case,
        actor=actor,
        relationship_to_child=relationship_to_child,
        person=person,
        institution=institution,
        willingness_confirmed_on=willingness_confirmed_on,
        address_region=address_region,
        at=at,
    )


def add_guardian_candidate(
    case,
    *,
    actor,
    relationship_to_child: str,
    person=None,
    institution: str = "",
    willingness_confirmed_on=None,
    address_region: str = "",
    at=None,
) -> GuardianCandidate:
    """`propose_guardian` inside the caller's transaction (a confirmed tracing match)."""
    case = authorize(actor, cap.ADD_GUARDIAN, case)
    proposed_at = moment_of(at)
    candidate = save_new(
        GuardianCandidate(
            case=case,
            person=person,
            institution=institution,
            relationship_to_child=relationship_to_child,
            willingness_confirmed_on=willingness_confirmed_on,
            address_region=address_region,
            recorded_at=proposed_at,
            recorded_by=actor,
            policy=policy_for(case, timezone.localdate(proposed_at)),
        )
    )
    record_event(
        events.GUARDIAN_PROPOSED,
        actor=actor,
        target=candidate,
        data={"relationship": relationship_to_child, "institution": bool(institution)},
    )
    return candidate


@transaction.atomic(durable=True)
def record_guardian_vetting(
    candidate,
    *,
    actor,
    decision: str,
    authority: str,
    vetted_on: datetime.date,
) -> GuardianCandidate:
    """Record the home state's vetting decision (approved or rejected) on a candidate."""
    case = authorize(actor, cap.VET_GUARDIAN, candidate.case)
    country = mission_country(actor)
    if country is not None and country != case.home_state_id:
        raise PermissionDenied
    candidate = GuardianCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.vetting != GuardianVetting.PENDING:
        raise ValidationError({"vetting": _("This candidate was already vetted.")})
    if decision == GuardianVetting.PENDING:
        raise ValidationError({"vetting": _("Choose approved or rejected.")})
    candidate.vetting, candidate.vetting_authority = decision, authority
    candidate.vetted_on, candidate.vetted_by = vetted_on, actor
    candidate.full_clean()
    candidate.save(update_fields=["vetting", "vetting_authority", "vetted_on", "vetted_by"])
    record_event(
        events.GUARDIAN_VETTED,
        actor=actor,
        target=candidate,
        data={"decision": decision, "authority": authority, "vetted_on": vetted_on},
    )
    return candidate


@transaction.atomic(durable=True)
def record_assurance(
    case,
    *,
    actor,
    reference: str,
    dated: datetime.date,
    items: Iterable[str],
    covered_cases: Iterable = (),
) -> Assurance:
    """Record the home state's assurances letter, for this child or a group of its nationals."""
    case = authorize(actor, cap.ADD_ASSURANCE, case)
    covered = authorize_all(actor, _with_case(case, covered_cases))
    if any(other.home_state_id != case.home_state_id for other in covered):
        raise ValidationError(
            {"covered_cases": _("Assurances cover only the state's own nationals.")}
        )
    assurance = save_new(
        Assurance(
            case=case,
            from_state=case.home_state,
            reference=reference,
            dated=dated,
            items=list(items),
            recorded_by=actor,
            policy=policy_for(case, dated),
        )
    )
    assurance.covered_cases.set(covered)
    record_event(
        events.ASSURANCE_RECORDED,
        actor=actor,
        target=assurance,
        data={
            "reference": reference,
            "items": sorted(assurance.items),
            "cases": sorted(c.reference for c in covered),
        },
    )
    return assurance


@transaction.atomic(durable=True)
def record_bia(
    case,
    *,
    actor,
    kind: str = AssessmentKind.BIA,
    trigger: str,
    assessor: str,
    recommendation: str,
    assessed_on: datetime.date,
    panel_members=(),
    factors_considered: str = "",
    child_views: str = "",
    separation_from_mother_ok=None,
    separation_from_siblings_ok=None,
) -> BestInterestsAssessment:
    """Record a best-interests assessment or a formal determination by a panel."""
    case = authorize(actor, cap.ADD_BIA, case)
    assessment = save_new(
        BestInterestsAssessment(
            case=case,
            kind=kind,
            trigger=trigger,
            assessor=assessor,
            recommendation=recommendation,
            assessed_on=assessed_on,
            panel_members=list(panel_members),
            factors_considered=factors_considered,
            child_views=child_views,
            separation_from_mother_ok=separation_from_mother_ok,
            separation_from_siblings_ok=separation_from_siblings_ok,
            recorded_by=actor,
            policy=policy_for(case, assessed_on),
        )
    )
    record_event(
        events.BIA_RECORDED,
        actor=actor,
        target=assessment,
        data={
            "kind": kind,
            "trigger": trigger,
            "recommendation": recommendation,
            "assessed_on": assessed_on,
        },
    )
    return assessment
