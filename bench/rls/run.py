"""Row-level security benchmark: what the second wall costs per page (PostgreSQL only).

Times the foundation benchmark's pages twice on the same seeded PostgreSQL database: once as
the connection's own role (a superuser or the owner: RLS bypassed, the ORM is the only wall)
and once with every request switched to the application role (HOMEWARD_DB_REQUEST_ROLE), so
every policy runs. As the MFA officer (scope "*": the policies short-circuit) and as a consul
(scope "RU": the policies filter). Writes bench/rls/results.json and prints a Markdown table.

    DATABASE_URL=postgres://… .venv/bin/python bench/rls/run.py [--repeat 20] [--seed-children N]

The database must already hold the demo registry (`homeward seed_demo --children 1200`), or
pass --seed-children to seed an empty one first.
"""

import argparse
import io
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "foundation"))

URLS = {
    "dashboard": "/",
    "children list": "/people/children/",
    "children search (Arabic)": "/people/children/?q=%D8%AE%D8%AF%D9%8A%D8%AC%D9%87",
    "child record": "/people/{child}/",
    "API people list": "/api/v1/people/",
    "API case list": "/api/v1/cases/",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed-children", type=int, default=0)
    args = parser.parse_args()

    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from run import _time_requests, signed_in_client  # the foundation benchmark's helpers

    from homeward.accounts.models import User
    from homeward.people.models import Person
    from homeward.security.roles import APP_ROLE, ensure_app_role

    if connection.vendor != "postgresql":
        print("Row-level security exists only on PostgreSQL.", file=sys.stderr)
        return 2
    settings.ALLOWED_HOSTS.append("testserver")
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    if args.seed_children:
        call_command("migrate", verbosity=0)
        call_command(
            "seed_demo", "--children", str(args.seed_children), "--password", "bench-pw-123456",
            stdout=io.StringIO(),
        )  # fmt: skip
    ensure_app_role()
    results = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "people": Person.objects.count(),
        "repeat": args.repeat,
        "load_average_1m_at_start": round(os.getloadavg()[0], 1),
        "requests": {},
    }
    for username in ("mfa.officer", "consul.ru"):
        user = User.objects.get(username=username)
        child = Person.objects.for_user(user).filter(kind="child").order_by("created_at").first()
        for label, role in (("orm only", ""), ("orm + rls", APP_ROLE)):
            settings.HOMEWARD_DB_REQUEST_ROLE = role
            client = signed_in_client(user)
            results["requests"].setdefault(username, {})[label] = {
                name: _time_requests(client, url.format(child=child.pk), args.repeat)
                for name, url in URLS.items()
            }
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    return 0


def table(results: dict) -> str:
    lines = [
        f"{results['people']} people, p50 / p95 ms over {results['repeat']} requests "
        f"({results['machine']}; 1-minute load {results['load_average_1m_at_start']}).",
        "",
        "| user | page | ORM only | ORM + RLS |",
        "|---|---|---|---|",
    ]
    for username, runs in results["requests"].items():
        for page in URLS:
            plain, rls = runs["orm only"][page], runs["orm + rls"][page]
            lines.append(
                f"| {username} | {page} | {plain['p50_ms']} / {plain['p95_ms']} "
                f"| {rls['p50_ms']} / {rls['p95_ms']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
