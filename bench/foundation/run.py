"""Foundation benchmark: how the registry's pages answer at demo scale.

Seeds the deterministic demo data set into a fresh database (SQLite in a temporary data
directory, or the PostgreSQL database named by DATABASE_URL), then times the pages and API
endpoints people use most, as the MFA officer (all home states) and as a consul (one state),
and the full audit-chain verification. Writes bench/foundation/results-<engine>.json and prints
a Markdown table.

    .venv/bin/python bench/foundation/run.py [--children 1200] [--repeat 30]
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


def _setup_django(data_dir: str) -> None:
    os.environ.setdefault("HOMEWARD_DATA_DIR", data_dir)
    # The pages are measured, not the sign-in: privileged demo users have no security key.
    os.environ.setdefault("HOMEWARD_PRIVILEGED_WEBAUTHN", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _time_requests(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {**_percentiles(samples), "queries": len(queries)}


def signed_in_client(user):
    """A test client past every sign-in step: password, second factor, code of conduct."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts import conduct

    client = Client()
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()  # made by seed_demo
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[conduct.SESSION_KEY] = conduct.CURRENT_VERSION
    session.save()
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="homeward-bench-")
    _setup_django(data_dir)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS.append("testserver")
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    call_command("migrate", verbosity=0)

    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--children",
        str(args.children),
        "--password",
        "benchmark-password-1",
        stdout=io.StringIO(),
    )
    seed_seconds = time.perf_counter() - started

    from homeward.accounts.models import User
    from homeward.audit.models import AuditEvent
    from homeward.audit.verify import verify_chain
    from homeward.people.models import Person

    started = time.perf_counter()
    checked, broken = verify_chain()
    verify_seconds = time.perf_counter() - started
    assert broken is None, broken

    results = {
        "engine": connection.vendor,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "children": args.children,
        "people": Person.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "seed_seconds": round(seed_seconds, 1),
        "audit_verify_seconds": round(verify_seconds, 2),
        "audit_events_verified": checked,
        "requests": {},
    }
    for username in ("mfa.officer", "consul.ru"):
        user = User.objects.get(username=username)
        client = signed_in_client(user)
        child = Person.objects.for_user(user).filter(kind="child").order_by("created_at").first()
        # a name search is POSTed (names stay out of URLs); its results page is a saved search
        searched = client.post("/people/children/", {"q": "خديجه"})["Location"]
        urls = {
            "dashboard": "/",
            "children list": "/people/children/",
            "children search (Arabic)": searched,
            "child record": f"/people/{child.pk}/",
            "desk (whole queue)": "/workflow/desk/",
            "API people list": "/api/v1/people/",
            "API case list": "/api/v1/cases/",
        }
        results["requests"][username] = {
            name: _time_requests(client, url, args.repeat) for name, url in urls.items()
        }

    out = HERE / f"results-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nwritten to {out.relative_to(HERE.parent.parent)}", file=sys.stderr)
    return 0


def table(results: dict) -> str:
    lines = [
        f"Demo registry: {results['children']} children, {results['people']} people, "
        f"{results['audit_events']} audit events ({results['engine']}, {results['machine']}).",
        f"Seeding through the services: {results['seed_seconds']} s; "
        f"audit chain verified in {results['audit_verify_seconds']} s.",
        "",
        "| request | role | p50 ms | p95 ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for username, requests in results["requests"].items():
        for name, figures in requests.items():
            lines.append(
                f"| {name} | {username} | {figures['p50_ms']} | {figures['p95_ms']} "
                f"| {figures['queries']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
