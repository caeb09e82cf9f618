"""Imports benchmark: throughput of a large register against the bare openpyxl read (the floor).

Generates an XLSX of children (`--rows`, default 100,000), then times on a fresh SQLite
database (or the PostgreSQL database named by DATABASE_URL):

- the floor: openpyxl read-only streaming of every cell, nothing else;
- the dry run (`analyse_batch`: read, check, stage every row);
- the commit (`commit_batch`: every child, mother, case, placement and audit event, written
  in bulk by people.services.BulkRegistration, in one transaction) — on `--commit-rows`
  rows (default all).

Writes bench/imports/results-<engine>.json with rows/s and the ratio to the floor, wall
clock and this process's CPU time (the machine is shared: the load averages before and after
are recorded; on PostgreSQL the server's own CPU time is not in the process's). For the
commit it also records, per table, the records written and the wall time of executing their
INSERT statements (core.bulk's writes, values already prepared): the database's share alone,
set against the time half the floor's rate allows (`budget_seconds`).

    .venv/bin/python bench/imports/run.py [--rows 100000] [--commit-rows 100000]
"""

import argparse
import io
import json
import os
import platform
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADERS = ["child_name", "sex", "date_of_birth", "home_state", "facility", "custody_since",
           "mother_name", "mother_birth_year", "unaccompanied"]  # fmt: skip
GIVEN = ["Amina", "Khadija", "Adam", "Fatima", "Maryam", "Umar", "Aisha", "Yusuf", "Zaynab"]
FAMILY = ["Dakaeva", "Huseinova", "Rakhimova", "Aliyeva", "Bekova", "Umarova", "Nazarova"]
STATES = ["RU", "TJ", "KZ", "AZ", "TR", "UZ", "KG"]


def make_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(HEADERS)
    for n in range(rows):
        name = f"{GIVEN[n % len(GIVEN)]} {FAMILY[n % len(FAMILY)]} {n}"
        mother = f"Mother {FAMILY[n % len(FAMILY)]} {n // 2}"  # two children per mother
        day = 1 + n % 28
        sheet.append([name, "female" if n % 2 else "male", f"{day:02d}/{1 + n % 12:02d}/2016",
                      STATES[n % len(STATES)], "Rusafa Women's Prison", "13/02/2018",
                      mother, "1990", "no"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def floor(data: bytes) -> float:
    from openpyxl import load_workbook

    started, cpu = time.perf_counter(), time.process_time()
    book = load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count > 0
    return time.perf_counter() - started, time.process_time() - cpu


def registrar():
    """The prison registrar who imports, and the prison the register names (made once)."""
    from homeward.accounts.models import Agency, User
    from homeward.accounts.services import sync_standard_roles
    from homeward.people.models import Facility

    roles = sync_standard_roles()
    agency, _ = Agency.objects.get_or_create(
        name="MoJ Iraqi Correctional Service", defaults={"kind": "corrections"}
    )
    user, _ = User.objects.get_or_create(username="bench.registrar", defaults={"agency": agency})
    user.all_home_states = True
    user.save()
    user.roles.add(roles["moj_registrar"])
    user = User.objects.get(pk=user.pk)
    Facility.objects.get_or_create(
        name="سجن الرصافة للنساء",
        defaults={"name_en": "Rusafa Women's Prison", "facility_type": "women_prison",
                  "authority": "moj_ics"},
    )  # fmt: skip
    return user


@contextmanager
def timed_inserts():
    """{table: [records, seconds]} of core.bulk's INSERT statements while inside."""
    from homeward.core import bulk

    totals: dict[str, list] = {}
    write = bulk._write

    def timed(model, fields, rows, **options):
        started = time.perf_counter()
        keys = write(model, fields, rows, **options)
        entry = totals.setdefault(model._meta.db_table, [0, 0.0])
        entry[0] += len(rows)
        entry[1] += time.perf_counter() - started
        return keys

    bulk._write = timed
    try:
        yield totals
    finally:
        bulk._write = write


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--commit-rows", type=int, default=None)
    parser.add_argument("--profile", help="write cProfile stats of the commit to this file")
    parser.add_argument(
        "--out", help="write the results to this file (default bench/imports/results-<engine>.json)"
    )
    parser.add_argument("--note", help="a note kept in the results (which code, the load)")
    args = parser.parse_args()
    commit_rows = args.commit_rows or args.rows
    load_before = [round(x, 2) for x in os.getloadavg()]
    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    settings.HOMEWARD_IMPORT_MAX_ROWS = max(args.rows, commit_rows)
    from homeward.imports import services

    user = registrar()
    data = make_xlsx(args.rows)
    floor_s, floor_cpu = floor(data)
    batch = services.create_batch(actor=user, kind="children", filename="bench.xlsx", data=data)
    started, cpu = time.perf_counter(), time.process_time()
    batch = services.analyse_batch(batch)
    dry_s, dry_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert batch.status == "ready", (batch.status, batch.file_errors)
    small = batch
    if commit_rows != args.rows:
        small = services.create_batch(
            actor=user, kind="children", filename="commit.xlsx", data=make_xlsx(commit_rows)
        )
        small = services.analyse_batch(small)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    with timed_inserts() as inserts:
        small = services.commit_batch(small, actor=user)
    commit_s, commit_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    assert small.status == "committed", small.failure
    floor_rate = args.rows / floor_s
    results = {
        "engine": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "rows": args.rows,
        "xlsx_bytes": len(data),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "floor_openpyxl": {"seconds": round(floor_s, 2), "rows_per_s": round(floor_rate),
                           "cpu_seconds": round(floor_cpu, 2)},
        "dry_run": {"seconds": round(dry_s, 2), "rows_per_s": round(args.rows / dry_s),
                    "share_of_floor": round(args.rows / dry_s / floor_rate, 3),
                    "cpu_seconds": round(dry_cpu, 2),
                    "cpu_share_of_floor": round(floor_cpu / dry_cpu, 3)},
        "commit": {"rows": commit_rows, "seconds": round(commit_s, 2),
                   "rows_per_s": round(commit_rows / commit_s),
                   "share_of_floor": round(commit_rows / commit_s / floor_rate, 4),
                   "cpu_seconds": round(commit_cpu, 2),
                   "cpu_share_of_floor": round(
                       commit_rows / commit_cpu / (args.rows / floor_cpu), 4),
                   "budget_seconds": round(commit_rows / (0.5 * floor_rate), 2),
                   "insert_seconds": round(sum(t for _n, t in inserts.values()), 2),
                   "inserts": {table: {"records": n, "seconds": round(t, 2)}
                               for table, (n, t) in sorted(inserts.items())}},
    }  # fmt: skip
    if args.note:
        results["note"] = args.note
    out = Path(args.out) if args.out else HERE / f"results-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
