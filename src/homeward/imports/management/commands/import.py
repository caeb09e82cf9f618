"""`homeward import KIND FILE [--dry-run]`: bring a register or list in from XLSX or CSV.

The same checks, commit and audit as the upload page, as the user named by `--as`. Progress
goes to stderr; the exit status is non-zero when any row is rejected (nothing is then
written), when the day/month order must be chosen, or when the commit fails. Messages and
reasons are printed in `--language` (default: the site's), as the page words them for its
reader (imports.reasons); the batch remembers it as the uploader's language, in which a cell
may name a choice.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.imports import services
from homeward.imports.choices import BatchStatus, DateOrder, Encoding
from homeward.imports.kinds import KINDS
from homeward.imports.reasons import render

MAX_LISTED = 50


class Command(BaseCommand):
    help = _("Import a file of children, custody moves, DNA results, replies or Primero cases.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", help=_("XLSX or CSV file with a header row."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check only; write nothing."))
        parser.add_argument(
            "--encoding",
            choices=[e for e in Encoding.values if e != "xlsx"],
            default="",
            help=_("Encoding of a CSV file (default: detected)."),
        )
        parser.add_argument(
            "--date-order",
            choices=DateOrder.values,
            default="",
            help=_("dmy or mdy (default: detected from the unambiguous dates)."),
        )
        parser.add_argument("--as", dest="username", required=True, help=_("Acting user."))
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="",
            help=_("Language of the messages (default: the site's)."),
        )

    def _progress(self, label):
        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return show

    def _print_rejections(self, rows) -> None:
        shown = 0
        for number, errors in rows:
            for error in errors:
                if shown < MAX_LISTED:
                    self.stdout.write(
                        _("row %(row)s, %(column)s: %(message)s")
                        % {"row": number, "column": error["column"], "message": render(error)}
                    )
                shown += 1
        if shown > MAX_LISTED:
            self.stdout.write(_("… and %(count)s more.") % {"count": shown - MAX_LISTED})

    def handle(self, *args, **options):
        with translation.override(options["language"] or translation.get_language()):
            return self._import(options)

    def _import(self, options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user %(name)s.") % {"name": options["username"]})
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        kind, encoding, order = options["kind"], options["encoding"], options["date_order"]
        try:
            if options["dry_run"]:
                return self._dry_run(kind, data, user, encoding, order)
            batch = services.create_batch(
                actor=user, kind=kind, filename=path.name, data=data, encoding=encoding,
                date_order=order,
            )  # fmt: skip
        except PermissionDenied:
            raise CommandError(
                _("%(name)s may not import this kind of data.") % {"name": user}
            ) from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(_("Import %(id)s") % {"id": batch.pk})
        batch = services.analyse_batch(batch, progress=self._progress(_("checking")))
        self._summary(
            batch.total_rows, batch.rejected_rows, batch.duplicate_rows, batch.unmapped_columns
        )
        if batch.status != BatchStatus.READY:
            self._file_problems(batch.file_errors, batch.date_order or None, batch.status)
            rows = batch.rows.exclude(errors=[]).values_list("number", "errors")
            self._print_rejections(rows)
            raise CommandError(_("Nothing was written."), returncode=2)
        batch = services.commit_batch(batch, actor=user, progress=self._progress(_("writing")))
        if batch.status != BatchStatus.COMMITTED:
            raise CommandError(batch.failure + " " + _("Nothing was written."), returncode=3)
        self.stdout.write(_("Committed %(rows)s rows.") % {"rows": batch.committed_rows})
        return None

    def _summary(self, total, rejected, duplicates, unmapped) -> None:
        self.stdout.write(
            _(
                "%(total)s rows: %(rejected)s rejected, "
                "%(duplicates)s look like people already registered."
            )
            % {"total": total, "rejected": rejected, "duplicates": duplicates}
        )
        if unmapped:
            self.stdout.write(
                _("Columns not imported: %(columns)s") % {"columns": ", ".join(unmapped)}
            )

    def _file_problems(self, file_errors, order, status) -> None:
        for error in file_errors:
            self.stdout.write(render(error))
        if status == BatchStatus.NEEDS_DATE_ORDER or order is None:
            self.stdout.write(
                _(
                    "The dates could be day/month or month/day: "
                    "run again with --date-order dmy or mdy."
                )
            )

    def _dry_run(self, kind, data, user, encoding, order):
        report = services.dry_run(
            kind, data, actor=user, encoding=encoding, date_order=order,
            progress=self._progress(_("checking")),
        )  # fmt: skip
        duplicates = sum(1 for _n, result in report.rows if result.duplicates)
        self._summary(len(report.rows), report.rejected, duplicates, report.unmapped)
        self._file_problems(report.file_errors, report.date_order, None)
        self._print_rejections((n, r.errors) for n, r in report.rows if r.errors)
        for number, result in report.rows:
            for candidate in result.duplicates:
                self.stdout.write(
                    _("row %(row)s looks like %(name)s (%(case)s, %(score)s)")
                    % {"row": number, "name": candidate["name"], "case": candidate["case"],
                       "score": candidate["score"]}
                )  # fmt: skip
        if not report.ok:
            raise CommandError(_("Dry run: rows are rejected."), returncode=2)
        self.stdout.write(_("Dry run: every row can be imported; nothing was written."))
