"""Exports benchmark: the cost of one export of the whole demo registry.

Seeds the demo data set into a fresh SQLite database (or the PostgreSQL database named by
DATABASE_URL), then, as the MFA officer (every home state) and as consul.ru (one state),
times each step of an export: the request (fixing the ids), building the XLSX and the CSV in
memory, age/scrypt encryption and decryption. Writes bench/exports/results-<engine>.json.

    .venv/bin/python bench/exports/run.py [--children 1200]
"""

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _timed(function):
    started = time.perf_counter()
    result = function()
    return result, round(time.perf_counter() - started, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1200)
    args = parser.parse_args()
    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command(
        "seed_demo",
        "--children",
        str(args.children),
        "--password",
        "benchmark-password-1",
        stdout=io.StringIO(),
    )
    import pyrage

    from homeward.accounts.models import User
    from homeward.exports import services

    approver = User.objects.get(username="mfa.supervisor")
    results = {
        "engine": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "children": args.children,
        "exports": {},
    }
    for username in ("mfa.officer", "consul.ru"):
        user = User.objects.get(username=username)
        for file_format in ("xlsx", "csv"):
            export, request_s = _timed(
                lambda user=user, file_format=file_format: services.request_export(
                    actor=user,
                    dataset="children",
                    file_format=file_format,
                    purpose_category="reporting",
                    purpose="Benchmark of the export pipeline",
                )
            )
            services.approve_export(export, actor=approver)
            export.refresh_from_db()
            (plaintext, rows), build_s = _timed(
                lambda export=export: services.build_plaintext(export, created=timezone.now())
            )
            ciphertext, encrypt_s = _timed(
                lambda plaintext=plaintext: pyrage.passphrase.encrypt(plaintext, "x" * 25)
            )
            _, decrypt_s = _timed(
                lambda ciphertext=ciphertext: pyrage.passphrase.decrypt(ciphertext, "x" * 25)
            )
            results["exports"][f"{username} {file_format}"] = {
                "rows": rows,
                "bytes": len(plaintext),
                "request_s": request_s,
                "build_s": build_s,
                "encrypt_s": encrypt_s,
                "decrypt_s": decrypt_s,
            }
    out = HERE / f"results-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"written to {out.relative_to(HERE.parent.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
