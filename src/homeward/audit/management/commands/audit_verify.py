"""`homeward audit_verify`: recompute the audit chain; exit 1 naming the first bad event."""

from django.core.management.base import BaseCommand, CommandError

from homeward.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and report the first event that was tampered with."
    )

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at {broken} ({checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
