"""One function per dashboard figure: `figure(user, filters)`, scope applied first.

Every figure starts from `Model.objects.for_user(user, "view")`, so a consul's figures
count only its own nationals, totals included; counts are `values().annotate()`
aggregates computed by the database, and medians and percentiles (time in limbo, stage
cycle times, days to a reply) are ranked by the database too (reports.sql), so each figure
is a fixed number of queries whatever the number of cases. The blockers come from the gate
engine (workflow.gates), stored per case and evaluated again only for the cases changed
since (workflow.blockers). The exception says why: sealed DNA conclusions are encrypted
(they can only be counted once read, and only by holders of the DNA grant).

"Returned" is one event (docs/statistics.md): a child's BOARDED manifest entry on an
operation whose handover is recorded, dated by the handover's local date.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case as Choose
from django.db.models import Count, DateField, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import IN_CUSTODY_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.reports import sql

__all__ = [
    "AGE_BANDS",
    "FIGURES",
    "THRESHOLDS",
    "ReportFilters",
    "age_watchlist",
    "dashboard",
    "dna_pipeline",
    "follow_up_compliance",
    "juveniles_in_proceedings",
    "mothers_sentenced",
    "pending_by_blocker",
    "pending_by_stage",
    "responsiveness",
    "returned_batches",
    "returned_children",
    "returned_entries",
    "returns_by_month",
    "returns_by_operation",
    "returns_cumulative",
    "stage_cycle_times",
    "state_names",
    "time_in_limbo",
]

THRESHOLDS = (3, 9, 15, 18)
# (label, lowest age, highest age) in whole years at the reference date (domain.md §4.3)
AGE_BANDS = (
    ("<3", 0, 2),
    ("3–8", 3, 8),
    ("9–14", 9, 14),
    ("15–17", 15, 17),
    ("18+", 18, 200),
)


@dataclass(frozen=True)
class ReportFilters:
    """What the dashboard was asked for: a period and, optionally, some home states."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    home_states: tuple[str, ...] = ()
    today: datetime.date = field(default_factory=timezone.localdate)

    def states(self, queryset, path: str = "home_state"):
        if self.home_states:
            return queryset.filter(**{f"{path}__in": self.home_states})
        return queryset


def state_names() -> dict[str, str]:
    """ISO code → display name (the states themselves are reference data, not figures)."""
    return {state.code: state.display_name for state in HomeState.objects.all()}


def _cases(user, filters: ReportFilters):
    return filters.states(Case.objects.for_user(user, "view"))


def _of_cases(records, user, filters: ReportFilters):
    """The `records` (with a `case`) of the cases in scope. When the scope and the filters
    leave every case in, `case IN (all cases)` is only "has a case": the subquery read all
    100,000 cases for nothing (a third of a returns figure's time at 100k)."""
    cases = _cases(user, filters)
    if not cases.query.where:
        return records.filter(case__isnull=False)
    return records.filter(case__in=cases)


# -- returns ------------------------------------------------------------------------------


def returned_children(entries):
    """The canonical "returned" event (operations.queries): a child's entry, BOARDED, on an
    operation whose handover is recorded; adults (no case) never count."""
    from homeward.operations.queries import returned_children as canonical

    return canonical(entries)


def returned_entries(user, filters: ReportFilters):
    """The returned children's manifest entries of the cases the user may see, in the period.

    Scoped through the cases (`cases.view_case`): whoever sees a child's case sees that it
    was returned.
    """
    from homeward.operations.models import ManifestEntry

    entries = returned_children(_of_cases(ManifestEntry.objects.all(), user, filters))
    day = sql.LocalDate(
        "operation__handover__handed_over_at", tzinfo=timezone.get_current_timezone()
    )
    entries = entries.annotate(returned_on=day)
    if filters.date_from:
        entries = entries.filter(returned_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(returned_on__lte=filters.date_to)
    return entries


def returns_cumulative(user, filters: ReportFilters) -> dict:
    """Cumulative children returned by nationality at each handover date.

    {"dates": [...], "series": {code: [cumulative at each date]}, "totals": {code: n}}
    """
    rows = (
        returned_entries(user, filters)
        .values("operation__home_state_id", "returned_on")
        .annotate(n=Count("pk"))
        .order_by("returned_on")
    )
    per_day: dict[datetime.date, Counter] = defaultdict(Counter)
    for row in rows:
        per_day[row["returned_on"]][row["operation__home_state_id"]] += row["n"]
    dates = sorted(per_day)
    codes = sorted({code for counts in per_day.values() for code in counts})
    running = Counter()
    series = {code: [] for code in codes}
    for day in dates:
        running.update(per_day[day])
        for code in codes:
            series[code].append(running[code])
    return {"dates": dates, "series": series, "totals": dict(running)}


def returns_by_month(user, filters: ReportFilters) -> list[dict]:
    """Children returned per month and nationality: [{month, home_state, children}]."""
    rows = (
        returned_entries(user, filters)
        .annotate(month=TruncMonth("returned_on"))
        .values("month", "operation__home_state_id")
        .annotate(children=Count("pk"))
        .order_by("month", "operation__home_state_id")
    )
    return [
        {
            "month": _as_date(row["month"]).strftime("%Y-%m"),
            "home_state": row["operation__home_state_id"],
            "children": row["children"],
        }
        for row in rows
    ]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def returns_by_operation(user, filters: ReportFilters) -> list[dict]:
    """Each operation with returned children: planned vs actual and children handed over."""
    rows = (
        returned_entries(user, filters)
        .values(
            "operation_id",
            "operation__reference",
            "operation__home_state_id",
            "operation__planned_count",
            "operation__actual_count",
            "returned_on",
        )
        .annotate(children=Count("pk"))
        .order_by("returned_on", "operation__reference")
    )
    return [
        {
            "operation": str(row["operation_id"]),
            "reference": row["operation__reference"],
            "home_state": row["operation__home_state_id"],
            "date": row["returned_on"],
            "planned": row["operation__planned_count"],
            "actual": row["operation__actual_count"],
            "children": row["children"],
        }
        for row in rows
    ]


def returned_batches(*, as_of: datetime.date | None = None):
    """Every operation's returned children, unscoped: the input of the public figures.

    Public figures are the same for every reader, and they are suppressed before anyone
    sees them (reports.public); this is the only unscoped read of the app.
    """
    from homeward.operations.models import ManifestEntry
    from homeward.reports.public import BatchRow

    day = sql.LocalDate(
        "operation__handover__handed_over_at", tzinfo=timezone.get_current_timezone()
    )
    entries = returned_children(ManifestEntry.objects.all()).annotate(returned_on=day)
    if as_of:
        entries = entries.filter(returned_on__lte=as_of)
    rows = (
        entries.values("operation__reference", "operation__home_state_id", "returned_on")
        .annotate(n=Count("pk"))
        .order_by("returned_on", "operation__reference")
    )
    names = dict(HomeState.objects.values_list("code", "name"))  # English: localised on output
    return [
        BatchRow(
            handed_over_on=row["returned_on"],
            state=row["operation__home_state_id"],
            state_name=names.get(row["operation__home_state_id"], row["operation__home_state_id"]),
            children=row["n"],
            reference=row["operation__reference"],
        )
        for row in rows
    ]


# -- pending caseload ---------------------------------------------------------------------


def pending_by_stage(user, filters: ReportFilters) -> list[dict]:
    """Children still in Iraqi custody by nationality and case status."""
    rows = (
        _cases(user, filters)
        .filter(status__in=IN_CUSTODY_STATES)
        .values("home_state_id", "status")
        .annotate(n=Count("pk"))
        .order_by("home_state_id", "status")
    )
    return [
        {"home_state": row["home_state_id"], "status": row["status"], "cases": row["n"]}
        for row in rows
    ]


def pending_with_blockers(user, filters: ReportFilters):
    """The pending cases in scope, their stored first blockers brought up to date first
    (workflow.blockers: only the cases changed since are evaluated again)."""
    from homeward.workflow.blockers import refresh_blockers

    pending = _cases(user, filters).filter(status__in=IN_CUSTODY_STATES)
    refresh_blockers(pending, today=filters.today)
    return pending


def pending_by_blocker(user, filters: ReportFilters) -> list[dict]:
    """Pending children by nationality, stage and what blocks them first (and who owes it).

    The gate engine decides what is missing (workflow.gates, the same rules as the case
    page and the diplomacy desk); its answer is stored per case (workflow.blockers), so the
    database counts the groups.
    """
    from homeward.workflow.blockers import blocker_text

    groups = (
        pending_with_blockers(user, filters)
        .values("home_state_id", "status", "blocker_code", "blocker_text")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter = Counter()
    for row in groups:
        label, owner = blocker_text(row["blocker_text"])
        key = (row["home_state_id"], row["status"], label, owner, row["blocker_code"])
        counts[key] += row["n"]
    return [
        {
            "home_state": state,
            "status": status,
            "blocker": label,
            "owed_by": owner,
            "cases": n,
            "blocker_code": code,
        }
        for (state, status, label, owner, code), n in sorted(
            counts.items(), key=lambda item: (item[0][0], -item[1], item[0][2])
        )
    ]


# -- time ---------------------------------------------------------------------------------


def limbo_spans(user, filters: ReportFilters):
    """The cases counted in time in limbo, their group expressions (home state, age band)
    and their days: shared by the figure and the list of cases behind it.

    The start (first custody, else the opening) and the handover are stored on the case
    (cases.facts), so this reads the cases and their children only.
    """
    from homeward.cases.choices import RETURNED_STATES

    local = timezone.get_current_timezone()
    cases = _cases(user, filters).filter(status__in=[*IN_CUSTODY_STATES, *RETURNED_STATES])
    returned = Q(status__in=RETURNED_STATES)
    today = sql.as_date(filters.today)
    handed_on = Coalesce(sql.LocalDate("handed_over_at", tzinfo=local), today)
    end = Choose(When(returned, then=handed_on), default=today, output_field=DateField())
    unknown = str(_("unknown"))
    # most children are still held: their age band is taken on today, a constant, which
    # compares dates of birth with fixed dates; only the returned need their own age
    band = Choose(
        When(
            returned,
            then=sql.age_band("child__date_of_birth", handed_on, AGE_BANDS, unknown=unknown),
        ),
        default=sql.age_band_on("child__date_of_birth", filters.today, AGE_BANDS, unknown=unknown),
    )
    keys = {"home_state": F("home_state_id"), "age_band": band}
    return cases, keys, Greatest(sql.DaysBetween(end, F("held_since")), Value(0))


def time_in_limbo(user, filters: ReportFilters) -> list[dict]:
    """Days from first custody (else case opening) to today (still held) or to the handover.

    Median, P90 and maximum by nationality and age band (age today, or at the handover),
    computed by the database in one query (reports.sql.group_summaries).
    """
    cases, keys, days = limbo_spans(user, filters)
    summaries = sql.group_summaries(cases, keys, days)
    return [
        {
            "home_state": code,
            "age_band": band,
            "children": summary.count,
            "median_days": summary.median,
            "p90_days": summary.p90,
            "max_days": summary.maximum,
        }
        for (code, band), summary in sorted(summaries.items())
    ]


def stays(user, filters: ReportFilters):
    """The closed stays of the cases in scope: their recorded transitions that the case's
    next transition has ended (`left_at`, stored by workflow.services.move)."""
    from homeward.workflow.models import CaseTransition

    scoped = filters.states(CaseTransition.objects.for_user(user, "view"), "case__home_state")
    return scoped.filter(left_at__isnull=False)


def stage_cycle_times(user, filters: ReportFilters) -> list[dict]:
    """Days spent in each status before the next move, by home state (closed stays only).

    A stay ends when the case's next transition is recorded (`left_at`); the median and
    maximum per group come from one query.
    """
    summaries = sql.group_summaries(
        stays(user, filters),
        {"home_state": F("case__home_state_id"), "status": F("to_status")},
        sql.FractionalDaysBetween(F("left_at"), F("at")),
    )
    return [
        {
            "home_state": code,
            "status": status,
            "stays": summary.count,
            "median_days": round(summary.median, 1),
            "max_days": round(summary.maximum, 1),
        }
        for (code, status), summary in sorted(summaries.items())
    ]


def refused_cases(user):
    """Cases in scope the home state refused: refused now, or once (diplomacy.queries)."""
    from homeward.workflow.models import CaseTransition

    refused = CaseTransition.objects.filter(to_status=CaseStatus.HOME_STATE_REFUSED)
    return Case.objects.for_user(user, "view").filter(
        Q(status=CaseStatus.HOME_STATE_REFUSED) | Q(pk__in=refused.values("case_id"))
    )


def responsiveness(user, filters: ReportFilters) -> list[dict]:
    """How each home state in scope answers (the diplomacy scorecard, diplomacy.queries):
    notes verbales sent and answered, median days to the first reply, notes still open and
    the oldest of them, and refusals; grouped by state in the database."""
    from homeward.diplomacy.choices import EngagementKind
    from homeward.diplomacy.models import Engagement

    states = list(
        filters.states(HomeState.objects.for_user(user, "view"), "code")
        .filter(code__in=_cases(user, filters).values("home_state_id"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    notes = Engagement.objects.for_user(user, "view").filter(
        home_state__in=states, kind=EngagementKind.NOTE_VERBALE_OUT
    )
    answered = Q(Exists(Engagement.objects.filter(in_reply_to=OuterRef("pk"))))
    counts = {
        row["home_state_id"]: row
        for row in notes.order_by()
        .values("home_state_id")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            oldest_open=Min("date", filter=~answered),
        )
    }
    delays = sql.group_summaries(
        notes.annotate(first_reply=Min("replies__date")),
        {"home_state": F("home_state_id")},
        sql.DaysBetween(F("first_reply"), F("date")),
    )
    refusals = dict(
        refused_cases(user)
        .filter(home_state__in=states)
        .order_by()
        .values_list("home_state_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for code in states:
        row = counts.get(code, {"sent": 0, "answered": 0, "oldest_open": None})
        median = delays.get((code,))
        oldest = row["oldest_open"]
        rows.append(
            {
                "home_state": code,
                "notes_sent": row["sent"],
                "notes_answered": row["answered"],
                "median_days_to_reply": median.median if median else None,
                "open_requests": row["sent"] - row["answered"],
                "oldest_open_request_days": max((filters.today - oldest).days, 0)
                if oldest
                else None,
                "refusals": refusals.get(code, 0),
            }
        )
    return rows


# -- children at risk ---------------------------------------------------------------------


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_watchlist(user, filters: ReportFilters, *, days: int = 90) -> list[dict]:
    """Children in custody who turn 3, 9, 15 or 18 within `days` days.

    A child turns t on the t-th anniversary of the date of birth. For an estimated date
    (year, month, range) that day is uncertain: such children are listed as `estimated`,
    and a range counts when any day of it would cross within the window.
    """
    end = filters.today + datetime.timedelta(days=days)
    pending = _cases(user, filters).filter(status__in=IN_CUSTODY_STATES)
    windows = {
        threshold: (_years_before(filters.today, threshold), _years_before(end, threshold))
        for threshold in THRESHOLDS
    }
    crossing = Q()
    for born_after, born_by in windows.values():
        crossing |= Q(child__date_of_birth__gt=born_after, child__date_of_birth__lte=born_by)
        crossing |= Q(
            child__dob_precision="range",
            child__dob_earliest__lte=born_by,
            child__dob_latest__gt=born_after,
        )
    # one query for the four thresholds; each row found is then placed under the
    # threshold(s) it crosses (a wide estimated range can cross two)
    found = list(
        pending.filter(crossing)
        .values_list(
            "pk",
            "reference",
            "home_state_id",
            "child_id",
            "child__date_of_birth",
            "child__dob_precision",
            "child__dob_earliest",
            "child__dob_latest",
        )
        .order_by("child__date_of_birth", "reference")
    )
    rows = []
    for threshold, (born_after, born_by) in windows.items():
        for case, reference, state, child, born, precision, earliest, latest in found:
            exact = born is not None and born_after < born <= born_by
            ranged = (
                precision == "range"
                and earliest is not None
                and latest is not None
                and earliest <= born_by
                and latest > born_after
            )
            if not (exact or ranged):
                continue
            turns_on = None
            if born is not None:
                try:
                    turns_on = born.replace(year=born.year + threshold)
                except ValueError:
                    turns_on = born.replace(year=born.year + threshold, day=28)
            rows.append(
                {
                    "case": str(case),
                    "child": str(child),
                    "reference": reference,
                    "home_state": state,
                    "threshold": threshold,
                    "turns_on": turns_on,
                    "within_30_days": bool(
                        turns_on and turns_on <= filters.today + datetime.timedelta(days=30)
                    ),
                    "estimated": precision != "day",
                }
            )
    return rows


def juvenile_cases(user, filters: ReportFilters) -> dict:
    """The cases in custody in proceedings, serving a sentence, and serving one that ends
    after the 18th birthday ("proceedings", "serving", "late")."""
    from homeward.evidence.choices import CourtStage, SentenceStatus
    from homeward.evidence.models import CourtCase, Sentence

    open_cases = CourtCase.objects.filter(stage__in=CourtStage.pending())
    serving = Sentence.objects.filter(status=SentenceStatus.SERVING)
    cases = _cases(user, filters).filter(status__in=IN_CUSTODY_STATES)

    def of_child(records, path: str) -> Exists:  # a semi-join: no duplicate cases to count
        return Exists(records.filter(**{path: OuterRef("child_id")}))

    in_proceedings = cases.filter(
        of_child(open_cases, "defendant") | Q(status=CaseStatus.IN_JUDICIAL_PROCEEDINGS)
    )
    serving_cases = cases.filter(
        of_child(serving, "court_case__defendant") | Q(status=CaseStatus.SERVING_SENTENCE)
    )
    # a sentence ends after the child's 18th birthday: at 18, later in the year than the
    # birthday (the birthday itself is not late), or at 19 and over
    age = sql.years_between("court_case__defendant__date_of_birth", "expected_release_on")
    late_sentences = serving.alias(
        age=age,
        released_day=sql.month_day("expected_release_on"),
        born_day=sql.month_day("court_case__defendant__date_of_birth"),
    ).filter(Q(age__gt=18) | (Q(age=18) & ~Q(released_day=F("born_day"))))
    return {
        "proceedings": in_proceedings,
        "serving": serving_cases,
        "late": serving_cases.filter(of_child(late_sentences, "court_case__defendant")),
    }


def juveniles_in_proceedings(user, filters: ReportFilters) -> list[dict]:
    """Children in custody who are defendants in open proceedings or serving a sentence,
    by nationality; and those whose expected release falls after their 18th birthday."""
    sets = juvenile_cases(user, filters)

    def per_state(cases):
        return Counter(dict(cases.order_by().values_list("home_state_id").annotate(n=Count("pk"))))

    late = per_state(sets["late"])
    proceedings = per_state(sets["proceedings"])
    sentenced = per_state(sets["serving"])
    codes = sorted(set(proceedings) | set(sentenced))
    return [
        {
            "home_state": code,
            "in_proceedings": proceedings[code],
            "serving": sentenced[code],
            "turning_18_before_release": late[code],
        }
        for code in codes
    ]


def mothers_cases(user, filters: ReportFilters, kind: str):
    """Cases in custody whose mother has a `kind` (death, life) sentence in force."""
    from homeward.evidence.choices import SentenceStatus
    from homeward.evidence.models import Sentence

    mothers = (
        Sentence.objects.filter(sentence_type=kind)
        .exclude(status__in=SentenceStatus.ended())
        .values("court_case__defendant_id")
    )
    return (
        _cases(user, filters)
        .filter(status__in=IN_CUSTODY_STATES)
        .filter(
            child__relationships__relationship_type="mother",
            child__relationships__relative__in=mothers,
        )
    )


def mothers_sentenced(user, filters: ReportFilters) -> list[dict]:
    """Children in custody whose mother is sentenced to death or to life, by nationality."""
    from homeward.evidence.choices import SentenceType

    rows = []
    for kind in (SentenceType.DEATH, SentenceType.LIFE):
        counted = (
            mothers_cases(user, filters, kind)
            .order_by()
            .values_list("home_state_id")
            .annotate(n=Count("pk", distinct=True))
        )
        rows.extend(
            {"home_state": code, "sentence": kind.value, "children": n} for code, n in counted
        )
    return sorted(rows, key=lambda row: (row["home_state"], row["sentence"]))


def dna_records(user, filters: ReportFilters):
    """The samples and comparisons the DNA pipeline counts (scope, states, period)."""
    from homeward.evidence.models import DNAComparison, DNASample

    samples = filters.states(DNASample.objects.for_user(user, "view"), "case__home_state")
    comparisons = filters.states(DNAComparison.objects.for_user(user, "view"), "case__home_state")
    if filters.date_from:
        samples = samples.filter(collected_on__gte=filters.date_from)
        comparisons = comparisons.filter(reported_on__gte=filters.date_from)
    if filters.date_to:
        samples = samples.filter(collected_on__lte=filters.date_to)
        comparisons = comparisons.filter(reported_on__lte=filters.date_to)
    return samples, comparisons


def dna_pipeline(user, filters: ReportFilters) -> dict:
    """Samples collected, samples awaiting a comparison, comparisons by lab, and (for
    holders of the sealed-result grant) conclusions: supported, excluded, inconclusive."""
    from homeward.evidence.models import DNAResult

    samples, comparisons = dna_records(user, filters)
    by_lab = list(comparisons.values("lab").annotate(n=Count("pk")).order_by("lab"))
    results = DNAResult.objects.for_user(user, "view").filter(
        comparison__in=comparisons.values("pk")
    )
    conclusions = None
    if user.has_capability("evidence.view_dnaresult"):
        # encrypted at rest: counted after decryption, never grouped by the database
        conclusions = dict(Counter(results.values_list("conclusion", flat=True)))
    return {
        "samples_collected": samples.count(),
        "samples_awaiting_comparison": samples.filter(comparisons__isnull=True).count(),
        "comparisons_reported": comparisons.count(),
        "by_lab": [{"lab": row["lab"], "comparisons": row["n"]} for row in by_lab],
        "conclusions": conclusions,
    }


def follow_up_reports(user, filters: ReportFilters):
    """The follow-up reports whose due date has come, of the cases in scope, in the period;
    `received` and `overdue` are the conditions of those columns."""
    from homeward.operations.models import FollowUpReport

    reports = _of_cases(FollowUpReport.objects.filter(due_date__lte=filters.today), user, filters)
    if filters.date_from:
        reports = reports.filter(due_date__gte=filters.date_from)
    if filters.date_to:
        reports = reports.filter(due_date__lte=filters.date_to)
    return reports, {
        "received": Q(received_on__isnull=False),
        "overdue": Q(received_on__isnull=True, due_date__lt=filters.today),
    }


def follow_up_compliance(user, filters: ReportFilters) -> list[dict]:
    """Follow-up reports due (due date passed) vs received, and overdue, by home state."""
    reports, columns = follow_up_reports(user, filters)
    rows = (
        reports.values("case__home_state_id")
        .annotate(
            due=Count("pk"),
            received=Count("pk", filter=columns["received"]),
            overdue=Count("pk", filter=columns["overdue"]),
        )
        .order_by("case__home_state_id")
    )
    return [
        {
            "home_state": row["case__home_state_id"],
            "due": row["due"],
            "received": row["received"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]


# -- everything at once -------------------------------------------------------------------

FIGURES = {
    "returns_cumulative": returns_cumulative,
    "returns_by_month": returns_by_month,
    "returns_by_operation": returns_by_operation,
    "pending_by_stage": pending_by_stage,
    "pending_by_blocker": pending_by_blocker,
    "time_in_limbo": time_in_limbo,
    "stage_cycle_times": stage_cycle_times,
    "responsiveness": responsiveness,
    "age_watchlist": age_watchlist,
    "juveniles_in_proceedings": juveniles_in_proceedings,
    "mothers_sentenced": mothers_sentenced,
    "dna_pipeline": dna_pipeline,
    "follow_up_compliance": follow_up_compliance,
}


def figure(name: str, user, filters: ReportFilters, *, version: str | None = None):
    """Figure `name` within the user's scope, kept until its data changes (reports.kept)."""
    from homeward.reports.kept import kept

    return kept(name, user, filters, lambda: FIGURES[name](user, filters), version=version)


def dashboard(user, filters: ReportFilters, *, only: tuple[str, ...] = ()) -> dict:
    """Every figure (or those named in `only`), each within the user's scope; the data
    version is read once, before any figure is computed."""
    from homeward.reports import kept

    version = kept.data_version(user) if kept.enabled() else None
    return {
        name: figure(name, user, filters, version=version)
        for name in FIGURES
        if not only or name in only
    }
