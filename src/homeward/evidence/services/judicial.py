"""Court cases and sentences of mothers and juveniles (recorded by MoJ or the court)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.evidence import events
from homeward.evidence.models import CourtCase, Sentence
from homeward.evidence.services._common import save_new
from homeward.people.models import Person

__all__ = ["record_court_case", "record_court_stage", "record_sentence", "record_sentence_status"]


def _authorize_person(actor, person) -> None:
    if actor is None or not actor.has_capability(cap.ADD_COURT_CASE):
        raise PermissionDenied
    if not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise OutOfScopeError()


@transaction.atomic(durable=True)
def record_court_case(
    defendant,
    *,
    actor,
    court: str,
    case_number: str,
    stage: str,
    charges=(),
    alleged_act_on=None,
    verdict_on=None,
    jurisdiction: str = "federal",
) -> CourtCase:
    """Record proceedings against a mother or a juvenile (9+ at the alleged act)."""
    _authorize_person(actor, defendant)
    court_case = save_new(
        CourtCase(
            defendant=defendant,
            court=court,
            case_number=case_number,
            stage=stage,
            charges=list(charges),
            alleged_act_on=alleged_act_on,
            verdict_on=verdict_on,
            jurisdiction=jurisdiction,
            recorded_by=actor,
        )
    )
    record_event(
        events.COURT_CASE_RECORDED,
        actor=actor,
        target=court_case,
        data={"court": court, "case_number": case_number, "stage": stage},
    )
    return court_case


@transaction.atomic(durable=True)
def record_court_stage(
    court_case,
    *,
    actor,
    expected_version: int,
    stage: str,
    verdict_on=None,
) -> CourtCase:
    """Move proceedings to a new stage (charged, on trial, convicted, acquitted, appeal)."""
    _authorize_person(actor, court_case.defendant)
    current = CourtCase.objects.select_for_update().get(pk=court_case.pk)
    if current.version != expected_version:
        raise StaleEditError()
    before = current.stage
    current.stage, current.verdict_on = stage, verdict_on or current.verdict_on
    current.full_clean()
    current.version += 1
    current.save(update_fields=["stage", "verdict_on", "version"])
    record_event(
        events.COURT_CASE_UPDATED,
        actor=actor,
        target=current,
        data={"stage": [before, stage], "verdict_on": current.verdict_on},
    )
    return current


@transaction.atomic(durable=True)
def record_sentence(
    court_case,
    *,
    actor,
    sentence_type: str,
    length=None,
    started_on=None,
    expected_release_on: datetime.date | None = None,
    status: str = "serving",
) -> Sentence:
    """Record the sentence of a conviction."""
    _authorize_person(actor, court_case.defendant)
    sentence = save_new(
        Sentence(
            court_case=court_case,
            sentence_type=sentence_type,
            length=length,
            started_on=started_on,
            expected_release_on=expected_release_on,
            status=status,
            recorded_by=actor,
        )
    )
    record_event(
        events.SENTENCE_RECORDED,
        actor=actor,
        target=sentence,
        data={"sentence_type": sentence_type, "length": length, "status": status},
    )
    return sentence


@transaction.atomic(durable=True)
def record_sentence_status(sentence, *, actor, status: str) -> Sentence:
    """Record that a sentence was completed, commuted, pardoned (or the person executed)."""
    _authorize_person(actor, sentence.court_case.defendant)
    current = Sentence.objects.select_for_update().get(pk=sentence.pk)
    before = current.status
    current.status = status
    current.full_clean()
    current.save(update_fields=["status"])
    record_event(
        events.SENTENCE_UPDATED, actor=actor, target=current, data={"status": [before, status]}
    )
    return current
