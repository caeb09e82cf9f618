"""Sealed-data benchmark (G20 key rotation, G21 blind-index lookup) at 10k-children scale.

Seeds a small demo data set into a fresh database (SQLite in a temporary data directory, or
the PostgreSQL database named by DATABASE_URL), then adds, spread over the demo cases, N
children's worth of sealed rows: per child one incident, one medical clearance (2 sealed
fields), one best-interests assessment (2) and one travel document (1, blind-indexed), so
6 sealed values per child. Times `rotate_field_key` (batches of 500, one transaction each)
and exact travel-document lookups through the blind index. Writes
bench/security/results-<engine>.json.

    PYTHONPATH=src .venv/bin/python bench/security/rotation.py [--children 10000]

Not measured here: rotation under a concurrent locust load (G20's "0 errors" part).
"""

import argparse
import datetime
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command(
        "seed_demo", "--children", "20", "--password", "bench-pw-123456789", stdout=io.StringIO()
    )

    from homeward.cases.models import Case
    from homeward.crypto.fields import BlindIndexField
    from homeward.crypto.keyring import get_keyring
    from homeward.crypto.rotation import count_on_keys, rotate_field_key
    from homeward.evidence.models import (
        BestInterestsAssessment,
        Clearance,
        Incident,
        TravelDocument,
    )

    cases = list(Case.objects.all()[:20])
    day = datetime.date(2024, 1, 1)
    started = time.perf_counter()
    for start in range(0, args.children, 1000):
        chunk = range(start, min(start + 1000, args.children))
        Incident.objects.bulk_create(
            Incident(
                case=cases[n % len(cases)],
                incident_type="serious_illness",
                occurred_on=day,
                description=f"incident narrative {n}",
            )
            for n in chunk
        )
        Clearance.objects.bulk_create(
            Clearance(
                case=cases[n % len(cases)],
                clearance_type="medical",
                conditions=f"escort needed {n}",
                comments=f"asthma {n}",
            )
            for n in chunk
        )
        BestInterestsAssessment.objects.bulk_create(
            BestInterestsAssessment(
                case=cases[n % len(cases)],
                kind="bia",
                trigger="unaccompanied",
                assessor="UNICEF",
                factors_considered=f"factors {n}",
                child_views=f"views {n}",
                recommendation="return",
                assessed_on=day,
            )
            for n in chunk
        )
        TravelDocument.objects.bulk_create(
            TravelDocument(
                case=cases[n % len(cases)],
                document_type="passport",
                number=f"P{n:08d}",
                issued_by="Embassy",
                issued_on=day,
                valid_until=datetime.date(2030, 1, 1),
            )
            for n in chunk
        )
    seed_seconds = time.perf_counter() - started

    old = get_keyring().key_ids("field")
    rows_before = count_on_keys(old)
    result = rotate_field_key(batch_size=500)
    after = count_on_keys(old)

    samples = []
    for i in range(args.lookups):
        n = (i * 7919) % args.children
        t0 = time.perf_counter()
        found = list(
            TravelDocument.objects.filter(
                **BlindIndexField.lookup(TravelDocument, "number", f"p{n:08d}")
            )
        )
        samples.append(time.perf_counter() - t0)
        assert len(found) == 1 and found[0].number == f"P{n:08d}"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    results = {
        "engine": connection.vendor,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "children": args.children,
        "sealed_values": args.children * 6,
        "rows_on_old_key_before": rows_before,
        "seed_seconds": round(seed_seconds, 1),
        "rotation_seconds": round(result.seconds, 2),
        "rotation_rows": result.rewritten_rows,
        "rows_on_old_key_after": after,
        "old_keys_retired": result.retired,
        "bidx_lookup_p50_ms": round(statistics.median(ordered) * 1000, 2),
        "bidx_lookup_p95_ms": round(p95 * 1000, 2),
    }
    (HERE / f"results-{connection.vendor}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
