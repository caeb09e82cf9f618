"""`homeward apply_row_security`: regenerate the PostgreSQL row-level security policies."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from homeward.security.rowsecurity import apply_row_security


class Command(BaseCommand):
    help = (
        "Enable and force row-level security on every scoped table, with policies generated "
        "from the models' scope filters. `migrate` runs this too; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        tables = apply_row_security(database)
        if connections[database].vendor != "postgresql":
            self.stdout.write("SQLite has no row-level security: nothing to do.")
            return
        self.stdout.write(f"Row-level security applied to {len(tables)} tables.")
