"""`homeward authz_matrix`: print or write the authorization matrix (routes × methods × roles)."""

from django.core.management.base import BaseCommand

from homeward.security.authz import MATRIX_PATH, build_matrix, dumps


class Command(BaseCommand):
    help = (
        "Derive every route and method with the roles allowed to call it from the views' "
        "declared capabilities and the standard roles. --write updates the committed file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", action="store_true", help=f"write {MATRIX_PATH.name} instead of printing"
        )

    def handle(self, *args, write, **options):
        text = dumps(build_matrix())
        if not write:
            self.stdout.write(text, ending="")
            return
        MATRIX_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {MATRIX_PATH}.")
