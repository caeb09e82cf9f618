"""Sign-in timing: no user enumeration by latency (G03) and the Argon2id cost (G04).

Runs in-process against production settings (Argon2id) on a fresh SQLite database in a
temporary data directory. For G03 it interleaves sign-ins with an unknown username, a wrong
password and a deactivated account (each trial from its own address, so the lockout never
triggers) and compares the medians. For G04 it times single Argon2id hashes.
Writes bench/security/results-login-timing.json and prints a short table.

    .venv/bin/python bench/security/login_timing.py [--trials 200] [--hashes 5]
"""

import argparse
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--hashes", type=int, default=5)
    args = parser.parse_args()

    os.environ["HOMEWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="homeward-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client

    from homeward.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    # the login page links static files; no collectstatic manifest in a throwaway directory
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    password = "a long enough passphrase"  # noqa: S105  (a throwaway account)
    User.objects.create_user("known.user", password=password)
    User.objects.create_user("inactive.user", password=password, is_active=False)

    scenarios = {
        "unknown_user": ("no.such.user", password),
        "wrong_password": ("known.user", "not the right passphrase"),
        "inactive_user": ("inactive.user", password),
    }
    client = Client()
    samples: dict[str, list[float]] = {name: [] for name in scenarios}
    for trial in range(args.trials):
        for index, (name, (username, secret)) in enumerate(scenarios.items()):
            address = f"10.{index}.{trial // 250}.{trial % 250 + 1}"
            started = time.perf_counter()
            response = client.post(
                "/login/", {"username": username, "password": secret}, REMOTE_ADDR=address
            )
            samples[name].append(time.perf_counter() - started)
            assert response.status_code == 200, (name, response.status_code)

    hashes = []
    for _ in range(args.hashes):
        started = time.perf_counter()
        encoded = make_password(password)
        hashes.append(time.perf_counter() - started)

    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    spread = (max(medians.values()) - min(medians.values())) / min(medians.values())
    results = {
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "trials": args.trials,
        "median_ms": {name: round(value, 1) for name, value in medians.items()},
        "median_spread_pct": round(spread * 100, 1),
        "g03_pass": spread < 0.10,
        "argon2_params": encoded.split("$")[3],
        "argon2_hash_ms": [round(value * 1000, 1) for value in hashes],
        "g04_pass": all(0.025 <= value <= 0.5 for value in hashes),
    }
    (HERE / "results-login-timing.json").write_text(json.dumps(results, indent=2) + "\n")
    print("| scenario | median ms |\n|---|---|")
    for name, value in results["median_ms"].items():
        print(f"| {name} | {value} |")
    print(f"\nmedian spread {results['median_spread_pct']}% (G03 < 10%: {results['g03_pass']})")
    print(
        f"Argon2id {results['argon2_params']}: {results['argon2_hash_ms']} ms per hash "
        f"(G04 25–500 ms: {results['g04_pass']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
