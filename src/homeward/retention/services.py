"""Retention use cases: place and release legal holds; destroy what is due (`purge_expired`).

Each destroyed record is its own durable transaction with one audit event naming the
record by ids only (category, type, id, case): never a name, a result or a file name. The
case row is locked first, so a hold placed at the same moment wins: a held case is skipped.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.attachments.models import Attachment
from homeward.audit.services import record_event
from homeward.cases.choices import RETURNED_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.evidence.models import DNAResult, DNASample, SecurityAssessment
from homeward.retention import events
from homeward.retention.models import LegalHold
from homeward.retention.schedule import period_days
from homeward.workflow.models import CaseTransition

__all__ = [
    "PurgeReport",
    "place_legal_hold",
    "purge_expired",
    "release_legal_hold",
]

logger = logging.getLogger(__name__)

PURGE_ACTOR = "retention"


# -- legal holds -----------------------------------------------------------------------------


def _locked_case(case: Case, actor) -> Case:
    if not actor.has_capability(cap.MANAGE_LEGAL_HOLD):
        raise PermissionDenied
    locked = Case.objects.for_user(actor).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise Case.DoesNotExist
    return locked


@transaction.atomic(durable=True)
def place_legal_hold(case: Case, *, actor, reason: str) -> LegalHold:
    """Hold `case`: nothing about it is destroyed until the hold is released."""
    locked = _locked_case(case, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is held.")})
    hold = LegalHold(case=locked, reason=reason, placed_by=actor, placed_at=timezone.now())
    hold.full_clean()
    hold.save(force_insert=True)
    record_event(events.HOLD_PLACED, actor=actor, target=hold)
    return hold


@transaction.atomic(durable=True)
def release_legal_hold(hold: LegalHold, *, actor, reason: str) -> LegalHold:
    """Release `hold`; the case's records fall back under the schedule."""
    _locked_case(hold.case, actor)
    current = LegalHold.objects.select_for_update().get(pk=hold.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"release_reason": _("Say why the hold is released.")})
    if not current.is_active:
        raise ValidationError(_("This hold was already released."))
    current.released_by, current.released_at = actor, timezone.now()
    current.release_reason = reason
    current.full_clean()
    current.save(update_fields=["released_by", "released_at", "release_reason"])
    record_event(events.HOLD_RELEASED, actor=actor, target=current)
    return current


def held_case_ids() -> QuerySet:
    return LegalHold.objects.filter(released_at__isnull=True).values("case_id")


# -- what is due -----------------------------------------------------------------------------


def returned_before(cutoff: datetime.datetime) -> QuerySet:
    """Cases handed over at or before `cutoff`, still returned (or closed), and not held."""
    handed_over = CaseTransition.objects.filter(to_status=CaseStatus.HANDED_OVER, at__lte=cutoff)
    return Case.objects.filter(
        status__in=[*RETURNED_STATES, CaseStatus.CLOSED],
        pk__in=handed_over.values("case_id"),
    ).exclude(pk__in=held_case_ids())


def _cutoff(code: str, now: datetime.datetime) -> datetime.datetime | None:
    days = period_days(code)
    return None if days is None else now - datetime.timedelta(days=days)


def _due_dna_results(now):
    cutoff = _cutoff("dna_results", now)
    cases = returned_before(cutoff).values("pk")
    return DNAResult.objects.filter(comparison__case__in=cases).order_by("pk")


def _due_dna_samples(now):
    cutoff = _cutoff("dna_samples", now)
    own_date = Q(retention_until__lt=timezone.localdate(now))
    by_return = Q(case__in=returned_before(cutoff).values("pk"))
    return (
        DNASample.objects.filter(own_date | by_return)
        .exclude(case__in=held_case_ids())
        .order_by("pk")
    )


def _due_security_assessments(now):
    cutoff = _cutoff("security_assessments", now)
    cases = returned_before(cutoff).values("pk")
    return SecurityAssessment.objects.filter(clearance__case__in=cases).order_by("pk")


def _due_attachments(now):
    cutoff = _cutoff("attachments", now)
    children = returned_before(cutoff).values("child_id")
    return Attachment.objects.filter(person__in=children).order_by("pk")


def _case_of(record: Model) -> Case:
    if isinstance(record, DNAResult):
        return record.comparison.case
    if isinstance(record, SecurityAssessment):
        return record.clearance.case
    if isinstance(record, Attachment):
        return record.person.case
    return record.case


DUE = {
    "dna_results": _due_dna_results,
    "dna_samples": _due_dna_samples,
    "security_assessments": _due_security_assessments,
    "attachments": _due_attachments,
}


# -- destroying it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    category: str
    object_type: str
    object_id: str


@dataclass
class PurgeReport:
    dry_run: bool
    purged: list[Purged] = field(default_factory=list)
    skipped_held: int = 0
    sessions: int = 0
    hooks: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)


def _destroy(category: str, record: Model, report: PurgeReport) -> None:
    """One record: lock its case, skip it if held meanwhile, log ids, delete; then its file."""
    path = record.path if isinstance(record, Attachment) else None
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=_case_of(record).pk)
        if LegalHold.objects.filter(case=case, released_at__isnull=True).exists():
            report.skipped_held += 1
            return
        entry = Purged(category, record._meta.label_lower, str(record.pk))
        record_event(
            events.RECORD_PURGED,
            actor=None,
            actor_username=PURGE_ACTOR,
            target=record,
            data={"category": category},
        )
        type(record).objects.filter(pk=record.pk).delete()
    report.purged.append(entry)
    if path is not None:  # after the commit: a rolled-back delete keeps its file
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            logger.error("Retention could not remove the file of %s: %s", entry.object_id, exc)
            report.file_errors.append(entry.object_id)


def _purge_sessions(now, report: PurgeReport) -> None:
    expired = Session.objects.filter(expire_date__lt=now)
    if report.dry_run:
        report.sessions = expired.count()
        return
    with transaction.atomic(durable=True):
        count, _rows = expired.delete()
        if count:
            # one event for the batch: a session key is a credential, never logged
            record_event(
                events.SESSIONS_PURGED,
                actor=None,
                actor_username=PURGE_ACTOR,
                data={"category": "sessions", "count": count},
            )
    report.sessions = count


def purge_expired(
    now: datetime.datetime | None = None,
    *,
    dry_run: bool = False,
    categories: Iterable[str] | None = None,
) -> PurgeReport:
    """Destroy every record whose retention period ended by `now` (default: now).

    With `dry_run`, list them and change nothing. Hooks in HOMEWARD_RETENTION_PURGERS
    (dotted paths of `purger(now)`, e.g. the exports app's) run after the built-in categories,
    never in a dry run.
    """
    now = now or timezone.now()
    wanted = set(categories) if categories is not None else {*DUE, "sessions", "exports"}
    report = PurgeReport(dry_run=dry_run)
    for category, due in DUE.items():
        if category not in wanted:
            continue
        for record in due(now):
            if dry_run:
                report.purged.append(Purged(category, record._meta.label_lower, str(record.pk)))
            else:
                _destroy(category, record, report)
    if "sessions" in wanted:
        _purge_sessions(now, report)
    if "exports" in wanted and not dry_run:
        for dotted in settings.HOMEWARD_RETENTION_PURGERS:
            import_string(dotted)(now)
            report.hooks.append(dotted)
    return report
