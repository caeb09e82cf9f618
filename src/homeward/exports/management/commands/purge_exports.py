"""`homeward purge_exports`: delete export files older than HOMEWARD_EXPORT_KEEP_DAYS."""

from django.core.management.base import BaseCommand

from homeward.exports.services import purge_expired_exports


class Command(BaseCommand):
    help = (
        "End every export older than HOMEWARD_EXPORT_KEEP_DAYS: delete its encrypted file, "
        "kill its links, and write one audit event per export. Run it daily."
    )

    def handle(self, *args, **options):
        purged = purge_expired_exports()
        self.stdout.write(f"{len(purged)} export(s) expired.")
