"""`homeward create_db_roles`: the application role that requests run as (PostgreSQL)."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from homeward.security.roles import APP_ROLE, ensure_app_role


class Command(BaseCommand):
    help = (
        "Create (if missing) the NOSUPERUSER NOBYPASSRLS application role and grant it DML on "
        "the application's tables (INSERT/SELECT only on the audit trail). Idempotent; run it "
        "as the owner after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default=APP_ROLE, help=f"role name (default {APP_ROLE})")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="set the role's login password from this environment variable",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, password_env, database, **options):
        if connections[database].vendor != "postgresql":
            raise CommandError("Database roles exist only on PostgreSQL; SQLite has no roles.")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or unset.")
        ensure_app_role(role, password=password, using=database)
        self.stdout.write(f"Role {role}: ready (NOSUPERUSER NOBYPASSRLS, DML granted).")
