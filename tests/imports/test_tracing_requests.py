"""The `tracing_requests` import kind (issue 9 §1): template, dry run, all-or-nothing commit
through `matching.services`, the CLI."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from homeward.audit.models import AuditEvent
from homeward.imports import services
from homeward.imports.choices import BatchStatus
from homeward.imports.kinds import KINDS, importable_kinds
from homeward.imports.models import ImportBatch
from homeward.imports.templates import template_xlsx
from homeward.matching import events
from homeward.matching.models import TracingRequest
from tests.imports.conftest import as_read, assert_ready, csv_bytes, upload_and_check

pytestmark = pytest.mark.django_db

HEADERS = [
    "home_state", "channel", "channel_reference", "received_on", "child_name", "child_sex",
    "child_birth_year", "mother_name", "mother_birth_year", "requester_name",
    "requester_relationship",
]  # fmt: skip


def row(child="Хадижат Гусейнова", *, state="RU", reference="ICRC-77", received="02/03/2024",
        sex="female", born="2016", mother="Зульфия Гусейнова", mother_born="1992",
        requester="Патимат Гусейнова", relationship="grandparent_maternal"):  # fmt: skip
    return [state, "icrc", reference, received, child, sex, born, mother, mother_born,
            requester, relationship]  # fmt: skip


def test_the_template_has_english_and_arabic_headers():
    sheet = load_workbook(__import__("io").BytesIO(template_xlsx(KINDS["tracing_requests"])))[
        "data"
    ]
    english = [cell.value for cell in sheet[1]]
    arabic = [cell.value for cell in sheet[2]]
    assert english[:5] == [
        "Home state", "Received through", "Their reference", "Received on", "Child's name",
    ]  # fmt: skip
    assert arabic[:5] == ["دولة المنشأ", "وردت عن طريق", "مرجعهم", "تاريخ الاستلام", "اسم الطفل"]
    assert len(english) == len(arabic) == 16


def test_who_may_import_tracing_requests(users):
    assert "tracing_requests" in {kind.code for kind in importable_kinds(users["mfa.officer"])}
    assert "tracing_requests" in {kind.code for kind in importable_kinds(users["consul.ru"])}
    assert "tracing_requests" not in {
        kind.code for kind in importable_kinds(users["moj.registrar"])
    }


def test_a_list_is_dry_run_then_committed_through_the_service(users, registry):
    officer = users["mfa.officer"]
    data = csv_bytes([HEADERS, row(), row("Fatima Rahimova", state="TJ", reference="ICRC-78",
                                         mother="", mother_born="", requester="Karim Rahimov",
                                         relationship="father")])  # fmt: skip
    batch = upload_and_check(officer, "tracing_requests", data, date_order="dmy")
    assert_ready(batch)
    assert TracingRequest.objects.count() == 0  # the dry run writes nothing
    committed = services.commit_batch(batch, actor=officer)
    assert committed.status == BatchStatus.COMMITTED
    requests = list(TracingRequest.objects.order_by("channel_reference"))
    assert [(r.home_state_id, r.channel, r.channel_reference, r.child_name) for r in requests] == [
        ("RU", "icrc", "ICRC-77", "Хадижат Гусейнова"),
        ("TJ", "icrc", "ICRC-78", "Fatima Rahimova"),
    ]
    first = requests[0]
    assert (first.received_on.isoformat(), first.child_birth_year, first.mother_birth_year) == (
        "2024-03-02",
        2016,
        1992,
    )
    assert (first.requester_relationship, first.filed_by) == ("grandparent_maternal", officer)
    filed = AuditEvent.objects.filter(event_type=events.TRACING_FILED)
    assert filed.count() == 2
    assert sorted(event.data["channel_reference"] for event in filed) == ["ICRC-77", "ICRC-78"]
    # each request is linked to the file it came from
    assert committed.records.count() == 2


def test_every_wrong_row_is_reported_and_nothing_is_written(users, registry):
    officer = users["mfa.officer"]
    data = csv_bytes([
        HEADERS,
        row(),
        row(reference="ICRC-77"),  # the same request twice
        row("Amina", state="Atlantis", reference="A-1"),
        row("Aisha", reference="A-2", born="2016", mother_born="2018"),
        row("Zara", reference="A-3", relationship="neighbour", sex="x"),
        row("Maryam", reference="A-4", received="01/01/2099", born="20x6"),
    ])  # fmt: skip
    batch = upload_and_check(officer, "tracing_requests", data, date_order="dmy")
    assert batch.status == BatchStatus.REJECTED
    errors = {row.number: as_read(row.errors) for row in batch.rows.all() if row.errors}
    assert errors == {
        3: [{"column": "channel_reference", "message": "The same request is already in row 2."}],
        4: [{"column": "home_state", "message": "“Atlantis” is not a known home state."}],
        5: [{"column": "mother_birth_year",
             "message": "The mother cannot be born after the child."}],
        6: [
            {"column": "requester_relationship",
             "message": "“neighbour” is not one of: " + ", ".join(
                 __import__("homeward.people.choices", fromlist=["x"]).RelationshipType.values
             ) + "."},
            {"column": "child_sex", "message": "Write female or male, or leave it empty."},
        ],
        7: [
            {"column": "received_on", "message": "This date is in the future."},
            {"column": "child_birth_year", "message": "Write a year, e.g. 2016."},
        ],
    }  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017 - a rejected batch does not commit
        services.commit_batch(batch, actor=officer)
    assert TracingRequest.objects.count() == 0


def test_a_consul_imports_for_its_own_state_only(users, registry):
    consul = users["consul.ru"]
    own = csv_bytes([HEADERS, row(state="")])
    batch = upload_and_check(consul, "tracing_requests", own, date_order="dmy")
    assert_ready(batch)
    assert services.commit_batch(batch, actor=consul).status == BatchStatus.COMMITTED
    assert TracingRequest.objects.get().home_state_id == "RU"
    other = csv_bytes([HEADERS, row(state="TJ", reference="ICRC-99")])
    batch = upload_and_check(consul, "tracing_requests", other, date_order="dmy")
    assert [as_read(r.errors) for r in batch.rows.all()] == [
        [{"column": "home_state", "message": "You may file requests only for your own state."}]
    ]
    # filed already: the same reference again is refused
    again = upload_and_check(consul, "tracing_requests", own, date_order="dmy")
    reference = TracingRequest.objects.get().reference
    assert [as_read(r.errors) for r in again.rows.all()] == [
        [{"column": "channel_reference",
          "message": f"This request was already filed as {reference}."}]
    ]  # fmt: skip


def test_cli_dry_run_and_commit(users, registry, tmp_path, capsys):
    path = tmp_path / "tracing.csv"
    path.write_bytes(csv_bytes([HEADERS, row(), row(reference="ICRC-77")]))
    with pytest.raises(CommandError) as raised:
        call_command(
            "import", "tracing_requests", str(path), "--as", "mfa.officer", "--date-order", "dmy"
        )
    assert raised.value.returncode == 2
    assert "row 3, channel_reference" in capsys.readouterr().out
    assert TracingRequest.objects.count() == 0
    path.write_bytes(csv_bytes([HEADERS, row()]))
    call_command(
        "import", "tracing_requests", str(path), "--dry-run", "--as", "mfa.officer",
        "--date-order", "dmy",
    )  # fmt: skip
    # the dry run kept no batch (the rejected import above kept its file, as every import does)
    assert (TracingRequest.objects.count(), ImportBatch.objects.count()) == (0, 1)
    call_command(
        "import", "tracing_requests", str(path), "--as", "mfa.officer", "--date-order", "dmy"
    )
    assert "Committed 1 rows." in capsys.readouterr().out
    assert TracingRequest.objects.get().channel_reference == "ICRC-77"
