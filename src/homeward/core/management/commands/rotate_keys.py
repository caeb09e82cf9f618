"""`homeward rotate_keys`: a new sealed-field key, every value re-encrypted, old keys destroyed."""

from django.core.management.base import BaseCommand, CommandError

from homeward.crypto.rotation import BATCH, rotate_field_key


class Command(BaseCommand):
    help = "Rotate the data key of sealed fields: re-encrypt in batches, then retire old keys."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument(
            "--keep-old", action="store_true", help="Do not destroy the old keys afterwards."
        )

    def handle(self, *args, batch_size, keep_old, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = rotate_field_key(batch_size=batch_size, retire=not keep_old)
        self.stdout.write(
            f"new key {result.new_key_id}; rows re-encrypted {result.rewritten_rows}; "
            f"rows left on old keys {result.remaining}; retired {result.retired or 'none'}; "
            f"{result.seconds:.2f} s"
        )
        if result.remaining:
            raise CommandError(
                f"{result.remaining} rows are still on old keys {result.old_key_ids}; "
                "they were kept. Run the command again."
            )
