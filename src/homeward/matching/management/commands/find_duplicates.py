"""`homeward find_duplicates [--threshold T]`: propose possible duplicates across the registry.

Safe to run again at any time (nightly, after an import): known pairs are never proposed
twice, rejected pairs never come back. Reviewers then decide on /matching/duplicates/.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from homeward.matching.duplicates import find_duplicates


class Command(BaseCommand):
    help = _("Propose possible duplicate children across the whole registry for review.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help=_("Lowest score proposed, 0..1 (default: the estimated operating threshold)."),
        )

    def handle(self, *args, **options):
        threshold = options["threshold"]
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise CommandError(_("--threshold must be between 0 and 1."))

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"{done}/{total}")

        run = find_duplicates(threshold=threshold, progress=progress)
        self.stdout.write(
            _("%(people)d children, %(compared)d pairs compared, %(proposed)d new proposals.")
            % {"people": run.people, "compared": run.compared, "proposed": run.proposed}
        )
