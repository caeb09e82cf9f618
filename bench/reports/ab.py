# ruff: noqa: S603, S607  (git, run on the repository itself)
"""Before/after on one database, interleaved: the figures this branch changed, old vs new.

The shared machine's load moves a lot between runs (load average 4 to 16 during a day),
so absolute times from two separate runs of run.py do not compare. This times the
figures as they were at BASE (joins grouped per case; LEAD over every transition) and as
they are now (stored facts), alternately, in the same process on the same database
seeded by run.py, and checks they give the same figures. The old module is read from git
at BASE; its annotations `left_at` and `held_since` are renamed `next_at` and
`first_custody` (those names are now model fields).

    DATABASE_URL=… PYTHONPATH=src nice -n 5 .venv/bin/python bench/reports/ab.py
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = "163abb5"
RUNS = 5
FIGURES = ("time_in_limbo", "stage_cycle_times")


def _old_queries():
    source = subprocess.run(
        ["git", "show", f"{BASE}:src/homeward/reports/queries.py"],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE,
    ).stdout
    source = (
        source.replace("left_at=left_at", "next_at=left_at")
        .replace('F("left_at"), F("at")', 'F("next_at"), F("at")')
        .replace("held_since", "first_custody")
    )
    module = types.ModuleType("old_queries")
    sys.modules["old_queries"] = module  # dataclasses look their module up
    exec(compile(source, "old_queries.py", "exec"), module.__dict__)  # noqa: S102
    return module


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.db import connection

    from homeward.accounts.models import User
    from homeward.reports import queries as new

    old = _old_queries()
    today = datetime.date(2026, 3, 1)
    users = {
        "all_states": User.objects.get(username="bench.admin"),
        "consul_ru": User.objects.get(username="bench.consul"),
    }
    results = {
        "engine": connection.vendor,
        "base": BASE,
        "runs": RUNS,
        "load_average_at_start": round(os.getloadavg()[0], 1),
        "figures_ms": {},
    }
    for label, user in users.items():
        for name in FIGURES:
            before = old.FIGURES[name](user, old.ReportFilters(today=today))
            after = new.FIGURES[name](user, new.ReportFilters(today=today))
            assert before == after, name
            times = {"before_ms": [], "after_ms": []}
            for _ in range(RUNS):
                for key, module in (("before_ms", old), ("after_ms", new)):
                    started = time.perf_counter()
                    module.FIGURES[name](user, module.ReportFilters(today=today))
                    times[key].append(time.perf_counter() - started)
            row = {key: round(statistics.median(v) * 1000, 1) for key, v in times.items()}
            row["speed_up"] = round(row["before_ms"] / max(row["after_ms"], 0.1), 2)
            results["figures_ms"].setdefault(label, {})[name] = row
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    out = HERE / f"results-ab-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
