"""`homeward audit_checkpoint`: sign the audit chain's head and append it outside the database.

Run it often (cron, every few minutes) as an OS user that holds the signing key, and send the
printed note to the witnesses (docs/security.md). Exit codes: 0 written; 1 the chain does not
extend the latest checkpoint (nothing is signed); 2 the checkpoint file or key is unusable.
"""

from django.core.management.base import BaseCommand, CommandError

from homeward.audit.checkpoints import CheckpointError, write_checkpoint
from homeward.audit.verify import ChainBrokenError


class Command(BaseCommand):
    help = "Sign the audit chain's current head (Ed25519) and append it to the checkpoint file."

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint()
        except CheckpointError as exc:
            raise CommandError(f"No checkpoint written: {exc}", returncode=2) from exc
        except ChainBrokenError as exc:
            raise CommandError(
                f"No checkpoint written: the audit chain is broken at {exc.broken}."
            ) from exc
        self.stdout.write(checkpoint.text, ending="")
