"""Rules that protect children, run daily by `homeward run_daily_rules` (idempotent).

- Age thresholds (settings.HOMEWARD_AGE_THRESHOLDS, default 3, 9, 15, 18) create a Task
  HOMEWARD_AGE_TASK_LEAD_DAYS (30) days before the child crosses one, once per case and
  threshold, flagged when the date of birth is estimated.
- At 18 — certainly, given the date's precision — the case moves to AGED_OUT; when the
  date is estimated and the child may be 18, an age-review task is created instead.
- A child with a parent recorded as Iraqi gets a review task for IRAQI_NATIONAL_REFERRAL
  (the referral itself is an officer's decision: `services.refer_iraqi_national`).
- A case in CARE_PLANNING whose gate is met moves on to CLEARANCE (T8, "System").
- A home state silent past HOMEWARD_HOME_STATE_SILENCE_DAYS (90) — a note verbale sent and
  unanswered that long, nothing received since — puts its cases waiting on it
  (NATIONALITY_CLAIMED, HOME_STATE_ENGAGED, VERIFICATION) in HOME_STATE_UNRESPONSIVE and
  raises a reminder task, once per case and unanswered note (`_silent_states`).
- A DNA exclusion moves the case to NATIONALITY_DISPUTED at once (`dispute_on_dna_exclusion`,
  called by the DNA service in its own transaction).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from homeward.accounts.choices import AgencyKind
from homeward.audit.services import record_event
from homeward.cases.choices import IN_CUSTODY_STATES, SIDE_STATES
from homeward.cases.choices import CaseStatus as St
from homeward.cases.models import Case
from homeward.people.choices import DobPrecision
from homeward.workflow import events
from homeward.workflow.blockers import refresh_blockers
from homeward.workflow.choices import THRESHOLD_MEANINGS, TaskKind
from homeward.workflow.gates import requirements_for, unmet
from homeward.workflow.models import Task
from homeward.workflow.services.side_states import (
    BEFORE_HANDOVER,
    ENDING,
    dispute_nationality_in,
    has_iraqi_parent,
    is_certainly_adult,
    mark_aged_out,
    mark_home_state_unresponsive_in,
)
from homeward.workflow.services.transitions import complete_care_planning

# The states in which a case waits for its home state's answer.
WAITING_ON_HOME_STATE = (St.NATIONALITY_CLAIMED, St.HOME_STATE_ENGAGED, St.VERIFICATION)

__all__ = ["DailyReport", "crossing_date", "dispute_on_dna_exclusion", "run_daily_rules"]

ADULT_AGE = 18


def thresholds() -> list[int]:
    return sorted(getattr(settings, "HOMEWARD_AGE_THRESHOLDS", (3, 9, 15, 18)))


def lead_days() -> int:
    return getattr(settings, "HOMEWARD_AGE_TASK_LEAD_DAYS", 30)


def crossing_date(born: datetime.date, years: int) -> datetime.date:
    """The birthday on which the child turns `years` (29 February → 28 February)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


@dataclass
class DailyReport:
    tasks_created: list[str] = field(default_factory=list)
    aged_out: list[str] = field(default_factory=list)
    care_planning_completed: list[str] = field(default_factory=list)
    unresponsive: list[str] = field(default_factory=list)
    blockers_evaluated: int = 0


def dispute_on_dna_exclusion(case: Case, *, comparison, actor) -> Case | None:
    """Inside the DNA service's transaction: an exclusion disputes the nationality.

    The reason given is neutral: the case status shows a dispute, the result stays sealed.
    """
    current = Case.objects.get(pk=case.pk)
    open_states = [*BEFORE_HANDOVER, *(s for s in SIDE_STATES if s not in ENDING)]
    if current.status == St.NATIONALITY_DISPUTED or current.status not in open_states:
        return None
    return dispute_nationality_in(
        current,
        actor=actor,
        reason=gettext("A DNA comparison needs review (result sealed)."),
        details={"trigger": "dna_comparison", "comparison": str(comparison.pk)},
    )


def _active_cases():
    waiting = [s for s in IN_CUSTODY_STATES if s not in (St.AGED_OUT,)]
    return Case.objects.filter(status__in=waiting).select_related("child").order_by("reference")


@transaction.atomic(durable=True)
def _create_task(
    case: Case, *, key: str, kind: str, title: str, due, owed_by: str, estimated: bool
) -> bool:
    """Create the task unless (case, key) exists; True when created."""
    if Task.objects.filter(case=case, key=key).exists():
        return False
    try:
        with transaction.atomic():
            task = Task.objects.create(
                case=case,
                key=key,
                kind=kind,
                title=title,
                due=due,
                owed_by=owed_by,
                dob_estimated=estimated,
            )
    except IntegrityError:  # created concurrently: still exactly once
        return False
    record_event(
        events.TASK_CREATED,
        actor=None,
        actor_username="system",
        target=task,
        data={"kind": kind, "key": key, "due": due, "dob_estimated": estimated},
    )
    return True


def _threshold_title(years: int, due: datetime.date, estimated: bool) -> str:
    title = gettext("Turns %(years)d on %(date)s: %(meaning)s") % {
        "years": years,
        "date": due.isoformat(),
        "meaning": THRESHOLD_MEANINGS.get(years, ""),
    }
    if estimated:
        title += " " + gettext("(estimated date of birth: confirm the age)")
    return title


def _age_tasks(case: Case, today: datetime.date, report: DailyReport) -> None:
    child = case.child
    if child.date_of_birth is None or child.dob_precision == DobPrecision.UNKNOWN:
        return
    estimated = child.age_is_estimated
    for years in thresholds():
        due = crossing_date(child.date_of_birth, years)
        if not (due - datetime.timedelta(days=lead_days()) <= today <= due):
            continue
        owed_by = AgencyKind.CORRECTIONS if years == 3 else AgencyKind.COORDINATING_MINISTRY
        if _create_task(
            case,
            key=f"age:{years}",
            kind=TaskKind.AGE_THRESHOLD,
            title=_threshold_title(years, due, estimated),
            due=due,
            owed_by=owed_by,
            estimated=estimated,
        ):
            report.tasks_created.append(f"{case.reference} age:{years}")


def _aged_out(case: Case, today: datetime.date, report: DailyReport) -> None:
    child = case.child
    if child.date_of_birth is None or crossing_date(child.date_of_birth, ADULT_AGE) > today:
        return
    if is_certainly_adult(child, today):
        mark_aged_out(
            case,
            actor=None,
            expected_version=None,
            on=today,
            reason=gettext("Turned 18 (daily rules)."),
        )
        report.aged_out.append(case.reference)
    elif _create_task(
        case,
        key="age:review18",
        kind=TaskKind.AGE_REVIEW,
        title=gettext("May have turned 18 (estimated date of birth): review the age"),
        due=today,
        owed_by=AgencyKind.COORDINATING_MINISTRY,
        estimated=True,
    ):
        report.tasks_created.append(f"{case.reference} age:review18")


def _iraqi_parent(case: Case, today: datetime.date, report: DailyReport) -> None:
    if case.status == St.IRAQI_NATIONAL_REFERRAL or not has_iraqi_parent(case.child):
        return
    if _create_task(
        case,
        key="iraqi_parent",
        kind=TaskKind.IRAQI_PARENT_REVIEW,
        title=gettext("A parent is recorded as Iraqi: consider an Iraqi national referral"),
        due=today,
        owed_by=AgencyKind.COORDINATING_MINISTRY,
        estimated=False,
    ):
        report.tasks_created.append(f"{case.reference} iraqi_parent")


def _care_planning(case: Case, today: datetime.date, report: DailyReport) -> None:
    if case.status != St.CARE_PLANNING or unmet(requirements_for(case, today=today)):
        return
    complete_care_planning(case, actor=None, expected_version=None, today=today)
    report.care_planning_completed.append(case.reference)


def silence_days() -> int:
    return getattr(settings, "HOMEWARD_HOME_STATE_SILENCE_DAYS", 90)


def _silent_state_cases(today: datetime.date, report: DailyReport) -> None:
    """Cases waiting on a silent home state: a reminder task, then HOME_STATE_UNRESPONSIVE.

    The task's key names the unanswered note, so each case is moved and reminded once per
    silence: an officer who resumes the case is not overruled the next morning.
    """
    from homeward.diplomacy.queries import silent_since

    waiting = Case.objects.filter(status__in=WAITING_ON_HOME_STATE)
    for code in sorted(set(waiting.values_list("home_state_id", flat=True))):
        note = silent_since(code, today=today, days=silence_days())
        if note is None:
            continue
        days = (today - note.date).days
        for case in waiting.filter(home_state_id=code).order_by("reference"):
            with transaction.atomic(durable=True):
                key = f"silent:{note.pk.hex}"
                if Task.objects.filter(case=case, key=key).exists():
                    continue
                reason = gettext(
                    "No answer from the home state to the note verbale %(ref)s of %(date)s "
                    "for %(days)d days."
                ) % {"ref": note.reference or "—", "date": note.date.isoformat(), "days": days}
                mark_home_state_unresponsive_in(
                    case, actor=None, reason=reason, details={"note": str(note.pk)}
                )
                task = Task.objects.create(
                    case=case,
                    key=key,
                    kind=TaskKind.HOME_STATE_REMINDER,
                    title=gettext("Send the home state a reminder: %(reason)s")
                    % {"reason": reason},
                    due=today,
                    owed_by=AgencyKind.COORDINATING_MINISTRY,
                )
                record_event(
                    events.TASK_CREATED,
                    actor=None,
                    actor_username="system",
                    target=task,
                    data={"kind": task.kind, "key": key, "due": today, "days_silent": days},
                )
            report.unresponsive.append(case.reference)


def run_daily_rules(today: datetime.date | None = None) -> DailyReport:
    """Apply every rule to every active case. Running it twice the same day changes nothing."""
    today = today or timezone.localdate()
    report = DailyReport()
    _silent_state_cases(today, report)
    for case in _active_cases():
        _age_tasks(case, today, report)
        _aged_out(case, today, report)
        case.refresh_from_db()
        if case.status == St.AGED_OUT:
            continue
        _iraqi_parent(case, today, report)
        _care_planning(case, today, report)
    # last, after the rules' own changes: the day's blockers, so the dashboard starts fresh
    report.blockers_evaluated = refresh_blockers(Case.objects.all(), today=today)
    return report
