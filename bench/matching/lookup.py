"""Interactive lookup latency: p50/p95 of `engine.find_candidates` against N registry persons.

Loads N synthetic children (the benchmark generator's Arabic register rows: names, sex,
birth) into a fresh SQLite database with their NameKey blocking rows (bulk inserts, no
audit, no cases: the lookup reads only people, names and keys), then times `--lookups`
searches by the home-state spelling of registered children, as the search page runs them
(scope of an all-states user, the same parameters and prior). Reports p50, p95 and max in
milliseconds, and the share of lookups whose true record is ranked first. Wall time depends
on what else the machine runs; the CPU time of the process (SQLite runs in it) is reported
next to it, as the figure an otherwise idle machine would approach.

    nice .venv/bin/python bench/matching/lookup.py --size 100000 [--lookups 200]
        [--data-dir /tmp/homeward-lookup-100k]

`--data-dir` keeps the database in that directory instead of a temporary one: the first run
loads it (100,000 persons: about a minute on a quiet machine, seven under heavy load) and
records which person each register row became; later runs with the same size reuse it and
only time the lookups (`load_seconds` is then null). Delete the directory when the name
rules or the generator change: the stored keys would be stale.

Besides `true_record_first`, `true_record_tied_first` counts the lookups whose true record
scored the same (to three decimals) as the first result: the loaded rows hold only names,
sex and birth, so at 100,000 persons several children are often indistinguishable from it.
`true_record_in_results` counts those whose true record is among the 20 results at all.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _setup(data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    os.environ["HOMEWARD_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(rows: list[dict], batch: int = 2000) -> dict[str, object]:
    """Insert one child per row; returns record_id -> person pk."""
    from homeward.matching.engine import parse_dob
    from homeward.matching.keys import keys_for_name
    from homeward.matching.models import NameKey
    from homeward.people.models import Person, PersonName

    ids = {}
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        people, names = [], []
        for row in chunk:
            earliest, latest, exact = parse_dob(row["dob"])
            middle = earliest + (latest - earliest) / 2 if earliest else None
            person = Person(
                kind="child",
                sex=row["sex"] or "unknown",
                date_of_birth=middle,
                dob_precision="day" if exact else ("year" if earliest else "unknown"),
            )
            people.append(person)
            text = " ".join(
                part for part in (row["given_name"], row["father_name"], row["family_name"]) if part
            )
            names.append(
                PersonName(
                    person=person,
                    full_text=text,
                    script="Arab",
                    given=row["given_name"],
                    family=row["family_name"],
                    name_type="prison_register",
                    is_primary=True,
                    search_text=text,
                )
            )
        Person.objects.bulk_create(people)
        PersonName.objects.bulk_create(names)
        NameKey.objects.bulk_create(
            [
                NameKey(person_id=name.person_id, name=name, part=part, key=key)
                for name in names
                for part, key in sorted(keys_for_name(name))
            ]
        )
        for row, person in zip(chunk, people, strict=True):
            ids[row["record_id"]] = person.pk
        print(f"loaded {start + len(chunk)} of {len(rows)}", file=sys.stderr, flush=True)
    return ids


def _data_dir(path: str | None):
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        return contextlib.nullcontext(path)
    return tempfile.TemporaryDirectory(prefix="homeward-lookup-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="write lookup-results.json")
    parser.add_argument(
        "--data-dir", help="keep (and on later runs reuse) the loaded database in this directory"
    )
    options = parser.parse_args()
    with _data_dir(options.data_dir) as data_dir:
        _setup(data_dir)
        from homeward.accounts.models import User
        from homeward.matching.engine import find_candidates, parameters, record_from_row
        from homeward.matching.synthetic import linked_lists

        host, home, _links = linked_lists(options.size)
        loaded = Path(data_dir) / f"lookup-ids-{options.size}.json"
        load_seconds = None
        if loaded.exists():
            ids = {key: uuid.UUID(value) for key, value in json.loads(loaded.read_text()).items()}
            user = User.objects.get(username="bench")
        else:
            started = time.perf_counter()
            ids = _load(host)
            load_seconds = round(time.perf_counter() - started, 1)
            user = User.objects.create_superuser("bench", "", "bench-Pass-2026!")
            loaded.write_text(json.dumps({key: str(value) for key, value in ids.items()}))
        params = parameters()
        step = max(1, len(home) // options.lookups)
        queries = home[::step][: options.lookups]
        timings, cpu, first, tied, found_any = [], [], 0, 0, 0
        for row in queries:
            record = record_from_row(row)
            began, began_cpu = time.perf_counter(), time.process_time()
            found = find_candidates(user, record, limit=20, min_score=0.05, params=params)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            truth = ids.get("H" + row["record_id"][1:])
            first += bool(found) and found[0].person.pk == truth
            # ranked first or scored the same as the first: the registry rows hold only
            # names, sex and birth, so several children may be indistinguishable from it
            tied += any(item.person.pk == truth and item.score == found[0].score for item in found)
            found_any += any(item.person.pk == truth for item in found)
        timings.sort()
        cpu.sort()
        result = {
            "persons": options.size,
            "lookups": len(timings),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
            "true_record_first": round(first / len(timings), 3),
            "true_record_tied_first": round(tied / len(timings), 3),
            "true_record_in_results": round(found_any / len(timings), 3),
            "load_seconds": load_seconds,  # None: a database loaded by an earlier run
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                # 1/5/15-minute load at the end of the run: other work shares the cores
                "load_average": [round(value, 1) for value in os.getloadavg()],
            },
        }
    print(json.dumps(result, indent=2))
    if options.write:
        (HERE / "lookup-results.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
