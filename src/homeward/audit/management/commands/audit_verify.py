"""`homeward audit_verify`: recompute the audit chain and check it against signed checkpoints.

Exit codes: 0 the chain is intact and agrees with every signed checkpoint; 1 the chain is
broken or disagrees with a checkpoint (tampering: the message names the first bad event);
2 the checkpoint file or verifier key cannot be trusted (bad or missing signature, malformed
note, unknown key): treat it as tampering with the checkpoints themselves.
"""

from django.core.management.base import BaseCommand, CommandError

from homeward.audit.checkpoints import CheckpointError, load_verified_checkpoints
from homeward.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain, check it against the signed checkpoints, and "
        "report the first event that was tampered with (exit 1), or untrustworthy "
        "checkpoints (exit 2)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="checkpoint file to verify against (default: HOMEWARD_AUDIT_CHECKPOINT_FILE)",
        )

    def handle(self, *args, checkpoints=None, **options):
        try:
            signed = load_verified_checkpoints(checkpoints)
        except CheckpointError as exc:
            raise CommandError(f"Audit checkpoints cannot be trusted: {exc}", returncode=2) from exc
        checked, broken = verify_chain(checkpoints=signed)
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at {broken} ({checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
        if signed:
            latest = max(checkpoint.size for checkpoint in signed)
            self.stderr.write(
                f"Consistent with {len(signed)} signed checkpoints (latest at #{latest})."
            )
        else:
            self.stderr.write(
                "No signed checkpoints yet: events cut from the end together with the head, or "
                "a recomputed chain, cannot be detected (run `homeward audit_checkpoint`)."
            )
