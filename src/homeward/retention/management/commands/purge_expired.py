"""`homeward purge_expired [--dry-run] [--now ISO]`: destroy what the schedule says is due.

Run it daily. Each destroyed record gets one audit event (ids only); cases under a legal hold
are skipped. `--dry-run` lists what would go and changes nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from homeward.retention.services import purge_expired


def _instant(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now must be an ISO date or date and time, got {text!r}.") from exc
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = "Destroy records whose retention period has ended (skipping cases under legal hold)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list only; change nothing")
        parser.add_argument("--now", help="act as of this ISO date/time (default: now)")

    def handle(self, *args, dry_run=False, now=None, **options):
        report = purge_expired(_instant(now) if now else None, dry_run=dry_run)
        verb = "would destroy" if dry_run else "destroyed"
        for item in report.purged:
            self.stdout.write(f"  {item.category}: {item.object_type} {item.object_id}")
        self.stdout.write(
            f"{verb}: {len(report.purged)} records, {report.sessions} expired sessions; "
            f"skipped under legal hold: {report.skipped_held}; hooks run: {len(report.hooks)}"
        )
        if report.file_errors:
            raise CommandError(
                f"{len(report.file_errors)} files could not be removed from disk: "
                + ", ".join(report.file_errors)
            )
