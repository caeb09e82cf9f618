"""Import behaviour: every kind's happy path, every rejection, nothing written on failure."""

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.evidence.models import DNAComparison, NationalityDetermination
from homeward.evidence.services import record_nationality_claim
from homeward.imports import events, services
from homeward.imports.choices import BatchStatus
from homeward.imports.kinds import KINDS
from homeward.imports.models import ImportBatch, ImportedRecord
from homeward.imports.reasons import render
from homeward.imports.templates import template_xlsx
from homeward.people.models import CustodyEpisode, Person, Relationship
from tests.imports.conftest import (
    CHILD_HEADERS,
    assert_ready,
    child_row,
    csv_bytes,
    upload_and_check,
    worded,
    xlsx_bytes,
)


def errors_of(batch):
    return {row.number: [e["column"] for e in row.errors] for row in batch.rows.all() if row.errors}


def people_count():
    return Person.objects.count(), Case.objects.count(), Relationship.objects.count()


ARABIC_HEADERS = ["اسم الطفل", "الجنس", "تاريخ الميلاد", "الجنسية المدعاة", "المؤسسة", "محتجز منذ",
                  "اسم الأم", "سنة ميلاد الأم", "غير مصحوب"]  # fmt: skip

# -- children ---------------------------------------------------------------------------------


def test_children_xlsx_commit_links_every_record_to_the_file(registrar, prison):
    data = xlsx_bytes([
        CHILD_HEADERS,
        ARABIC_HEADERS,
        child_row("خديجة داكاييفا", born=datetime.datetime(2016, 7, 10), since="13/02/2018"),
        child_row("Адам Дакаев", sex="male", born="03/2015"),
        child_row("Orphan Girl", mother="", unaccompanied="yes", born="2017", state="Tajikistan"),
    ])  # fmt: skip
    batch = upload_and_check(registrar, "children", data)
    assert_ready(batch)
    assert batch.total_rows == 3 and batch.encoding == "xlsx"
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    children = Person.objects.filter(kind="child")
    assert sorted(children.values_list("dob_precision", flat=True)) == ["day", "month", "year"]
    khadija = Person.objects.get(names__full_text="خديجة داكاييفا")
    assert khadija.date_of_birth == datetime.date(2016, 7, 10)
    assert khadija.case.home_state_id == "RU"
    # the two rows naming the same mother share one mother record
    assert Person.objects.filter(kind="adult").count() == 1
    assert Relationship.objects.filter(relationship_type="mother").count() == 2
    assert CustodyEpisode.objects.filter(facility=prison).count() == 3
    assert Person.objects.get(names__full_text="Orphan Girl").unaccompanied is True
    linked = set(ImportedRecord.objects.filter(batch=batch).values_list("model", flat=True))
    assert linked == {"people.person", "cases.case", "people.relationship"}
    assert (
        ImportedRecord.objects.filter(batch=batch, object_id=str(khadija.pk)).get().row.number == 3
    )
    event = AuditEvent.objects.get(event_type=events.BATCH_COMMITTED)
    assert event.data["rows"] == 3 and event.data["sha256"] == batch.sha256
    assert services.read_original(batch) == data


def test_template_headers_are_read_back(registrar):
    data = template_xlsx(KINDS["children"])
    batch = upload_and_check(registrar, "children", data)
    assert batch.status == BatchStatus.REJECTED
    assert batch.file_errors == [{"msgid": "The file has no data rows.", "params": {}}]


@pytest.mark.parametrize(
    ("encoding", "name", "mother"),
    [
        ("cp1256", "خديجة داكاييفا", "زلفية داكاييفا"),
        ("cp1251", "Хадижат Дакаева", "Зульфия Дакаева"),
    ],
)
def test_windows_code_pages_are_detected(registrar, prison, encoding, name, mother):
    data = csv_bytes(
        [CHILD_HEADERS, child_row(name, mother=mother, facility="", since="")], encoding
    )
    batch = upload_and_check(registrar, "children", data)
    assert_ready(batch)
    assert batch.encoding == encoding
    assert batch.rows.get().values["name"] == name


def test_utf8_with_bom(registrar):
    data = csv_bytes([CHILD_HEADERS, child_row(facility="", since="")], bom=True)
    batch = upload_and_check(registrar, "children", data)
    assert_ready(batch)


def test_bad_encoding_is_refused_as_a_whole(registrar):
    data = csv_bytes([CHILD_HEADERS, child_row("Хадижат", facility="", since="")], "cp1251")
    batch = upload_and_check(registrar, "children", data, encoding="utf-8")
    assert batch.status == BatchStatus.REJECTED
    assert worded(batch.file_errors) == [
        "The file cannot be read as utf-8: choose another encoding."
    ]
    assert batch.rows.count() == 0


def test_ambiguous_dates_ask_for_the_order(registrar, prison):
    rows = [CHILD_HEADERS, child_row(born="10/07/2016", since="01/02/2018")]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert batch.status == BatchStatus.NEEDS_DATE_ORDER
    batch = services.set_batch_options(batch, actor=registrar, date_order="mdy")
    batch = services.analyse_batch(batch)
    assert_ready(batch)
    assert batch.rows.get().values["dob"] == {"date": "2016-10-07", "precision": "day"}


def test_unambiguous_rows_settle_the_order_and_contradicting_rows_are_refused(registrar, prison):
    rows = [CHILD_HEADERS, child_row("A", born="10/07/2016"), child_row("B", born="25/12/2015")]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert (batch.status, batch.date_order) == (BatchStatus.READY, "dmy")
    assert batch.rows.get(number=2).values["dob"]["date"] == "2016-07-10"
    rows.append(child_row("C", born="12/25/2015"))
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert batch.status == BatchStatus.NEEDS_DATE_ORDER  # both orders present: ask
    batch = services.analyse_batch(
        services.set_batch_options(batch, actor=registrar, date_order="dmy")
    )
    assert errors_of(batch) == {4: ["date_of_birth"]}


def test_every_row_rejection_names_its_column_and_nothing_is_written(registrar, prison):
    before = people_count()
    rows = [
        CHILD_HEADERS,
        child_row("Good"),
        child_row("No Mother", mother=""),
        child_row("Nowhere", state="Atlantis"),
        child_row("Good"),  # the same child again
        child_row('=HYPERLINK("http://x")'),
        child_row("Future", born="01/01/2999"),
        child_row("Two digit", born="01/02/16"),
        child_row("Bad day", born="31/02/2016"),
    ]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert batch.status == BatchStatus.REJECTED
    assert errors_of(batch) == {
        3: ["mother_name"],
        4: ["home_state"],
        5: ["child_name"],
        6: ["child_name"],
        7: ["date_of_birth"],
        8: ["date_of_birth"],
        9: ["date_of_birth"],
    }
    assert batch.rejected_rows == 7
    with pytest.raises(Exception, match="dry run"):
        services.queue_commit(batch, actor=registrar)
    assert people_count() == before


def test_too_many_rows(registrar, settings):
    settings.HOMEWARD_IMPORT_MAX_ROWS = 3
    rows = [CHILD_HEADERS] + [child_row(f"Child {n}", facility="", since="") for n in range(4)]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert batch.status == BatchStatus.REJECTED
    assert worded(batch.file_errors) == [
        "The file has more than 3 data rows; split it into smaller files."
    ]


def test_missing_required_column(registrar):
    batch = upload_and_check(registrar, "children", csv_bytes([["child_name"], ["X"]]))
    assert batch.status == BatchStatus.REJECTED
    assert "Claimed nationality / الجنسية المدعاة" in render(batch.file_errors[0])


def test_duplicates_of_registered_people_are_listed_within_scope(users, registry, registrar):
    rows = [CHILD_HEADERS, child_row("خديجة حسينوفا", born="2016-03-01", facility="", since="")]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert_ready(batch)
    row = batch.rows.get()
    assert [d["person"] for d in row.duplicates] == [str(registry["ru_child"].pk)]
    assert batch.duplicate_rows == 1


def test_a_second_import_sees_the_children_the_first_committed(registrar, prison):
    """No look-up is made while no child has a name key (an empty register); the next
    import, with its own context, finds the children the first one wrote."""
    rows = [CHILD_HEADERS, child_row("Khadija Huseinova", born="2016-03-01")]
    first = upload_and_check(registrar, "children", csv_bytes(rows))
    assert_ready(first)
    assert first.duplicate_rows == 0
    first = services.commit_batch(first, actor=registrar)
    assert first.status == BatchStatus.COMMITTED, first.failure
    second = upload_and_check(registrar, "children", csv_bytes(rows))
    child = Person.objects.get(kind="child")
    assert [d["person"] for d in second.rows.get().duplicates] == [str(child.pk)]


def test_a_remembered_date_still_refuses_a_bad_one_each_time():
    from homeward.imports.dates import parse_date

    for _attempt in range(2):
        with pytest.raises(ValueError, match="not a date"):
            parse_date("31/13/2018", "dmy")
    assert parse_date("13/02/2018", "dmy") == parse_date("13/02/2018", "dmy")
    assert parse_date("02/13/2018", "mdy").date == datetime.date(2018, 2, 13)


def test_a_day_the_month_does_not_have_is_refused_as_written():
    from homeward.imports.dates import parse_date

    for text, order in (("31/02/2016", "dmy"), ("02/31/2016", "mdy"), ("2016-02-30", "dmy")):
        with pytest.raises(ValueError) as refused:
            parse_date(text, order)
        assert str(refused.value) == f"“{text}” is not a date."


def test_failed_commit_rolls_everything_back(registrar, prison, monkeypatch):
    rows = [CHILD_HEADERS, child_row("One"), child_row("Two"), child_row("Three")]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    assert_ready(batch)
    before, events_before = people_count(), AuditEvent.objects.count()
    from homeward.imports.kinds.children import ChildrenKind

    original = ChildrenKind.commit

    def failing(self, values, ctx, *, source):
        if values["name"] == "Three":
            from django.core.exceptions import ValidationError

            raise ValidationError("the facility closed")
        return original(self, values, ctx, source=source)

    monkeypatch.setattr(ChildrenKind, "commit", failing)
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure == "Row 4: the facility closed"
    assert people_count() == before
    assert ImportedRecord.objects.count() == 0
    assert list(AuditEvent.objects.order_by("seq").values_list("event_type", flat=True))[
        events_before:
    ] == [events.BATCH_COMMIT_FAILED]


def test_fifty_thousand_rows_dry_run(registrar, settings):
    settings.HOMEWARD_IMPORT_MAX_ROWS = 50_000
    rows = [CHILD_HEADERS] + [
        child_row(f"Child {n}", mother=f"Mother {n}", facility="", since="", born="2016")
        for n in range(50_000)
    ]
    batch = upload_and_check(registrar, "children", xlsx_bytes(rows))
    assert_ready(batch)
    assert (batch.total_rows, batch.analysed_rows, batch.rows.count()) == (50_000, 50_000, 50_000)
    assert Person.objects.count() == 0
    rows.append(child_row("One too many", facility="", since=""))
    batch = upload_and_check(registrar, "children", xlsx_bytes(rows))
    assert batch.status == BatchStatus.REJECTED


# -- other kinds ------------------------------------------------------------------------------


def test_custody_moves(users, registry, registrar, orphanage):
    reference = registry["ru_child"].case.reference
    rows = [["case_reference", "facility", "since", "legal_basis"],
            [reference, "Dar al-Hanan Orphanage", "2020-05-01", "Order 12/2020"],
            ["HW-1999-99999", "Dar al-Hanan Orphanage", "2020-05-01", ""]]  # fmt: skip
    batch = upload_and_check(registrar, "custody", csv_bytes(rows))
    assert errors_of(batch) == {3: ["case_reference"]}
    batch = upload_and_check(registrar, "custody", csv_bytes(rows[:2]))
    assert_ready(batch)
    assert batch.rows.get().action == "update"
    assert services.commit_batch(batch, actor=registrar).status == BatchStatus.COMMITTED
    current = CustodyEpisode.objects.get(child=registry["ru_child"], ended_on__isnull=True)
    assert (current.facility, current.legal_basis) == (orphanage, "Order 12/2020")


def test_dna_results(users, registry):
    lab = users["moh.lab"]
    reference = registry["ru_child"].case.reference
    rows = [["case_reference", "relative", "hypothesis", "method", "lab", "collected_on",
             "reported_on", "conclusion", "statistic_kind", "statistic"],
            [reference, "mother", "mother_child", "autosomal_str", "MoH Baghdad", "2020-01-10",
             "2020-02-01", "supported", "probability", "0.9999"]]  # fmt: skip
    batch = upload_and_check(lab, "dna_results", csv_bytes(rows))
    assert_ready(batch)
    assert services.commit_batch(batch, actor=lab).status == BatchStatus.COMMITTED
    comparison = DNAComparison.objects.get(case=registry["ru_child"].case)
    assert comparison.samples.count() == 2
    assert comparison.sealed_result.conclusion == "supported"


def _claim(users, child, state="RU"):
    claim = record_nationality_claim(
        child.case, actor=users["mfa.officer"], claimed_state=HomeState.objects.get(code=state),
        basis="mother_national", claimed_by="mother",
        notified_on=datetime.date(2020, 1, 5), notification_reference="NV-1",
    )  # fmt: skip
    return claim


def test_home_state_replies_by_the_consul_for_own_state_only(users, registry):
    consul = users["consul.ru"]
    claim = _claim(users, registry["ru_child"])
    _claim(users, registry["tj_child"], "TJ")
    rows = [["case_reference", "reply", "replied_on", "instrument_reference"],
            [registry["ru_child"].case.reference, "recognised", "2021-03-01", "NV-77"],
            [registry["tj_child"].case.reference, "recognised", "2021-03-01", "NV-78"]]  # fmt: skip
    batch = upload_and_check(consul, "home_state_replies", csv_bytes(rows))
    # the Tajik case is "not found", exactly as a missing one
    assert batch.rows.get(number=3).errors == [
        {"column": "case_reference", "msgid": "No case with the reference “%(value)s”.",
         "params": {"value": registry["tj_child"].case.reference}}
    ]  # fmt: skip
    assert batch.home_state_id == "RU"
    batch = upload_and_check(consul, "home_state_replies", csv_bytes(rows[:2]))
    assert services.commit_batch(batch, actor=consul).status == BatchStatus.COMMITTED
    claim.refresh_from_db()
    assert claim.status == "confirmed"
    assert NationalityDetermination.objects.get(claim=claim).instrument_reference == "NV-77"
    # a consul may import nothing else
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.create_batch(actor=consul, kind="children", filename="x.csv", data=b"x")


def test_primero_export(users, prison):
    officer = users["mfa.officer"]
    rows = [["case_id_display", "name_first", "name_last", "name_nickname", "sex", "age",
             "nationality", "unaccompanied_separated_status", "family_details_section.0.relation",
             "family_details_section.0.relation_name", "protection_concerns"],
            ["ab12cd", "Aisha", "Bekova", "Asya", "female", "6", "Kazakhstan", "separated",
             "mother", "Madina Bekova", "detention"]]  # fmt: skip
    batch = upload_and_check(officer, "primero_cases", csv_bytes(rows))
    assert_ready(batch)
    assert batch.unmapped_columns == ["protection_concerns"]
    assert services.commit_batch(batch, actor=officer).status == BatchStatus.COMMITTED
    child = Person.objects.get(names__full_text="Aisha Bekova")
    assert child.dob_precision == "year" and child.case.home_state_id == "KZ"
    assert sorted(child.names.values_list("name_type", flat=True)) == ["alias", "declared_by_child"]
    assert child.relationships.get().relative.display_name == "Madina Bekova"


# -- CLI --------------------------------------------------------------------------------------


def test_cli_dry_run_writes_nothing_and_exits_non_zero_on_rejection(registrar, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([CHILD_HEADERS, child_row("X", mother="", facility="", since="")]))
    events_before = AuditEvent.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("import", "children", str(path), "--dry-run", "--as", "moj.registrar")
    assert raised.value.returncode == 2
    assert "row 2, mother_name" in capsys.readouterr().out
    assert (ImportBatch.objects.count(), AuditEvent.objects.count()) == (0, events_before)


def test_cli_commits(registrar, prison, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([CHILD_HEADERS, child_row()]))
    call_command("import", "children", str(path), "--as", "moj.registrar", "--date-order", "dmy")
    assert "Committed 1 rows." in capsys.readouterr().out
    assert Person.objects.filter(kind="child").count() == 1


# -- killed midway ----------------------------------------------------------------------------

KILL_SCRIPT = """
import os, signal, sys
import django
django.setup()
from homeward.imports.kinds.children import ChildrenKind
from homeward.imports.models import ImportBatch
from homeward.imports import services
original, seen = ChildrenKind.commit, []
def commit(self, values, ctx, *, source):
    seen.append(1)
    if len(seen) == 3:
        os.kill(os.getpid(), signal.SIGKILL)   # killed in the middle of the transaction
    return original(self, values, ctx, source=source)
ChildrenKind.commit = commit
services.commit_batch(ImportBatch.objects.get(pk=sys.argv[1]))
"""


@pytest.mark.django_db(transaction=True)
def test_killed_commit_leaves_nothing(registrar, prison, settings, tmp_path):
    from django.db import connection

    rows = [CHILD_HEADERS] + [child_row(f"Child {n}") for n in range(5)]
    batch = upload_and_check(registrar, "children", csv_bytes(rows))
    services.queue_commit(batch, actor=registrar)
    before = people_count(), AuditEvent.objects.count()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
           "HOMEWARD_KEYRING": str(settings.HOMEWARD_KEYRING),
           "HOMEWARD_DATA_DIR": str(tmp_path / "child-data")}  # fmt: skip
    env.update(_database_env(connection))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", KILL_SCRIPT, str(batch.pk)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]
    assert (people_count(), AuditEvent.objects.count()) == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTING  # the worker will run it again
    # and running it again completes it
    batch = services.commit_batch(batch)
    assert batch.status == BatchStatus.COMMITTED
    assert Person.objects.filter(kind="child").count() == 5


def _database_env(connection) -> dict:
    """DATABASE_URL of the test database, for a second process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{params['NAME']}"}
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"}
