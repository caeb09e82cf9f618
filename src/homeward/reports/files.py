"""The public figures as files: CSV, XLSX, JSON and PDF, all from one `PublicFigures`.

Every file carries only what the public page shows: suppressed counts appear as "<5" or
"x", never as numbers, and no file names a facility, a case or a child.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

from django.template.loader import render_to_string
from django.utils import translation

from homeward.reports.public import PublicFigures
from homeward.reports.statement import press_statements

__all__ = ["CONTENT_TYPES", "render_public"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _rows(figures: PublicFigures) -> list[list]:
    """One long table: section, key, label, count as shown."""
    rows = [["section", "key", "label", "children"]]
    rows.append(["total", figures.as_of.isoformat(), "returned", figures.total.shown])
    for month, returned, cumulative in figures.monthly:
        rows.append(["month", month, "returned", returned.shown])
        rows.append(["month", month, "cumulative", cumulative.shown])
    for code, name, total in figures.nationalities:
        rows.append(["nationality", code, name, total.shown])
        for month in figures.months:
            cell = figures.cells[(code, month)]
            if cell.value:
                rows.append(["nationality_month", f"{code} {month}", name, cell.shown])
    for day, code, name, size in figures.operations:
        rows.append(["operation", f"{day.isoformat()} {code}", name, size.shown])
    return rows


def _document(figures: PublicFigures) -> dict:
    body = figures.as_dict()
    body["statement"] = press_statements(figures)
    return body


def render_public(figures: PublicFigures, fmt: str) -> bytes:
    """The figures in `fmt` (csv, json, xlsx, pdf)."""
    if fmt == "json":
        # compact: with an indent the json module falls back to its pure-Python encoder
        return json.dumps(_document(figures), ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(_rows(figures))
        return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheets read UTF-8 Arabic
    if fmt == "xlsx":
        return _xlsx(figures)
    if fmt == "pdf":
        return _pdf(figures)
    raise ValueError(fmt)


def _xlsx(figures: PublicFigures) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "by month"
    sheet.append(["month", "returned", "cumulative"])
    for month, returned, cumulative in figures.monthly:
        sheet.append([month, returned.shown, cumulative.shown])
    sheet = book.create_sheet("by nationality")
    sheet.append(["nationality", "name", "returned", *figures.months])
    for code, name, total in figures.nationalities:
        sheet.append(
            [code, name, total.shown]
            + [
                figures.cells[(code, m)].shown if figures.cells[(code, m)].value else ""
                for m in figures.months
            ]
        )
    sheet = book.create_sheet("operations")
    sheet.append(["date", "nationality", "children"])
    for day, code, _name, size in figures.operations:
        sheet.append([day.isoformat(), code, size.shown])
    sheet = book.create_sheet("statement")
    for language, text in press_statements(figures).items():
        sheet.append([language, text])
    sheet = book.create_sheet("notes")
    sheet.append([f"As of {figures.as_of.isoformat()}; threshold {figures.threshold}."])
    sheet.append(
        [f"<{figures.threshold}: a small count; x: withheld so that it cannot be derived."]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf(figures: PublicFigures) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    html = render_to_string(
        "reports/public_pdf.html",
        {
            "figures": figures,
            "statements": press_statements(figures),
            "chart": public_chart(figures),
            "LANGUAGE_CODE": translation.get_language(),
            "LANGUAGE_BIDI": translation.get_language_bidi(),
        },
    )
    return HTML(string=html).write_pdf()


def public_chart(figures: PublicFigures):
    """The running total by month, drawn through the published (unsuppressed) points only."""
    from django.utils.translation import gettext as _

    from homeward.reports.charts import line_chart

    points = [
        (datetime.date(*map(int, month.split("-")), 1), cumulative.value)
        for month, _n, cumulative in figures.monthly
        if not cumulative.suppressed
    ]
    label = _("Children returned, running total")
    return line_chart(
        label, [day for day, _v in points], {"total": [v for _d, v in points]}, {"total": label}
    )
