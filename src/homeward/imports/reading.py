"""Reading an uploaded register: XLSX (streamed) or CSV in the encodings people send.

`read_table` returns the header row and every data row as text, never evaluating anything:
an XLSX formula comes back as its text ("=HYPERLINK(…)") and the row is then refused by
`formula_cells`. CSV encodings are detected (UTF-8 with or without BOM, Windows-1256 Arabic,
Windows-1251 Cyrillic) unless the user chose one; a file that does not decode in the chosen
or detected encoding is refused as a whole, with the reason.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop

from homeward.imports.reasons import ReasonError

__all__ = [
    "FileError",
    "Table",
    "detect_encoding",
    "formula_cells",
    "max_bytes",
    "max_rows",
    "normalise_header",
    "read_table",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Share of accented Latin letters among the non-ASCII letters of a Windows-1256 reading above
# which the bytes are Cyrillic: Russian's commonest letters (о е а и н т) fall on à è î ê.
CYRILLIC_HINT = 0.2


class FileError(ReasonError):
    """The file as a whole cannot be read; its reason says why (imports.reasons)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    encoding: str = ""


def max_rows() -> int:
    return getattr(settings, "HOMEWARD_IMPORT_MAX_ROWS", 100_000)


def max_bytes() -> int:
    return getattr(settings, "HOMEWARD_IMPORT_MAX_BYTES", 64 * 1024 * 1024)


def normalise_header(text: str) -> str:
    """Headers compare without case, spacing, underscores or Arabic letter variants."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = text.replace("_", " ").replace("ـ", "")
    text = re.sub("[أإآ]", "ا", text).replace("ة", "ه").replace("ى", "ي")
    return " ".join(text.replace("*", " ").split())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def detect_encoding(data: bytes) -> str:
    """utf-8 (BOM or not), cp1251 or cp1256, from the bytes alone."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1251")
    except UnicodeDecodeError:
        return "cp1256"
    text = data.decode("cp1256", errors="replace")
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    accented = sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff")
    return "cp1251" if letters and accented / len(letters) > CYRILLIC_HINT else "cp1256"


def _decode(data: bytes, encoding: str) -> str:
    if b"\x00" in data[:4096]:
        raise FileError(
            gettext_noop(
                "The file is not text in UTF-8, Windows-1256 or Windows-1251 (it holds NUL bytes)."
            )
        )
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except (UnicodeDecodeError, LookupError):
        raise FileError(
            gettext_noop("The file cannot be read as %(encoding)s: choose another encoding."),
            encoding=encoding,
        ) from None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text[:65536]):
        raise FileError(
            gettext_noop("The file holds control characters: it is not text in %(encoding)s."),
            encoding=encoding,
        )
    return text


def _check_rows(count: int) -> None:
    if count > max_rows():
        raise FileError(
            gettext_noop(
                "The file has more than %(limit)s data rows; split it into smaller files."
            ),
            limit=f"{max_rows():,}",
        )


def _read_csv(data: bytes, encoding: str | None) -> Table:
    encoding = encoding or detect_encoding(data)
    text = _decode(data, encoding)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table = Table(headers=[], encoding=encoding)
    for number, cells in enumerate(reader, start=1):
        if not table.headers:
            table.headers = [cell.strip() for cell in cells]
            continue
        if any(cell.strip() for cell in cells):
            table.rows.append((number, cells))
            _check_rows(len(table.rows))
    return table


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - whatever openpyxl objects to, the file is refused
        raise FileError(
            gettext_noop("The file is not a readable Excel workbook (.xlsx).")
        ) from None
    try:
        sheet = book.worksheets[0]
        table = Table(headers=[], encoding="xlsx")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [value if type(value) is str else _cell_text(value) for value in values]
            if not table.headers:
                if any(cells):
                    table.headers = [cell.strip() for cell in cells]
                continue
            if any(cell.strip() for cell in cells):
                table.rows.append((number, cells))
                _check_rows(len(table.rows))
    finally:
        book.close()
    return table


def read_table(data: bytes, *, encoding: str | None = None) -> Table:
    """Headers and data rows of the file's first sheet; FileError when it cannot be read."""
    if len(data) > max_bytes():
        raise FileError(
            gettext_noop("The file is larger than %(limit)s MB."),
            limit=max_bytes() // (1024 * 1024),
        )
    if not data.strip():
        raise FileError(gettext_noop("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise FileError(
            gettext_noop("Old Excel files (.xls) are not read: save the file as .xlsx or CSV.")
        )
    table = _read_xlsx(data) if data.startswith(ZIP_MAGIC) else _read_csv(data, encoding or None)
    if not any(table.headers):
        raise FileError(gettext_noop("The file has no header row."))
    return table


def formula_cells(cells: list[str]) -> list[int]:
    """Indexes of cells a spreadsheet would run as a formula: refused as data."""
    return [index for index, cell in enumerate(cells) if cell and cell.startswith(FORMULA_PREFIXES)]
