"""Side and exception states (domain.md §2.2, §2.6). Each remembers the state to return to.

Entering one needs a reason; some need evidence (a death needs a DEATH incident, an Iraqi
national referral an Iraqi parent, ageing out an age of 18 that is certain). `resume_case`
returns to the remembered main state; DECEASED and AGED_OUT end the case's track.
"""

import calendar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.cases.choices import MAIN_STATES, SIDE_STATES
from homeward.cases.choices import CaseStatus as St
from homeward.cases.models import Case
from homeward.evidence.choices import IncidentType, SentenceStatus
from homeward.evidence.models import CourtCase, Incident, Sentence
from homeward.people.choices import PersonKind, RelationshipType
from homeward.people.models import Relationship, years_between
from homeward.workflow.services._engine import move

__all__ = [
    "dispute_nationality",
    "enter_judicial_proceedings",
    "enter_serving_sentence",
    "has_iraqi_parent",
    "is_certainly_adult",
    "mark_aged_out",
    "mark_deceased",
    "mark_home_state_refused",
    "mark_home_state_unresponsive",
    "mark_home_state_unresponsive_in",
    "put_on_hold",
    "refer_iraqi_national",
    "refer_statelessness_review",
    "resume_case",
    "transfer_out",
]

IRAQ = "IQ"
ADULT_AGE = 18
# Main states from which a case can step aside (not after the handover, not when closed).
BEFORE_HANDOVER = MAIN_STATES[: MAIN_STATES.index(St.HANDED_OVER)]
ENDING = {St.DECEASED, St.AGED_OUT}


def _need_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})


def _side(
    case,
    *,
    actor,
    expected_version,
    name,
    target,
    reason,
    allowed_from=None,
    capability=cap.MOVE_CASE,
    **extra,
) -> Case:
    _need_reason(reason)
    return move(
        case,
        actor=actor,
        transition=name,
        to_status=target,
        allowed_from=allowed_from
        or [*BEFORE_HANDOVER, *(s for s in SIDE_STATES if s not in ENDING)],
        capability=capability,
        expected_version=expected_version,
        reason=reason,
        **extra,
    )


@transaction.atomic(durable=True)
def put_on_hold(case, *, actor, expected_version: int, reason: str) -> Case:
    """ON_HOLD: awaiting a sibling, consent, a court, illness, a postponed operation…"""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="put_on_hold",
        target=St.ON_HOLD,
        reason=reason,
    )


@transaction.atomic(durable=True)
def resume_case(case, *, actor, expected_version: int, reason: str = "") -> Case:
    """Return from a side state to the main state it remembers (WITHDRAWN → APPROVED)."""
    current = Case.objects.get(pk=case.pk)
    return move(
        case,
        actor=actor,
        transition="resumed",
        to_status=current.return_status or St.REGISTERED,
        allowed_from=[s for s in SIDE_STATES if s not in ENDING],
        capability=cap.MOVE_CASE,
        expected_version=expected_version,
        reason=reason,
    )


def dispute_nationality_in(
    case, *, actor, reason: str, expected_version=None, details=None
) -> Case:
    """T6' inside the caller's transaction (used by the DNA service on an exclusion)."""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="nationality_disputed",
        target=St.NATIONALITY_DISPUTED,
        reason=reason,
        capability=(cap.MOVE_CASE, cap.ADD_DNA_COMPARISON),
        details=details,
    )


@transaction.atomic(durable=True)
def dispute_nationality(case, *, actor, expected_version: int, reason: str) -> Case:
    """T6': conflicting claims, a DNA exclusion, or the home state denying nationality."""
    return dispute_nationality_in(
        case, actor=actor, reason=reason, expected_version=expected_version
    )


@transaction.atomic(durable=True)
def refer_statelessness_review(case, *, actor, expected_version: int, reason: str) -> Case:
    """T6': no state recognises the child; escalate to UNHCR with a review date."""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="statelessness_review",
        target=St.STATELESSNESS_REVIEW,
        reason=reason,
    )


def mark_home_state_unresponsive_in(
    case, *, actor, reason: str, expected_version: int | None = None, details=None
) -> Case:
    """T4' inside the caller's transaction (the daily rules' silence check)."""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="home_state_unresponsive",
        target=St.HOME_STATE_UNRESPONSIVE,
        reason=reason,
        allowed_from=[St.NATIONALITY_CLAIMED, St.HOME_STATE_ENGAGED, St.VERIFICATION],
        details=details,
    )


@transaction.atomic(durable=True)
def mark_home_state_unresponsive(case, *, actor, expected_version: int | None, reason: str) -> Case:
    """T4': no reply from the home state within the agreed time."""
    return mark_home_state_unresponsive_in(
        case, actor=actor, expected_version=expected_version, reason=reason
    )


@transaction.atomic(durable=True)
def mark_home_state_refused(case, *, actor, expected_version: int, reason: str) -> Case:
    """The home state refuses: the case stays open, with reminders and escalation."""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="home_state_refused",
        target=St.HOME_STATE_REFUSED,
        reason=reason,
    )


def _child_court_cases(case: Case):
    return CourtCase.objects.filter(defendant_id=case.child_id)


@transaction.atomic(durable=True)
def enter_judicial_proceedings(case, *, actor, expected_version: int, reason: str) -> Case:
    """A child aged 9+ is a suspect or defendant: needs a pending court case on record."""
    if not any(c.is_pending for c in _child_court_cases(case)):
        raise ValidationError({"reason": _("No pending court case against the child is recorded.")})
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="judicial_proceedings",
        target=St.IN_JUDICIAL_PROCEEDINGS,
        reason=reason,
    )


@transaction.atomic(durable=True)
def enter_serving_sentence(case, *, actor, expected_version: int, reason: str) -> Case:
    """The child serves a sentence: needs a sentence being served on record."""
    serving = Sentence.objects.filter(
        court_case__in=_child_court_cases(case), status=SentenceStatus.SERVING
    )
    if not serving.exists():
        raise ValidationError({"reason": _("No sentence being served by the child is recorded.")})
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="serving_sentence",
        target=St.SERVING_SENTENCE,
        reason=reason,
    )


def has_iraqi_parent(child) -> bool:
    """A mother or father recorded with Iraqi nationality (Nationality Law 26/2006, Art. 3)."""
    return Relationship.objects.filter(
        person=child,
        relationship_type__in=RelationshipType.parents(),
        relative__nationality_id=IRAQ,
    ).exists()


@transaction.atomic(durable=True)
def refer_iraqi_national(
    case, *, actor, expected_version: int, reason: str, foundling: bool = False
) -> Case:
    """The child has an Iraqi parent (or is a foundling) and leaves the deportation track."""
    current = Case.objects.select_related("child").get(pk=case.pk)
    if not (foundling or has_iraqi_parent(current.child)):
        raise ValidationError(
            {"reason": _("No parent of Iraqi nationality is recorded for this child.")}
        )
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="iraqi_national_referral",
        target=St.IRAQI_NATIONAL_REFERRAL,
        reason=reason,
        details={"foundling": foundling},
    )


def is_certainly_adult(child, on) -> bool:
    """18 even if born on the latest date the recorded precision allows."""
    latest = child.dob_latest if child.dob_precision == "range" else child.date_of_birth
    if child.dob_precision == "year" and child.date_of_birth:
        latest = child.date_of_birth.replace(month=12, day=31)
    elif child.dob_precision == "month" and child.date_of_birth:
        born = child.date_of_birth
        latest = born.replace(day=calendar.monthrange(born.year, born.month)[1])
    elif child.dob_precision == "unknown":
        latest = None
    return (
        latest is not None
        and child.kind == PersonKind.CHILD
        and years_between(latest, on) >= ADULT_AGE
    )


@transaction.atomic(durable=True)
def mark_aged_out(case, *, actor, expected_version: int | None, reason: str, on=None) -> Case:
    """The child turned 18 (certainly, given the date's precision): the adult process takes over."""
    current = Case.objects.select_related("child").get(pk=case.pk)
    if not is_certainly_adult(current.child, on or timezone.localdate()):
        raise ValidationError({"reason": _("The child is not certainly 18 yet.")})
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="aged_out",
        target=St.AGED_OUT,
        reason=reason,
    )


@transaction.atomic(durable=True)
def mark_deceased(case, *, actor, expected_version: int, reason: str) -> Case:
    """The child died: needs a DEATH incident on record."""
    if not Incident.objects.filter(case_id=case.pk, incident_type=IncidentType.DEATH).exists():
        raise ValidationError({"reason": _("Record the death as an incident first.")})
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="deceased",
        target=St.DECEASED,
        reason=reason,
        allowed_from=[s for s in (*MAIN_STATES, *SIDE_STATES) if s not in (St.CLOSED, St.DECEASED)],
    )


@transaction.atomic(durable=True)
def transfer_out(case, *, actor, expected_version: int, reason: str) -> Case:
    """Custody moved to another jurisdiction (e.g. the KRG)."""
    return _side(
        case,
        actor=actor,
        expected_version=expected_version,
        name="transferred_out",
        target=St.TRANSFERRED_OUT,
        reason=reason,
    )
