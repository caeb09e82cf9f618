"""`homeward run_imports`: carry out the dry runs and commits asked for on the upload page.

Picks up every batch waiting for work, oldest first — including a dry run or commit that was
interrupted (a killed commit left nothing behind and simply runs again). `--loop` keeps
polling, as a worker beside the web server.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from homeward.imports import services
from homeward.imports.choices import BatchStatus
from homeward.imports.models import ImportBatch

ANALYSE = (BatchStatus.UPLOADED, BatchStatus.ANALYSING)
COMMIT = (BatchStatus.COMMIT_QUEUED, BatchStatus.COMMITTING)


def run_pending() -> int:
    """Work through waiting batches once; the number handled."""
    handled = 0
    waiting = ImportBatch.objects.filter(status__in=[*ANALYSE, *COMMIT]).order_by("created_at")
    for batch in waiting:
        if batch.status in ANALYSE:
            services.analyse_batch(batch)
        else:
            services.commit_batch(batch)
        handled += 1
    return handled


class Command(BaseCommand):
    help = _("Run waiting import dry runs and commits.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help=_("Keep polling for work."))
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, **options):
        while True:
            handled = run_pending()
            if handled:
                self.stdout.write(_("%(count)s imports handled.") % {"count": handled})
            if not options["loop"]:
                return
            time.sleep(options["interval"])
