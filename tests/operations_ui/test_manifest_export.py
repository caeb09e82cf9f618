"""The manifest file for the receiving state: through the exports app, four-eyes, encrypted,
with exactly the columns the state is entitled to and a disclosure recorded per child."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from homeward.disclosures.models import Disclosure
from homeward.exports import services
from homeward.exports.choices import Dataset, ExportFormat, ExportState, PurposeCategory
from tests.exports.conftest import decrypt, make_supervisor
from tests.operations_ui.conftest import frozen_with, tajik_operation

pytestmark = pytest.mark.django_db

PURPOSE = "Manifest for the Embassy of Russia before the flight"
COLUMNS = [
    "No.",
    "Operation",
    "Case reference",
    "Name (Arabic script)",
    "Name (home-state script)",
    "Sex",
    "Date or year of birth",
    "Travel document number",
    "Travel document valid until",
    "Travels with (case reference)",
    "Escort",
    "Medical needs",
]


def _request(actor, operation):
    return services.request_export(
        actor=actor,
        dataset=Dataset.OPERATION_MANIFEST,
        file_format=ExportFormat.CSV,
        purpose_category=PurposeCategory.HOME_STATE,
        purpose=PURPOSE,
        operation=operation,
    )


@pytest.fixture
def approver(users):
    return make_supervisor("mfa.supervisor.exports")


def test_manifest_file_has_only_the_entitled_columns_and_records_disclosures(
    world, flight, approver, settings, tmp_path
):
    settings.HOMEWARD_EXPORTS_DIR = tmp_path / "exports"
    officer = world["mfa.officer"]
    operation = frozen_with(world, flight["operation"], [flight["amina"], flight["yusuf"]])
    # when the officer asks for the manifest file, it waits for a second person
    export = _request(officer, operation)
    assert (export.state, export.needs_approval, export.row_count) == (
        ExportState.REQUESTED,
        True,
        2,
    )
    assert export.filter_operation == operation
    assert list(export.home_states.values_list("code", flat=True)) == ["RU"]
    export = services.approve_export(export, actor=approver, note="ok")
    assert not Disclosure.objects.exists()
    # and when the file is made
    prepared = services.generate_export(export, actor=officer)
    text = decrypt(prepared.export.path.read_bytes(), prepared.passphrase).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = next(row for row in rows if row and row[0] == "No.")
    # then it holds exactly the columns the receiving state is entitled to
    assert header == COLUMNS
    body = rows[rows.index(header) + 1 :]
    amina = flight["amina"]
    assert body[0] == [
        "1",
        operation.reference,
        amina.reference,
        "أمينة",
        "",
        "Female",
        "2016-03-01",
        f"P-{amina.reference}",
        body[0][8],
        "",
        "",
        "no",
    ]
    assert len(body) == 2
    # and one disclosure per child, to Russia, approved by the export's approver
    disclosures = Disclosure.objects.order_by("case__reference")
    assert [(d.case_id, d.recipient_state_id, d.approved_by_id) for d in disclosures] == sorted(
        [(amina.pk, "RU", approver.pk), (flight["yusuf"].pk, "RU", approver.pk)],
        key=lambda row: next(c.reference for c in (amina, flight["yusuf"]) if c.pk == row[0]),
    )
    assert all(d.categories == ["case", "identity"] for d in disclosures)


def test_a_manifest_needs_an_operation_in_scope_and_the_disclosure_grant(world, flight):
    tajik = tajik_operation(world)
    with pytest.raises(ValidationError) as refused:
        _request(world["mfa.officer"], None)
    assert "operation" in refused.value.message_dict
    # a Russian consul may not record disclosures: no manifest file for them
    with pytest.raises(ValidationError) as refused:
        _request(world["consul.ru"], flight["operation"])
    assert "dataset" in refused.value.message_dict
    # an operation outside the requester's scope is refused like a missing one
    from homeward.accounts.models import User

    ru_officer = User.objects.get(pk=world["mfa.officer"].pk)
    ru_officer.all_home_states = False
    ru_officer.save(update_fields=["all_home_states"])
    ru_officer.home_states.set(["RU"])
    ru_officer = User.objects.get(pk=ru_officer.pk)
    with pytest.raises(ValidationError) as refused:
        _request(ru_officer, tajik)
    assert "operation" in refused.value.message_dict
