"""`homeward deliver_webhooks [--once]`: send due webhook deliveries, retrying with backoff."""

import time

from django.core.management.base import BaseCommand

from homeward.webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries (signed), log each attempt, retry failures with backoff."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--idle", type=float, default=5.0, help="Seconds to wait when nothing was due."
        )
        parser.add_argument(
            "--max-idle", type=float, default=60.0, help="Longest wait between passes."
        )

    def handle(self, *args, once=False, idle=5.0, max_idle=60.0, **options):
        wait = idle
        while True:
            outcome = deliver_due()
            self.stdout.write(
                " ".join(f"{name}={count}" for name, count in outcome.items()), ending="\n"
            )
            if once:
                return
            busy = any(outcome.values())
            wait = idle if busy else min(wait * 2, max_idle)  # back off while idle
            time.sleep(wait)
