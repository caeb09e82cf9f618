"""Writing an export's plaintext: watermarked, formula-safe CSV and XLSX, built in memory.

The plaintext never touches the disk: it is built here as bytes and encrypted by the service
before anything is written. Every cell a spreadsheet could read as a formula (text starting
with = + - @, a tab or a carriage return) is prefixed with an apostrophe (ASVS 1.2.10), and
every file opens with a watermark naming the requester, the date, the export id and
"CONFIDENTIAL".
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

__all__ = ["FORMULA_PREFIXES", "Watermark", "neutralise", "render_csv", "render_xlsx"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell text, with an apostrophe in front when a spreadsheet would run it.

    Control characters no spreadsheet cell may hold are dropped first, so that none can
    hide a leading "=" from the check.
    """
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class Watermark:
    export_id: str
    requester: str
    created: str  # ISO date and time, UTC
    dataset: str

    @property
    def line(self) -> str:
        return _(
            "CONFIDENTIAL · Homeward export {export_id} · requested by {requester} · "
            "made {created} · do not forward"
        ).format(export_id=self.export_id, requester=self.requester, created=self.created)

    @property
    def notice(self) -> list[str]:
        return [
            _("CONFIDENTIAL"),
            self.line,
            _("Data: {dataset}").format(dataset=self.dataset),
            _(
                "This file holds personal data of children. Keep it on an encrypted device, "
                "share it with nobody outside the purpose it was approved for, and delete it "
                "when that purpose is served."
            ),
        ]


def render_csv(header: list[str], records: Iterable[list], mark: Watermark) -> bytes:
    """RFC 4180 CSV (CRLF, quoted where needed) in UTF-8 with a BOM, which Excel expects.

    Row 1 is the watermark, row 2 the column names, then one row per record.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(mark.line)])
    writer.writerow([neutralise(title) for title in header])
    for record in records:
        writer.writerow([neutralise(value) for value in record])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(header: list[str], records: Iterable[list], mark: Watermark) -> bytes:
    """A workbook: a first "Notice" sheet with the watermark, then the data sheet.

    The watermark is also in the workbook's properties, the data sheet's first row and the
    printed page header and footer. Every cell is written as text. In a right-to-left
    language (Arabic) both sheets read right to left, like the pages.
    """
    rtl = get_language_bidi()
    book = Workbook(write_only=True)
    book.properties.title = _("CONFIDENTIAL")
    book.properties.subject = mark.line
    book.properties.creator = mark.requester
    book.properties.description = mark.line
    book.properties.keywords = f"CONFIDENTIAL {mark.export_id}"
    notice = book.create_sheet(_("Notice"))
    notice.sheet_view.rightToLeft = rtl
    for line in mark.notice:
        notice.append([neutralise(line)])
    data = book.create_sheet(_("Data"))
    data.sheet_view.rightToLeft = rtl
    data.oddHeader.center.text = _("CONFIDENTIAL")
    data.oddFooter.center.text = neutralise(mark.line)
    data.append([neutralise(mark.line)])
    data.append([neutralise(title) for title in header])
    for record in records:
        data.append([neutralise(value) for value in record])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
