# ruff: noqa: S311, S608, S106  (synthetic seed data, constant SQL of the benchmark, a throwaway password)
"""Statistics benchmark: the dashboard and the public export at 100,000 children.

Seeds N children with their histories by bulk inserts in chunks of 5,000 (not services:
persons, cases, a custody episode each, two recorded transitions each, operations with
handovers and boarded manifest entries for a fifth of them, a follow-up report per returned
child, 40 notes verbales per state, two in three answered) into a fresh SQLite database (or
the PostgreSQL database named by DATABASE_URL). Written in bulk, the seed fills the stored
facts the services would: each transition's `left_at` (the next transition's moment, as
workflow.services.move sets it) and the cases' limbo facts (the same `cases.facts` UPDATE
the services run). The data is the same on both engines (a
seeded generator, ids included). Then times every dashboard figure of
`homeward.reports.queries` (as a superuser, all states, and as a Russian consul) and the
public export, each against hand-written raw SQL doing the same aggregate work (the
percentiles ranked by window functions, as the ORM does; time in limbo and stage cycle
times read the same stored facts on both sides), median of 3 runs. A digest of the
figures (ids left out) is written too: equal digests on SQLite and PostgreSQL mean equal
figures. Writes bench/reports/results-<engine>.json.

    PYTHONPATH=src nice -n 10 .venv/bin/python bench/reports/run.py [--children 100000]

`pending_by_blocker` counts the first blockers stored per case (workflow.blockers): the
gate engine's evaluation of every pending case (the nightly `run_daily_rules` work) is timed
once before the figures, and again for 100 changed cases (what a dashboard read after a
hundred changes pays); the figure itself is timed with nothing stale. The figures' digest
leaves it out, so that it stays comparable with the runs before it was timed.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATES = ["KG", "AZ", "TR", "UZ", "KZ", "TJ", "FR", "RU", "DE", "UA", "DZ", "GE", "BY", "SE", "FI"]
RUNS = 3


def _median_time(function) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def seed(children: int) -> None:
    """Bulk inserts in chunks of 5,000 children, one transaction per chunk."""
    from django.db import transaction

    from homeward.cases.choices import IN_CUSTODY_STATES
    from homeward.cases.facts import fill_limbo_facts
    from homeward.cases.models import Case
    from homeward.diplomacy.models import Engagement
    from homeward.operations.models import FollowUpReport, Handover, ManifestEntry, Operation
    from homeward.people.models import CustodyEpisode, Facility, Person
    from homeward.workflow.models import CaseTransition

    rng = random.Random(20261130)
    baghdad = datetime.timezone(datetime.timedelta(hours=3))
    facility = Facility.objects.create(
        name="سجن", name_en="Bench prison", facility_type="women_prison", authority="moj_ics"
    )
    returned_share = 0.2
    pending = list(IN_CUSTODY_STATES)
    chunk = 5000
    for start in range(0, children, chunk):
        persons, cases, episodes, transitions = [], [], [], []
        for i in range(start, min(start + chunk, children)):
            born = datetime.date(2004, 1, 1) + datetime.timedelta(days=rng.randrange(0, 7300))
            person = Person(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                kind="child",
                sex=rng.choice(["female", "male"]),
                date_of_birth=born,
                dob_precision="day" if rng.random() > 0.1 else "year",
            )
            persons.append(person)
            returned = rng.random() < returned_share
            opened = datetime.datetime(2018, 1, 1, tzinfo=baghdad) + datetime.timedelta(
                days=rng.randrange(0, 2500)
            )
            case = Case(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                reference=f"B{i:08d}",
                child=person,
                home_state_id=rng.choice(STATES),
                status="HANDED_OVER" if returned else rng.choice(pending),
                status_changed_at=opened,
                opened_at=opened,
            )
            cases.append(case)
            episodes.append(
                CustodyEpisode(child=person, facility=facility, started_on=opened.date())
            )
            profiled = opened + datetime.timedelta(days=rng.randrange(1, 200))
            # left_at as workflow.services.move stores it: the next transition's moment
            transitions.append(
                CaseTransition(
                    case=case,
                    transition="register",
                    to_status="REGISTERED",
                    at=opened,
                    left_at=profiled,
                )
            )
            transitions.append(
                CaseTransition(
                    case=case,
                    transition="profile",
                    from_status="REGISTERED",
                    to_status="PROFILED",
                    at=profiled,
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(persons, batch_size=1000)
            Case.objects.bulk_create(cases, batch_size=1000)
            CustodyEpisode.objects.bulk_create(episodes, batch_size=1000)
            CaseTransition.objects.bulk_create(transitions, batch_size=1000)
    # operations: the returned children of each state in batches of ~100
    returned = list(
        Case.objects.filter(status="HANDED_OVER")
        .order_by("home_state_id", "reference")
        .values_list("pk", "child_id", "home_state_id")
    )
    by_state: dict[str, list] = {}
    for row in returned:
        by_state.setdefault(row[2], []).append(row)
    operations, handovers, entries, reports = [], [], [], []
    for code, rows in by_state.items():
        for number, first in enumerate(range(0, len(rows), 100)):
            day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2200))
            operation = Operation(
                reference=f"{code}-BENCH-{number:04d}",
                home_state_id=code,
                status="completed",
                planned_date=day,
                actual_date=day,
            )
            operations.append(operation)
            handovers.append(
                Handover(
                    operation=operation,
                    handed_over_at=datetime.datetime.combine(
                        day, datetime.time(10, 0), tzinfo=baghdad
                    ),
                    location="BGW",
                )
            )
            for case_id, child_id, _code in rows[first : first + 100]:
                entries.append(
                    ManifestEntry(
                        operation=operation, person_id=child_id, case_id=case_id, status="boarded"
                    )
                )
                reports.append(
                    FollowUpReport(
                        case_id=case_id,
                        due_date=day + datetime.timedelta(days=180),
                        received_on=day + datetime.timedelta(days=190)
                        if rng.random() < 0.6
                        else None,
                    )
                )
    # diplomacy: 40 notes verbales to each state, two in three answered (some twice)
    notes, replies = [], []
    for code in STATES:
        for _ in range(40):
            sent = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2500))
            note = Engagement(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                home_state_id=code,
                kind="note_verbale_out",
                date=sent,
            )
            notes.append(note)
            for _reply in range(rng.choice([0, 1, 1, 2])):
                replies.append(
                    Engagement(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        home_state_id=code,
                        kind="note_verbale_in",
                        date=sent + datetime.timedelta(days=rng.randrange(3, 300)),
                        in_reply_to=note,
                    )
                )
    with transaction.atomic():
        Operation.objects.bulk_create(operations, batch_size=1000)
        Handover.objects.bulk_create(handovers, batch_size=1000)
        ManifestEntry.objects.bulk_create(entries, batch_size=1000)
        FollowUpReport.objects.bulk_create(reports, batch_size=1000)
        Engagement.objects.bulk_create(notes, batch_size=1000)
        Engagement.objects.bulk_create(replies, batch_size=1000)
        # the stored limbo facts, by the same UPDATE the services run (cases.facts)
        fill_limbo_facts(Case.objects.all(), CustodyEpisode, ManifestEntry)


def _ranked(partition: str, order: str, source: str, vendor: str) -> str:
    """The same order statistics as reports.sql.group_summaries, hand-written: PostgreSQL's
    ordered-set aggregates, SQLite's window ranking."""
    if vendor == "postgresql":
        ordered = f"WITHIN GROUP (ORDER BY {order})"
        return (
            f"SELECT {partition}, COUNT(*), percentile_disc(0.5) {ordered}, "
            f"percentile_cont(0.5) {ordered}, percentile_disc(0.9) {ordered}, MAX({order}) "
            f"FROM ({source}) src WHERE {order} IS NOT NULL GROUP BY {partition}"
        )
    return (
        f"SELECT {partition}, v, rn, n FROM (SELECT {partition}, {order} AS v, "
        f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {partition}) AS n FROM ({source}) src "
        f"WHERE {order} IS NOT NULL) ranked "
        "WHERE rn = (n + 1) / 2 OR rn = n / 2 + 1 OR rn = (n * 90 + 99) / 100 OR rn = n"
    )


def raw_queries(vendor: str, today: datetime.date) -> dict:
    """The same aggregates, hand-written (superuser: no scope). A list: run in turn."""
    if vendor == "postgresql":
        local_day = "(h.handed_over_at AT TIME ZONE 'Asia/Baghdad')::date"
        local_month = "to_char(h.handed_over_at AT TIME ZONE 'Asia/Baghdad', 'YYYY-MM')"

        def local_date(column):
            return f"({column} AT TIME ZONE 'Asia/Baghdad')::date"

        def days(end, start):
            return f"({end} - {start})"

        def frac_days(end, start):
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)::double precision"

        def years(born, on):
            return (
                f"(date_part('year', {on}) - date_part('year', {born}) - CASE WHEN "
                f"to_char({on}, 'MM-DD') < to_char({born}, 'MM-DD') THEN 1 ELSE 0 END)"
            )

        today_sql = f"DATE '{today}'"
        greatest = "GREATEST"
    else:
        local_day = "date(h.handed_over_at, '+3 hours')"
        local_month = "strftime('%Y-%m', h.handed_over_at, '+3 hours')"

        def local_date(column):
            return f"date({column}, '+3 hours')"

        def days(end, start):
            return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"

        def frac_days(end, start):
            return f"(julianday({end}) - julianday({start}))"

        def years(born, on):
            return (
                f"(CAST(strftime('%Y', {on}) AS INTEGER) - CAST(strftime('%Y', {born}) AS "
                f"INTEGER) - (strftime('%m-%d', {on}) < strftime('%m-%d', {born})))"
            )

        today_sql = f"'{today}'"
        greatest = "MAX"
    returned = (
        "FROM operations_manifestentry e JOIN operations_operation o ON o.id = e.operation_id "
        "JOIN operations_handover h ON h.operation_id = o.id "
        "WHERE e.case_id IS NOT NULL AND e.status = 'boarded'"
    )
    from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES

    pending = ",".join(f"'{s}'" for s in IN_CUSTODY_STATES)
    back = ",".join(f"'{s}'" for s in RETURNED_STATES)
    held = ",".join(f"'{s}'" for s in [*IN_CUSTODY_STATES, *RETURNED_STATES])
    # both sides read the limbo facts stored on the case (cases.facts) and the child's birth
    spans = (
        "SELECT c.home_state_id AS state, p.date_of_birth AS born, c.held_since AS start_on, "
        f"CASE WHEN c.status IN ({back}) THEN COALESCE({local_date('c.handed_over_at')}, "
        f"{today_sql}) ELSE {today_sql} END AS end_on "
        "FROM cases_case c JOIN people_person p ON p.id = c.child_id "
        f"WHERE c.status IN ({held})"
    )
    age = years("born", "end_on")
    banded = (
        "SELECT state, CASE WHEN born IS NULL THEN 'unknown' "
        f"WHEN {age} < 0 THEN '<3' WHEN {age} <= 2 THEN '<3' WHEN {age} <= 8 THEN '3-8' "
        f"WHEN {age} <= 14 THEN '9-14' WHEN {age} <= 17 THEN '15-17' "
        f"WHEN {age} <= 200 THEN '18+' ELSE '<3' END AS band, "
        f"{greatest}({days('end_on', 'start_on')}, 0) AS days FROM ({spans}) spans"
    )
    stays = (
        "SELECT c.home_state_id AS state, t.to_status AS status, "
        + frac_days("t.left_at", "t.at")
        + " AS days FROM workflow_casetransition t JOIN cases_case c ON c.id = t.case_id "
        "WHERE t.left_at IS NOT NULL"
    )
    notes = (
        "SELECT n.home_state_id AS state, n.date AS sent, "
        "(SELECT MIN(r.date) FROM diplomacy_engagement r WHERE r.in_reply_to_id = n.id) "
        "AS first_reply FROM diplomacy_engagement n WHERE n.kind = 'note_verbale_out'"
    )
    return {
        "returns_cumulative": [
            f"SELECT o.home_state_id, {local_day}, COUNT(*) {returned} GROUP BY 1, 2 ORDER BY 2"
        ],
        "returns_by_month": [
            f"SELECT {local_month}, o.home_state_id, COUNT(*) {returned} "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        ],
        "returns_by_operation": [
            f"SELECT o.id, o.reference, o.home_state_id, o.planned_count, o.actual_count, "
            f"{local_day}, COUNT(*) {returned} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 6, 2"
        ],
        "pending_by_stage": [
            "SELECT home_state_id, status, COUNT(*) FROM cases_case "
            f"WHERE status IN ({pending}) GROUP BY 1, 2 ORDER BY 1, 2"
        ],
        "pending_by_blocker": [
            "SELECT home_state_id, status, blocker_code, blocker_text, COUNT(*) FROM cases_case "
            f"WHERE status IN ({pending}) GROUP BY 1, 2, 3, 4"
        ],
        "time_in_limbo": [_ranked("state, band", "days", banded, vendor)],
        "stage_cycle_times": [_ranked("state, status", "days", stays, vendor)],
        "responsiveness": [
            "SELECT state, COUNT(*), SUM(CASE WHEN first_reply IS NOT NULL THEN 1 ELSE 0 END), "
            f"MIN(CASE WHEN first_reply IS NULL THEN sent END) FROM ({notes}) notes GROUP BY 1",
            _ranked(
                "state",
                "days",
                f"SELECT state, {days('first_reply', 'sent')} AS days FROM ({notes}) notes",
                vendor,
            ),
            "SELECT home_state_id, COUNT(*) FROM cases_case WHERE status = 'HOME_STATE_REFUSED' "
            "OR id IN (SELECT case_id FROM workflow_casetransition WHERE to_status = "
            "'HOME_STATE_REFUSED') GROUP BY 1",
        ],
        "age_watchlist": [
            "SELECT c.id, c.reference, c.home_state_id, p.date_of_birth FROM "
            "cases_case c JOIN people_person p ON p.id = c.child_id "
            f"WHERE c.status IN ({pending}) AND ("
            + " OR ".join(
                f"(p.date_of_birth > '{today.replace(year=today.year - t)}' AND "
                f"p.date_of_birth <= "
                f"'{(today + datetime.timedelta(days=90)).replace(year=today.year - t)}')"
                for t in (3, 9, 15, 18)
            )
            + ")"
        ],
        "follow_up_compliance": [
            "SELECT c.home_state_id, COUNT(*), "
            "SUM(CASE WHEN f.received_on IS NOT NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN f.received_on IS NULL AND f.due_date < '{today}' THEN 1 ELSE 0 END) "
            "FROM operations_followupreport f JOIN cases_case c ON c.id = f.case_id "
            f"WHERE f.due_date <= '{today}' GROUP BY 1 ORDER BY 1"
        ],
        "public_export": [
            f"SELECT o.reference, o.home_state_id, {local_day}, COUNT(*) {returned} "
            "GROUP BY 1, 2, 3 ORDER BY 3, 1"
        ],
    }


def _digest(figures: dict) -> str:
    """A fingerprint of the figures without database ids: equal on SQLite and PostgreSQL."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in ("case", "operation")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, float):
            return round(value, 1)
        return value

    text = json.dumps(clean(figures), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time a database seeded by an earlier run (HOMEWARD_DATA_DIR or DATABASE_URL)",
    )
    args = parser.parse_args()
    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from homeward.cases.models import Case

    seed_s = None
    if not (args.reuse and Case.objects.exists()):
        started = time.perf_counter()
        seed(args.children)
        seed_s = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    args.children = Case.objects.count()

    from homeward.accounts.models import Agency, User
    from homeward.accounts.services import sync_standard_roles
    from homeward.reports import queries
    from homeward.reports.files import render_public
    from homeward.reports.public import build_public_figures

    roles = sync_standard_roles()
    admin = User.objects.filter(username="bench.admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench.admin", "", "benchmark-password-1")
        agency = Agency.objects.create(
            name="Embassy of Russia", kind="home_state_mission", country_id="RU"
        )
        consul = User.objects.create_user(
            "bench.consul", password="benchmark-password-1", agency=agency
        )
        consul.roles.add(roles["home_state_consul"])
    consul = User.objects.get(username="bench.consul")
    today = datetime.date(2026, 3, 1)
    filters = queries.ReportFilters(today=today)
    timed = list(queries.FIGURES)
    digested = tuple(name for name in timed if name != "pending_by_blocker")
    raw = raw_queries(connection.vendor, today)

    def run_raw(statements):
        rows = []
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                rows.append(cursor.fetchall())
        return rows

    results = {
        "engine": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start",
        "children": args.children,
        "seed_seconds": seed_s,  # null: timed on a database seeded by an earlier run
        "runs": RUNS,
        "note": "timed as the database owner (PostgreSQL: a superuser, so row-level security "
        "is bypassed; the application role would add the policies' cost)"
        if connection.vendor == "postgresql"
        else "",
        "figures_ms": {},
    }
    from homeward.workflow.blockers import refresh_blockers

    def evaluate_blockers(changed: int | None = None) -> dict:
        """Forget the stored blockers of `changed` pending cases (all when None), then time
        their evaluation again."""
        pending = Case.objects.filter(status__in=queries.IN_CUSTODY_STATES).order_by("pk")
        forget = pending if changed is None else pending.filter(pk__in=pending[:changed])
        forget.update(blocker_seq=None, blocker_on=None)
        started = time.perf_counter()
        evaluated = refresh_blockers(Case.objects.all(), today=today)
        return {"cases": evaluated, "ms": round((time.perf_counter() - started) * 1000, 1)}

    results["blockers_evaluated"] = {"all": evaluate_blockers(), "changed": evaluate_blockers(100)}
    if connection.vendor == "postgresql":
        # each evaluation above rewrites every pending case's row: timed as after the nightly
        # run and autovacuum, not among 80,000 dead row versions (they made the consul's
        # figures four times slower in a run without this)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
    from django.conf import settings
    from django.core.cache import cache

    from homeward.audit.services import record_event

    # every figure is computed at each read unless kept_times says otherwise
    settings.HOMEWARD_FIGURE_CACHE_SECONDS = 0

    def kept_times(user) -> dict:
        """The dashboard read as a server answers it (reports.kept): after a change (an
        event naming a case: every figure computed again, plus the version query), and
        with nothing changed since the read before (the figures kept)."""
        settings.HOMEWARD_FIGURE_CACHE_SECONDS = 600
        cache.clear()
        case = Case.objects.order_by("pk").first()

        def after_change():
            record_event("bench.case.changed", actor=None, case_id=case.pk, home_state="RU")
            started = time.perf_counter()
            queries.dashboard(user, filters)
            return time.perf_counter() - started

        changed = round(statistics.median(after_change() for _ in range(RUNS)) * 1000, 1)
        unchanged = _median_time(lambda: queries.dashboard(user, filters))
        settings.HOMEWARD_FIGURE_CACHE_SECONDS = 0
        return {"after_a_change_ms": changed, "nothing_changed_ms": unchanged}

    for label, user in (("all_states", admin), ("consul_ru", consul)):
        rows = {}
        for name in timed:
            rows[name] = {
                "orm_ms": _median_time(
                    lambda name=name, user=user: queries.FIGURES[name](user, filters)
                )
            }
            if name in raw and label == "all_states":
                rows[name]["raw_sql_ms"] = _median_time(lambda sql=raw[name]: run_raw(sql))
                rows[name]["ratio"] = round(
                    rows[name]["orm_ms"] / max(rows[name]["raw_sql_ms"], 0.1), 2
                )
        total = {"orm_ms": round(sum(r["orm_ms"] for r in rows.values()), 1)}
        if label == "all_states":
            paired = [r for r in rows.values() if "raw_sql_ms" in r]
            total["orm_ms_of_figures_with_raw_sql"] = round(sum(r["orm_ms"] for r in paired), 1)
            total["raw_sql_ms"] = round(sum(r["raw_sql_ms"] for r in paired), 1)
            total["ratio"] = round(
                total["orm_ms_of_figures_with_raw_sql"] / max(total["raw_sql_ms"], 0.1), 2
            )
        total["one_call_ms"] = _median_time(
            lambda user=user: queries.dashboard(user, filters, only=tuple(timed))
        )
        total.update(kept_times(user))
        rows["dashboard_total"] = total
        results["figures_ms"][label] = rows
        results.setdefault("figures_digest", {})[label] = _digest(
            queries.dashboard(user, filters, only=digested)
        )

    def public():
        figures = build_public_figures(
            queries.returned_batches(as_of=today), as_of=today, threshold=5
        )
        return render_public(figures, "json")

    results["public_export"] = {
        "orm_ms": _median_time(public),
        "raw_sql_ms": _median_time(lambda: run_raw(raw["public_export"])),
    }
    results["public_export"]["ratio"] = round(
        results["public_export"]["orm_ms"] / max(results["public_export"]["raw_sql_ms"], 0.1), 2
    )
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    out = HERE / f"results-{connection.vendor}.json"
    if seed_s is None and out.exists():  # reused: the seeding was timed by the earlier run
        earlier = json.loads(out.read_text())
        if earlier.get("children") == results["children"] and earlier.get("seed_seconds"):
            results["seed_seconds"] = earlier["seed_seconds"]
            results["seed_note"] = "seeded and timed by an earlier run on the same database"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
