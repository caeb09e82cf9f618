"""The list pages as exports: each list's rows under its filters, in the columns the role may see.

Every file here goes the whole way: request (with the list's filters) → approval by a second
person → encrypted file → one-time link → decrypted and parsed, so the values asserted are
the bytes a requester would open.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.exports import events, services
from homeward.exports.choices import Dataset, ExportFormat, PurposeCategory
from homeward.exports.models import ExportRequest
from homeward.matching.models import DuplicateCandidate
from homeward.matching.services import create_tracing_request
from homeward.operations import models as ops
from tests.adults.conftest import convicted_case, days_ahead, register_mother
from tests.exports.conftest import FORMULA, PURPOSE, decrypt, formula_cells, xlsx_cells
from tests.judicial.conftest import granted_request

pytestmark = pytest.mark.django_db

WATERMARK_ROWS = 1  # the first row of every file is the watermark


def ask(actor, dataset, filters=None, file_format=ExportFormat.CSV) -> ExportRequest:
    return services.request_export(
        actor=actor,
        dataset=dataset,
        file_format=file_format,
        purpose_category=PurposeCategory.CASE_WORK,
        purpose=PURPOSE,
        filters=filters,
    )


def file_of(export: ExportRequest, approver) -> bytes:
    """Approve (if it waits), prepare, download once and decrypt: the plaintext bytes."""
    if export.state == "requested":
        export = services.approve_export(export, actor=approver, note="ok")
    requester = export.requester
    prepared = services.generate_export(export, actor=requester)
    link = services.find_link(prepared.token, actor=requester)
    _export, ciphertext = services.consume_download_link(link, actor=requester)
    return decrypt(ciphertext, prepared.passphrase)


def csv_table(plaintext: bytes) -> list[list[str]]:
    """Header and rows of a CSV export (the watermark row dropped)."""
    rows = list(csv.reader(io.StringIO(plaintext.decode("utf-8-sig"), newline="")))
    assert rows[0][0].startswith("CONFIDENTIAL · Homeward export ")
    return rows[WATERMARK_ROWS:]


def exported(actor, approver, dataset, filters=None) -> list[list[str]]:
    return csv_table(file_of(ask(actor, dataset, filters), approver))


@pytest.fixture
def approver(supervisors):
    return supervisors["first"]


# -- adult cases ------------------------------------------------------------------------------


@pytest.fixture
def adult_cases(users, registry):
    officer = users["mfa.officer"]
    tj_mother = register_mother(officer, name="زرينة رحيموفا", child=registry["tj_child"])
    return {
        "ru": convicted_case(officer, registry["ru_mother"], "RU"),
        "tj": convicted_case(officer, tj_mother, "TJ", release_in_days=200),
    }


ADULT_HEADER = ["Reference", "Name", "Home state", "Legal status"]
ADULT_TAIL = ["Expected release", "Route home"]
UND = "Not decided yet"


def test_adult_cases_the_sentence_is_only_in_a_file_of_a_criminal_record_holder(
    users, adult_cases, approver
):
    ru, tj = adult_cases["ru"], adult_cases["tj"]
    convicted = "Convicted, serving the sentence"
    # the MFA officer does not hold evidence.view_criminal_record: no sentence column
    officer_file = exported(users["mfa.officer"], approver, Dataset.ADULT_CASES)
    assert officer_file == [
        ADULT_HEADER + ADULT_TAIL,
        *sorted(
            [
                [ru.reference, "زلفية حسينوفا", "RU", convicted, days_ahead(40).isoformat(), UND],
                [tj.reference, "زرينة رحيموفا", "TJ", convicted, days_ahead(200).isoformat(), UND],
            ]
        ),
    ]
    # the MoJ registrar holds it: the sentence is there
    registrar_file = exported(users["moj.registrar"], approver, Dataset.ADULT_CASES)
    assert registrar_file[0] == [*ADULT_HEADER, "Sentence", *ADULT_TAIL]
    assert sorted(row[4] for row in registrar_file[1:]) == ["Fixed term", "Fixed term"]


def test_a_consuls_adult_cases_file_holds_only_its_nationals(users, adult_cases, approver):
    rows = exported(users["consul.ru"], approver, Dataset.ADULT_CASES)
    assert [row[0] for row in rows[1:]] == [adult_cases["ru"].reference]
    assert "Sentence" not in rows[0]


def test_a_role_that_cannot_open_the_list_cannot_export_it(users, adult_cases):
    # MOLSA's carer requests exports but has no adult cases page
    with pytest.raises(ValidationError) as error:
        ask(users["molsa.carer"], Dataset.ADULT_CASES)
    assert list(error.value.message_dict) == ["dataset"]
    assert ExportRequest.objects.count() == 0


# -- requests for evidence --------------------------------------------------------------------


def test_evidence_requests_file_per_role(users, adult_cases, approver):
    ru = granted_request(users, adult_cases["ru"], reference="RU-2024/17")
    tj = granted_request(users, adult_cases["tj"], reference="TJ-2024/3")
    received = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    header = ["Reference", "Home state", "Person concerned", "Received", "Deadline", "Status"]
    assert exported(users["consul.ru"], approver, Dataset.EVIDENCE_REQUESTS) == [
        header,
        ["RU-2024/17", "RU", "زلفية حسينوفا", received, "", "Granted"],
    ]
    officer_rows = exported(users["mfa.officer"], approver, Dataset.EVIDENCE_REQUESTS)
    assert sorted(row[0] for row in officer_rows[1:]) == sorted(
        [ru.their_reference, tj.their_reference]
    )


# -- operations and follow-ups ----------------------------------------------------------------


@pytest.fixture
def operations(users, registry):
    officer = users["mfa.officer"]
    made = {}
    for code, child, planned in (
        ("RU", registry["ru_child"], datetime.date(2026, 6, 10)),
        ("TJ", registry["tj_child"], datetime.date(2025, 3, 2)),
    ):
        made[code] = ops.Operation.objects.create(
            reference=f"{code}-OP",
            home_state=HomeState.objects.get(code=code),
            planned_date=planned,
            created_by=officer,
        )
        ops.FollowUpReport.objects.create(case=child.case, due_date=planned)
    return made


OPERATION_HEADER = [
    "Reference",
    "Home state",
    "Planned date",
    "Actual date",
    "Status",
    "Children planned",
    "Children returned",
]


def test_operations_file_in_the_lists_order_and_under_its_filters(users, operations, approver):
    officer = users["mfa.officer"]
    # no filter: every operation, by planned date (the list's order)
    assert exported(officer, approver, Dataset.OPERATIONS) == [
        OPERATION_HEADER,
        ["TJ-OP", "TJ", "2025-03-02", "", "Proposed", "", ""],
        ["RU-OP", "RU", "2026-06-10", "", "Proposed", "", ""],
    ]
    # the list's filters, as its querystring gives them
    export = ask(officer, Dataset.OPERATIONS, {"home_state": "RU", "status": "", "year": "2026"})
    assert export.filters == {"home_state": "RU", "year": "2026"}
    assert export.record_ids == [str(operations["RU"].pk)]
    assert ask(officer, Dataset.OPERATIONS, {"year": "2025"}).record_ids == [
        str(operations["TJ"].pk)
    ]
    # and the request's audit event names them
    event = AuditEvent.objects.filter(
        event_type=events.EXPORT_REQUESTED, object_id=str(export.pk)
    ).get()
    assert event.data["filters"] == {"home_state": "RU", "year": "2026"}
    assert (event.data["dataset"], event.data["rows"]) == ("operations", 1)


def test_a_filter_the_list_would_refuse_is_refused(users, operations):
    officer = users["mfa.officer"]
    for bad in ({"year": "soon"}, {"status": "flying"}):
        with pytest.raises(ValidationError) as error:
            ask(officer, Dataset.OPERATIONS, bad)
        assert list(error.value.message_dict) == ["filters"]
    # a consul cannot name another state: the list's form offers only its own
    with pytest.raises(ValidationError):
        ask(users["consul.ru"], Dataset.OPERATIONS, {"home_state": "TJ"})
    assert ExportRequest.objects.count() == 0


def test_a_list_export_takes_no_registry_filters(users, operations):
    with pytest.raises(ValidationError) as error:
        services.request_export(
            actor=users["mfa.officer"],
            dataset=Dataset.OPERATIONS,
            file_format=ExportFormat.CSV,
            purpose_category=PurposeCategory.CASE_WORK,
            purpose=PURPOSE,
            status="CLOSED",
        )
    assert list(error.value.message_dict) == ["dataset"]


def test_follow_ups_file_of_a_consul(users, registry, operations, approver):
    assert exported(users["consul.ru"], approver, Dataset.FOLLOW_UPS) == [
        ["Case", "Home state", "Due", "State", "Received", "Placement"],
        [registry["ru_child"].case.reference, "RU", "2026-06-10", "Overdue", "", ""],
    ]


# -- tracing requests -------------------------------------------------------------------------


def file_tracing(actor, state, child_name, **fields):
    values = {
        "home_state": HomeState.objects.get(code=state),
        "channel": "embassy",
        "channel_reference": f"{state}/114",
        "received_on": datetime.date(2026, 9, 1),
        "child_name": child_name,
        "child_sex": "female",
        "child_birth_year": 2016,
        "requester_name": "Патимат Гусейнова",
        "requester_relationship": "grandparent_maternal",
    }
    values.update(fields)
    return create_tracing_request(actor=actor, **values)


TRACING_HEADER = [
    "Reference",
    "Child sought",
    "Birth year",
    "Home state",
    "Received through",
    "Their reference",
    "Received on",
    "Candidates to review",
]


def test_tracing_requests_file_per_role_and_status(users, registry, approver):
    officer = users["mfa.officer"]
    ru = file_tracing(officer, "RU", "Зарема Ахмедова")
    tj = file_tracing(officer, "TJ", "Мадина Каримова")
    # the consul's file (status: open, the list's default) holds its state's request only;
    # the relative's name and address never are columns
    rows = exported(users["consul.ru"], approver, Dataset.TRACING_REQUESTS)
    assert rows[0] == TRACING_HEADER
    assert [row[:7] for row in rows[1:]] == [
        [
            ru.reference,
            "Зарема Ахмедова",
            "2016",
            "RU",
            "Embassy or consulate",
            "RU/114",
            "2026-09-01",
        ]
    ]
    # a status the list shows carries over: nothing is "matched" yet
    assert ask(officer, Dataset.TRACING_REQUESTS, {"status": "matched"}).record_ids == []
    assert sorted(ask(officer, Dataset.TRACING_REQUESTS, {"status": "open"}).record_ids) == sorted(
        [str(ru.pk), str(tj.pk)]
    )


def test_a_new_lists_xlsx_is_formula_safe(users, registry, approver):
    # given a tracing request whose child's name is a spreadsheet formula
    file_tracing(users["mfa.officer"], "RU", FORMULA, channel_reference="@SUM(1+1)")
    export = ask(users["consul.ru"], Dataset.TRACING_REQUESTS, file_format=ExportFormat.XLSX)
    plaintext = file_of(export, approver)
    # then no cell is a formula, and both are written as text behind an apostrophe
    assert formula_cells(plaintext) == []
    data = xlsx_cells(plaintext)["Data"]
    assert data[1] == TRACING_HEADER
    assert (data[2][1], data[2][5]) == ("'" + FORMULA, "'@SUM(1+1)")


def test_in_arabic_the_sheets_read_right_to_left(users, registry, approver):
    file_tracing(users["mfa.officer"], "RU", "Зарема Ахмедова")
    export = services.approve_export(
        ask(users["consul.ru"], Dataset.TRACING_REQUESTS, file_format=ExportFormat.XLSX),
        actor=approver,
    )
    with translation.override("ar"):
        arabic, _rows = services.build_plaintext(export, created=timezone.now())
        reference = str(translation.gettext("Reference"))
    with translation.override("en"):
        english, _rows = services.build_plaintext(export, created=timezone.now())
    arabic_book = openpyxl.load_workbook(io.BytesIO(arabic))
    assert [sheet.sheet_view.rightToLeft for sheet in arabic_book.worksheets] == [True, True]
    assert arabic_book.worksheets[1]["A2"].value == reference != "Reference"
    english_book = openpyxl.load_workbook(io.BytesIO(english))
    assert [bool(sheet.sheet_view.rightToLeft) for sheet in english_book.worksheets] == [
        False,
        False,
    ]


# -- possible duplicates ----------------------------------------------------------------------


def pair(first, second, score):
    left, right = sorted([first, second], key=lambda person: str(person.pk))
    return DuplicateCandidate.objects.create(left=left, right=right, score=score)


def test_duplicates_file_masks_names_as_the_list_does(users, registry, approver):
    ru_child, ru_brother, tj_child = (registry[k] for k in ("ru_child", "ru_brother", "tj_child"))
    # each record as the list shows it: masked name, birth year, case reference
    shown = {
        ru_child.pk: ["خ*** ح***", "2016", ru_child.case.reference],
        ru_brother.pk: ["آ*** ح***", "2014", ru_brother.case.reference],
        tj_child.pk: ["ف*** ر***", "2017", tj_child.case.reference],
    }
    ru_pair = pair(ru_child, ru_brother, 0.912)
    mixed = pair(tj_child, ru_brother, 0.7)
    plaintext = file_of(ask(users["mfa.officer"], Dataset.DUPLICATES), approver)
    assert csv_table(plaintext) == [
        [
            "Record (masked name)",
            "Birth year",
            "Case reference",
            "Other record (masked name)",
            "Other record's birth year",
            "Other record's case reference",
            "Score",
            "Status",
        ],
        [*shown[ru_pair.left_id], *shown[ru_pair.right_id], "0.91", "Proposed"],
        [*shown[mixed.left_id], *shown[mixed.right_id], "0.70", "Proposed"],
    ]
    assert "حسينوفا".encode() not in plaintext
    # the consul sees only the pair both of whose records are Russian
    consul_rows = exported(users["consul.ru"], approver, Dataset.DUPLICATES)
    assert [row[2] for row in consul_rows[1:]] == [shown[ru_pair.left_id][2]]
    # the status filter of the list carries over
    assert ask(users["mfa.officer"], Dataset.DUPLICATES, {"status": "rejected"}).record_ids == []


# -- the audit trail --------------------------------------------------------------------------


def test_the_audit_trail_under_its_filters_for_a_reader_of_the_trail(users, registry, approver):
    officer = users["mfa.officer"]  # holds audit.view_auditevent
    mother = registry["ru_mother"]
    expected = list(
        AuditEvent.objects.filter(person_id=mother.pk, event_type="people.adult.registered")
        .order_by("-seq")
        .values_list("seq", "actor_username", "home_state")
    )
    assert len(expected) == 1
    export = ask(officer, Dataset.AUDIT_EVENTS, {"person": str(mother.pk), "actor": "MFA.officer"})
    assert export.filters == {"actor": "MFA.officer", "person": str(mother.pk)}
    rows = csv_table(file_of(export, approver))
    assert rows[0] == [
        "Sequence",
        "When (UTC)",
        "Who",
        "What",
        "Event code",
        "Channel",
        "Person",
        "Home state",
    ]
    assert [(int(r[0]), r[2], r[4], r[6]) for r in rows[1:]] == [
        (seq, "mfa.officer", "people.adult.registered", str(mother.pk))
        for seq, _who, _state in expected
    ]


def test_a_consul_cannot_export_the_audit_trail(users, registry):
    with pytest.raises(ValidationError) as error:
        ask(users["consul.ru"], Dataset.AUDIT_EVENTS)
    assert list(error.value.message_dict) == ["dataset"]


# -- the children list ------------------------------------------------------------------------


def test_the_children_lists_filters_narrow_the_register(users, registry, approver):
    officer = users["mfa.officer"]
    export = ask(officer, Dataset.CHILDREN, {"home_state": "TJ", "sex": "female"})
    assert export.filters == {"home_state": "TJ", "sex": "female"}
    assert export.record_ids == [str(registry["tj_child"].pk)]
    boys = ask(officer, Dataset.CHILDREN, {"sex": "male"})
    assert boys.record_ids == [str(registry["ru_brother"].pk)]
    # a consul naming another state through the list's filters gets a refusal
    with pytest.raises(ValidationError):
        ask(users["consul.ru"], Dataset.CHILDREN, {"home_state": "TJ"})
