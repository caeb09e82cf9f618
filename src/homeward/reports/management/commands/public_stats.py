"""`homeward public_stats [--format json|csv] [--threshold N] [--as-of DATE]`: the public
figures on standard output, suppressed exactly as on /reports/public/."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.reports.files import render_public
from homeward.reports.public import build_public_figures
from homeward.reports.queries import returned_batches


class Command(BaseCommand):
    help = "Print the public statistics (children returned, suppressed) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--threshold",
            type=int,
            default=None,
            help="Smallest count shown (default: HOMEWARD_PUBLIC_MIN_CELL, 5).",
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="Count handovers on or before this day (default: today).",
        )

    def handle(self, *args, format="json", threshold=None, as_of=None, **options):
        threshold = threshold or int(getattr(settings, "HOMEWARD_PUBLIC_MIN_CELL", 5))
        if not 2 <= threshold <= 100:
            raise CommandError("--threshold must be between 2 and 100.")
        as_of = as_of or timezone.localdate()
        figures = build_public_figures(
            returned_batches(as_of=as_of), as_of=as_of, threshold=threshold
        )
        self.stdout.write(render_public(figures, format).decode("utf-8-sig"), ending="")
