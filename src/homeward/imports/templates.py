"""The downloadable XLSX template of a kind: English headers, Arabic headers under them, and a
second sheet explaining every column in both languages. The reader skips the Arabic row."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from homeward.imports.kinds import Kind

__all__ = ["template_xlsx"]


def template_xlsx(kind: Kind) -> bytes:
    book = Workbook()
    data = book.active
    data.title = "data"
    with translation.override("en"):
        english = [str(column.en) for column in kind.columns]
        notes_en = [str(column.help) for column in kind.columns]
    data.append(english)
    data.append([column.ar for column in kind.columns])
    for cell in (*data[1], *data[2]):
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for index, _column in enumerate(kind.columns, start=1):
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = 24
    notes = book.create_sheet("notes")
    notes.append([_("Column (English)"), _("Column (Arabic)"), _("Required"), _("Notes")])
    for column, english_note, header in zip(kind.columns, notes_en, english, strict=True):
        notes.append([header, column.ar, _("yes") if column.required else _("no"), english_note])
    notes.append([])
    for line in (
        _("Row 1 holds the English headers and row 2 the Arabic ones; either may be used alone."),
        _("Dates: dd/mm/yyyy, mm/yyyy or yyyy; yyyy-mm-dd is always read correctly."),
        _("Cells starting with =, +, -, @ are refused: type text, not formulas."),
    ):
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
