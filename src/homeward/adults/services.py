"""Write use cases of adult cases: open, legal track, route home, return steps, visits.

Each public function is one durable transaction with its audit event. Capability
(PermissionDenied) and scope (OutOfScopeError, answered as 404) are checked here, never
only in the adapters. Edits carry `expected_version` (StaleEditError when stale).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.adults import events
from homeward.adults.choices import NEXT_STATUSES, LegalStatus, ReturnStep, RouteHome, SentenceKind
from homeward.adults.models import STEP_FIELDS, AdultCase, ConsularVisit, LegalStatusChange
from homeward.audit.services import record_event
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.evidence import events as evidence_events
from homeward.evidence.choices import SentenceStatus
from homeward.evidence.models import Sentence
from homeward.people.choices import PersonKind
from homeward.people.models import Person
from homeward.workflow.services._engine import move

__all__ = [
    "choose_route_home",
    "complete_juvenile_sentence",
    "continue_as_adult",
    "next_adult_reference",
    "open_adult_case",
    "record_consular_visit",
    "record_legal_status",
    "record_return_step",
]

DEPARTURES = {
    LegalStatus.DEPORTED: RouteHome.DEPORTATION,
    LegalStatus.TRANSFERRED: RouteHome.TRANSFER,
    LegalStatus.HANDED_OVER: RouteHome.WITH_CHILDREN,
}


def next_adult_reference(year: int) -> str:
    """HWA-<year>-<n>: sequential per year. Callers hold the write transaction."""
    prefix = f"HWA-{year}-"
    last = AdultCase.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))[
        "last"
    ]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _require(actor, capability: str) -> None:
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied


def _lock(adult_case: AdultCase, actor, capability: str, expected_version) -> AdultCase:
    _require(actor, capability)
    if not AdultCase.objects.for_user(actor, "view").filter(pk=adult_case.pk).exists():
        raise OutOfScopeError()
    current = AdultCase.objects.select_for_update().get(pk=adult_case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    return current


def _not_future(on: datetime.date, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})


def _create(person, *, actor, home_state, from_case=None, **fields) -> AdultCase:
    if AdultCase.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person already has an adult case.")})
    now = timezone.now()
    adult_case = AdultCase(
        reference=next_adult_reference(timezone.localtime(now).year),
        person=person,
        home_state=home_state,
        from_case=from_case,
        opened_by=actor,
        opened_at=now,
        status_since=fields.pop("status_since", None) or timezone.localdate(now),
        **fields,
    )
    adult_case.full_clean()
    adult_case.save(force_insert=True)
    LegalStatusChange.objects.create(
        adult_case=adult_case,
        to_status=adult_case.legal_status,
        on=adult_case.status_since,
        sentence_kind=adult_case.sentence_kind,
        expected_release_on=adult_case.expected_release_on,
        note=_("Adult case opened"),
        recorded_by=actor,
    )
    record_event(
        events.ADULT_CASE_OPENED,
        actor=actor,
        target=adult_case,
        data={
            "reference": adult_case.reference,
            "home_state": home_state.code,
            "legal_status": adult_case.legal_status,
            "from_case": str(from_case.pk) if from_case else None,
        },
    )
    return adult_case


@transaction.atomic(durable=True)
def open_adult_case(
    person,
    *,
    actor,
    home_state,
    legal_status: str = LegalStatus.DETAINED,
    status_since: datetime.date | None = None,
    sentence_kind: str = "",
    expected_release_on: datetime.date | None = None,
    route_home: str = RouteHome.UNDECIDED,
    facility=None,
    detainee_number: str = "",
) -> AdultCase:
    """Open the case of an adult in custody (a mother, a father, a relative)."""
    _require(actor, cap.ADD_ADULT_CASE)
    if actor.home_state_scope() is not None and home_state.code not in actor.home_state_scope():
        raise OutOfScopeError()
    if not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise OutOfScopeError()
    if person.kind != PersonKind.ADULT:
        raise ValidationError(
            {"person": _("A child's case continues as an adult case only after ageing out.")}
        )
    if status_since:
        _not_future(status_since, "status_since")
    return _create(
        person,
        actor=actor,
        home_state=home_state,
        legal_status=legal_status,
        status_since=status_since,
        sentence_kind=sentence_kind,
        expected_release_on=expected_release_on,
        route_home=route_home,
        facility=facility,
        detainee_number=detainee_number.strip(),
    )


@transaction.atomic(durable=True)
def continue_as_adult(
    case: Case,
    *,
    actor,
    legal_status: str = LegalStatus.DETAINED,
    sentence_kind: str = "",
    expected_release_on: datetime.date | None = None,
    facility=None,
) -> AdultCase:
    """A juvenile who turned 18 in custody (case AGED_OUT) continues as an adult case.

    The adult case points at the child's case; its history (transitions, evidence, audit
    trail) stays where it is and is read through the link.
    """
    _require(actor, cap.ADD_ADULT_CASE)
    if not Case.objects.for_user(actor, "view").filter(pk=case.pk).exists():
        raise OutOfScopeError()
    current = Case.objects.select_for_update().select_related("child", "home_state").get(pk=case.pk)
    if current.status != CaseStatus.AGED_OUT:
        raise ValidationError({"case": _("Only a case that aged out continues as an adult case.")})
    return _create(
        current.child,
        actor=actor,
        home_state=current.home_state,
        from_case=current,
        legal_status=legal_status,
        sentence_kind=sentence_kind,
        expected_release_on=expected_release_on,
        facility=facility,
    )


@transaction.atomic(durable=True)
def record_legal_status(
    adult_case: AdultCase,
    *,
    actor,
    expected_version: int,
    legal_status: str,
    on: datetime.date,
    note: str = "",
    sentence_kind: str | None = None,
    expected_release_on: datetime.date | None = None,
) -> AdultCase:
    """One step of the legal track (conviction, appeal, commutation, release, departure…).

    A conviction or commutation states the sentence (and a fixed term its release date);
    a departure (deported, transferred, handed over) passes the return gate first.
    """
    current = _lock(adult_case, actor, cap.CHANGE_ADULT_CASE, expected_version)
    _not_future(on, "on")
    before = current.legal_status
    if legal_status not in NEXT_STATUSES.get(before, ()):
        raise ValidationError(
            {
                "legal_status": _("%(to)s cannot follow %(from)s.")
                % {
                    "to": LegalStatus(legal_status).label,
                    "from": LegalStatus(before).label,
                }
            }
        )
    if legal_status == LegalStatus.EXECUTED and current.sentence_kind != SentenceKind.DEATH:
        raise ValidationError({"legal_status": _("Only a death sentence is executed.")})
    if legal_status in DEPARTURES:
        if legal_status == LegalStatus.TRANSFERRED:
            current.route_home = RouteHome.TRANSFER
        missing = current.missing_for_return()
        if missing:
            raise ValidationError(
                {"legal_status": _("Still missing: %(items)s.") % {"items": "; ".join(missing)}}
            )
        current.route_home = DEPARTURES[legal_status]
    if legal_status in (LegalStatus.CONVICTED, LegalStatus.COMMUTED):
        if sentence_kind is None:
            raise ValidationError({"sentence_kind": _("Say what the sentence is.")})
        current.sentence_kind = sentence_kind
        current.expected_release_on = expected_release_on
    elif expected_release_on is not None:
        current.expected_release_on = expected_release_on
    current.legal_status, current.status_since = legal_status, on
    current.full_clean()
    current.version += 1
    current.save()
    LegalStatusChange.objects.create(
        adult_case=current,
        from_status=before,
        to_status=legal_status,
        on=on,
        sentence_kind=current.sentence_kind if legal_status in LegalStatus.serving() else "",
        expected_release_on=current.expected_release_on,
        note=note.strip(),
        recorded_by=actor,
    )
    record_event(
        events.LEGAL_STATUS_RECORDED,
        actor=actor,
        target=current,
        data={
            "legal_status": [before, legal_status],
            "on": on,
            "sentence_kind": current.sentence_kind,
            "expected_release_on": current.expected_release_on,
        },
    )
    return current


@transaction.atomic(durable=True)
def choose_route_home(
    adult_case: AdultCase, *, actor, expected_version: int, route_home: str
) -> AdultCase:
    """Deportation after the sentence, transfer of a sentenced person, or with the children."""
    current = _lock(adult_case, actor, cap.CHANGE_ADULT_CASE, expected_version)
    if route_home not in RouteHome.values:
        raise ValidationError({"route_home": _("Choose a route home.")})
    before = current.route_home
    current.route_home = route_home
    current.version += 1
    current.save(update_fields=["route_home", "version"])
    record_event(
        events.ROUTE_HOME_CHOSEN,
        actor=actor,
        target=current,
        data={"route_home": [before, route_home]},
    )
    return current


@transaction.atomic(durable=True)
def record_return_step(
    adult_case: AdultCase,
    *,
    actor,
    expected_version: int,
    step: str,
    on: datetime.date,
    reference: str = "",
) -> AdultCase:
    """Nationality confirmed, transfer agreed, exit authorised or travel document issued."""
    current = _lock(adult_case, actor, cap.CHANGE_ADULT_CASE, expected_version)
    if step not in ReturnStep.values:
        raise ValidationError({"step": _("Choose a step.")})
    _not_future(on, "on")
    field = STEP_FIELDS[step]
    setattr(current, field, on)
    current.version += 1
    current.save(update_fields=[field, "version"])
    record_event(
        events.RETURN_STEP_RECORDED,
        actor=actor,
        target=current,
        data={"step": step, "on": on, "reference": reference.strip()},
    )
    return current


@transaction.atomic(durable=True)
def record_consular_visit(
    adult_case: AdultCase,
    *,
    actor,
    visited_on: datetime.date,
    officials: str,
    consent_level: str,
    interpreter: str = "",
    discussed: str = "",
    facility=None,
) -> ConsularVisit:
    """Log a home-state visit to its national; the content only as far as consented."""
    _require(actor, cap.ADD_CONSULAR_VISIT)
    if not AdultCase.objects.for_user(actor, "view").filter(pk=adult_case.pk).exists():
        raise OutOfScopeError()
    agency = getattr(actor, "agency", None)
    visit = ConsularVisit(
        adult_case=adult_case,
        visited_on=visited_on,
        officials=officials.strip(),
        consent_level=consent_level,
        interpreter=interpreter.strip(),
        discussed=discussed.strip(),
        facility=facility or adult_case.facility,
        mission=agency if agency is not None and agency.is_mission else None,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save(force_insert=True)
    record_event(
        events.CONSULAR_VISIT_RECORDED,
        actor=actor,
        target=visit,
        data={
            "visited_on": visited_on,
            "consent_level": consent_level,
            "interpreter": bool(visit.interpreter),
        },
    )
    return visit


@transaction.atomic(durable=True)
def complete_juvenile_sentence(
    case: Case, *, actor, expected_version: int, completed_on: datetime.date
) -> Case:
    """A juvenile served the sentence: the sentences end and the case resumes (domain.md §2.4 B).

    Recorded by whoever records court facts (MoJ, the judiciary) or an officer who moves
    cases; the case leaves SERVING_SENTENCE for the main state it remembers.
    """
    if actor is None or not (
        actor.has_capability(cap.ADD_COURT_CASE) or actor.has_capability(cap.MOVE_CASE)
    ):
        raise PermissionDenied
    if not Case.objects.for_user(actor, "view").filter(pk=case.pk).exists():
        raise OutOfScopeError()
    _not_future(completed_on, "completed_on")
    current = Case.objects.get(pk=case.pk)
    if current.status != CaseStatus.SERVING_SENTENCE:
        raise ValidationError({"case": _("The case is not serving a sentence.")})
    serving = list(
        Sentence.objects.select_for_update().filter(
            court_case__defendant_id=current.child_id, status=SentenceStatus.SERVING
        )
    )
    for sentence in serving:
        sentence.status = SentenceStatus.COMPLETED
        sentence.save(update_fields=["status"])
        record_event(
            evidence_events.SENTENCE_UPDATED,
            actor=actor,
            target=sentence,
            data={"status": [SentenceStatus.SERVING, SentenceStatus.COMPLETED]},
        )
    resumed = move(
        current,
        actor=actor,
        transition="resumed",
        to_status=current.return_status or CaseStatus.REGISTERED,
        allowed_from=[CaseStatus.SERVING_SENTENCE],
        capability=(cap.ADD_COURT_CASE, cap.MOVE_CASE),
        expected_version=expected_version,
        reason=_("Sentence completed"),
    )
    record_event(
        events.JUVENILE_SENTENCE_COMPLETED,
        actor=actor,
        target=resumed,
        data={"completed_on": completed_on, "sentences": sorted(str(s.pk) for s in serving)},
    )
    return resumed
