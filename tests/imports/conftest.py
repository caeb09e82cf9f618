"""Helpers for import tests: files built in memory, CSV in any encoding or XLSX."""

import csv
import io

import pytest
from openpyxl import Workbook

from homeward.imports import services
from homeward.imports.choices import BatchStatus
from homeward.imports.reasons import render

CHILD_HEADERS = [
    "child_name", "sex", "date_of_birth", "home_state", "facility", "custody_since",
    "mother_name", "mother_birth_year", "unaccompanied",
]  # fmt: skip


def csv_bytes(rows: list[list], encoding: str = "utf-8", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def child_row(name="Amina Dakaeva", *, born="25/07/2016", state="RU", mother="Zulfiya Dakaeva",
              facility="Rusafa Women's Prison", since="13/02/2018", mother_born="1990",
              unaccompanied="no", sex="female"):  # fmt: skip
    return [name, sex, born, state, facility, since, mother, mother_born, unaccompanied]


def upload_and_check(actor, kind: str, data: bytes, **options):
    batch = services.create_batch(
        actor=actor, kind=kind, filename=f"{kind}.csv", data=data, **options
    )
    return services.analyse_batch(batch)


@pytest.fixture(autouse=True)
def _imports_dir(settings, tmp_path):
    settings.HOMEWARD_IMPORTS_DIR = tmp_path / "imports"


@pytest.fixture
def registrar(users):
    return users["moj.registrar"]


def as_read(errors: list[dict]) -> list[dict]:
    """A row's stored reasons as a reader sees them, in the active language."""
    return [{"column": error["column"], "message": render(error)} for error in errors]


def worded(reasons: list) -> list[str]:
    """A file's stored reasons as a reader sees them, in the active language."""
    return [render(reason) for reason in reasons]


def assert_ready(batch):
    rows = [(row.number, row.errors) for row in batch.rows.all() if row.errors]
    assert (batch.status, batch.file_errors, rows) == (BatchStatus.READY, [], [])


def import_batch(consul):
    """A consul's (empty-ish) replies import, for the scope matrix."""
    data = csv_bytes(
        [["case_reference", "reply", "replied_on"], ["HW-2099-00001", "recognised", "2024"]]
    )
    return upload_and_check(consul, "home_state_replies", data)
