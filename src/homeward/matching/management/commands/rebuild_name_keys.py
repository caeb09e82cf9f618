"""`homeward rebuild_name_keys`: recompute the phonetic keys of every recorded name."""

from django.core.management.base import BaseCommand
from django.db import transaction

from homeward.matching.keys import rebuild_name_keys


class Command(BaseCommand):
    help = "Recompute the matching keys of every name (after upgrading the name rules)."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"{done}/{total} names")

        with transaction.atomic():
            count = rebuild_name_keys(progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(f"{count} keys written.")
