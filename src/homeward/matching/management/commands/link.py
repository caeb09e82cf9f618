"""`homeward link LEFT.csv [RIGHT.csv] --out pairs.csv`: link outside lists without importing.

Two files: every left row against every right row (through blocking). One file: its
duplicates. `--against-registry --user NAME`: the file against the people NAME may see in
Homeward, audited like a search, because it reveals who is in the registry.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from homeward.matching import events
from homeward.matching.engine import parameters
from homeward.matching.link import (
    LinkInputError,
    link_records,
    read_rows,
    records_from_rows,
    registry_side,
    write_pairs,
)


class Command(BaseCommand):
    help = _("Link a CSV list of people against another list, itself (duplicates) or the registry.")

    def add_arguments(self, parser):
        parser.add_argument("left", help=_("CSV file (UTF-8, header row)."))
        parser.add_argument("right", nargs="?", help=_("Second CSV file; omit to deduplicate."))
        parser.add_argument("--out", required=True, help=_("Where to write the pairs (CSV)."))
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help=_("Lowest score kept, 0..1 (default: the estimated operating threshold)."),
        )
        parser.add_argument(
            "--against-registry",
            action="store_true",
            help=_("Link LEFT against the people in Homeward that --user may see."),
        )
        parser.add_argument("--user", help=_("Username whose scope applies (registry only)."))
        parser.add_argument(
            "--engine",
            choices=("homeward", "splink"),
            default="homeward",
            help=_("Matcher: Homeward's own (default) or the Splink batch path."),
        )

    def handle(self, *args, **options):
        threshold = options["threshold"]
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise CommandError(_("--threshold must be between 0 and 1."))
        if options["against_registry"] and options["right"]:
            raise CommandError(_("Give either RIGHT.csv or --against-registry, not both."))
        if options["against_registry"] and not options["user"]:
            raise CommandError(_("--against-registry needs --user."))
        if options["against_registry"] and options["engine"] != "homeward":
            raise CommandError(_("--against-registry uses Homeward's engine only."))
        try:
            left_rows = read_rows(options["left"])
            right_rows = read_rows(options["right"]) if options["right"] else None
            if options["engine"] == "splink":
                pairs = self._splink(left_rows, right_rows, threshold)
            else:
                pairs = self._homeward(options, left_rows, right_rows, threshold)
        except LinkInputError as error:
            raise CommandError(str(error)) from error
        written = write_pairs(pairs, options["out"])
        self.stderr.write(
            _("{count} pairs written to {path}.").format(count=written, path=options["out"])
        )

    def _progress(self, message: str) -> None:
        self.stderr.write(message)

    def _homeward(self, options, left_rows, right_rows, threshold):
        left = records_from_rows(left_rows, options["left"])
        right = records_from_rows(right_rows, options["right"]) if right_rows is not None else None
        self._progress(
            _("{count} records read from {path}.").format(count=len(left), path=options["left"])
        )
        user = None
        if options["against_registry"]:
            from homeward.accounts.models import User

            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("No active user {name}.").format(name=options["user"]))
            right = registry_side(user)
            self._progress(
                _("{count} people in {name}'s scope.").format(count=len(right), name=user)
            )
        params = parameters()
        pairs = link_records(
            left, right, threshold=threshold, params=params, progress=self._progress
        )
        if user is not None:
            from homeward.audit.services import record_list

            record_list(
                events.REGISTRY_LINKED,
                actor=user,
                ids=sorted({pair.right_id for pair in pairs}),
                query={"file": str(options["left"]), "rows": len(left)},
                total=len(pairs),
            )
        return pairs

    def _splink(self, left_rows, right_rows, threshold):
        from homeward.matching.batch import splink_link

        return splink_link(left_rows, right_rows, threshold=threshold, progress=self._progress)
