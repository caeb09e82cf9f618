"""Imports over the API: upload, dry-run report, options, commit, template, original file.

The same services and rules as the import pages (tests/imports/test_views.py): a small file
is checked within the request, the reasons are worded in the reader's language, writes need
If-Match with the import's ETag, and an import outside the caller's scope is a 404.
"""

import hashlib
import importlib.util
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.models import User
from homeward.accounts.services import issue_api_token, sync_standard_roles
from homeward.audit.models import AuditEvent
from homeward.imports import events
from homeward.imports.choices import BatchStatus
from homeward.imports.management.commands.run_imports import run_pending
from homeward.imports.models import ImportBatch, ImportedRecord
from homeward.people.models import Person
from tests.api.conftest import client_for
from tests.conftest import PASSWORD
from tests.imports.conftest import CHILD_HEADERS, child_row, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("api:importbatch-list")
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(autouse=True)
def _imports_dir(settings, tmp_path):
    settings.HOMEWARD_IMPORTS_DIR = tmp_path / "imports"


@pytest.fixture
def registrar(users):
    return users["moj.registrar"]


@pytest.fixture
def api(registrar):
    return client_for(registrar)


def upload(client, data: bytes, *, kind="children", name="register.csv", headers=None, **extra):
    body = {"kind": kind, "file": SimpleUploadedFile(name, data), **extra}
    return client.post(LIST, body, format="multipart", headers=headers)


def clean_file() -> bytes:
    return csv_bytes([CHILD_HEADERS, child_row("Amina Dakaeva"), child_row("Zarema Dakaeva")])


def response_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detail(batch_id) -> str:
    return reverse("api:importbatch-detail", kwargs={"pk": batch_id})


def rows(batch_id) -> str:
    return reverse("api:importbatch-rows", kwargs={"pk": batch_id})


def test_a_file_with_a_wrong_row_is_rejected_and_its_reason_worded_for_the_reader(api, prison):
    # given a file with one good row and one naming an unknown home state
    data = csv_bytes([CHILD_HEADERS, child_row("Good"), child_row("Bad", state="Atlantis")])
    # when it is uploaded
    response = upload(api, data)
    # then the dry run ran within the request and found the row
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["total_rows"], body["rejected_rows"]) == ("rejected", 2, 1)
    assert (body["kind"], body["filename"], body["size"]) == ("children", "register.csv", len(data))
    assert body["file_errors"] == [] and response["ETag"]
    # and the report lists exactly that row, its reason in English
    report = api.get(rows(body["id"])).json()
    assert [(row["number"], row["action"]) for row in report["results"]] == [(3, "reject")]
    assert report["results"][0]["errors"] == [
        {"column": "home_state", "message": "“Atlantis” is not a known home state."}
    ]
    assert report["results"][0]["cells"]["child_name"] == "Bad"
    # and in Arabic for a reader who asks for Arabic
    arabic = api.get(rows(body["id"]), HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["results"][0]["errors"][0]["message"] == "«Atlantis» ليست دولة أصل معروفة."
    # and show=all lists every row, in file order
    every = api.get(rows(body["id"]), {"show": "all"}).json()["results"]
    assert [(row["number"], row["action"]) for row in every] == [(2, "create"), (3, "reject")]
    assert api.get(rows(body["id"]), {"show": "some"}).status_code == 400


def test_reading_the_report_is_audited_with_the_rows_shown(api, registrar, prison):
    # given a dry run with one rejected row of two
    data = csv_bytes([CHILD_HEADERS, child_row("Good"), child_row("Bad", state="Atlantis")])
    batch_id = upload(api, data).json()["id"]
    # when its report is read, problems then every row
    api.get(rows(batch_id))
    api.get(rows(batch_id), {"show": "all"})
    # then each read is in the trail, about the import, with the rows it returned
    reads = AuditEvent.objects.filter(event_type=events.BATCH_REPORT_VIEWED).order_by("seq")
    assert [(e.actor_id, e.object_id, e.channel, e.data["rows"]) for e in reads] == [
        (registrar.pk, batch_id, "api", [3]),
        (registrar.pk, batch_id, "api", [2, 3]),
    ]
    assert [e.data["query"]["show"] for e in reads] == ["problems", "all"]


def test_a_file_error_is_worded_for_the_reader(api):
    # given a file without the required columns
    response = upload(api, csv_bytes([["name"], ["Amina"]]))
    # then the import is rejected with the file's error, in the reader's language
    body = response.json()
    assert (response.status_code, body["status"]) == (201, "rejected")
    assert body["file_errors"][0].startswith("Required columns are missing: ")
    arabic = api.get(detail(body["id"]), HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["file_errors"][0].startswith("أعمدة")


def test_a_bad_kind_or_no_file_is_a_problem_naming_the_field(api):
    response = upload(api, clean_file(), kind="planets")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"kind"}
    empty = upload(api, b"")
    assert (empty.status_code, set(empty.json()["errors"])) == (400, {"file"})
    unknown = upload(api, clean_file(), status="ready")
    assert (unknown.status_code, set(unknown.json()["errors"])) == (400, {"status"})
    assert ImportBatch.objects.count() == 0


def test_a_clean_file_is_committed_with_if_match(api, registrar, prison):
    # given a clean XLSX uploaded by the API
    data = xlsx_bytes([CHILD_HEADERS, child_row("Amina Dakaeva"), child_row("Zarema Dakaeva")])
    created = upload(api, data, name="register.xlsx")
    batch_id, etag = created.json()["id"], created["ETag"]
    assert created.json()["status"] == "ready"
    assert api.get(detail(batch_id))["ETag"] == etag
    commit = reverse("api:importbatch-commit", kwargs={"pk": batch_id})
    # when it is committed without If-Match, or with a stale ETag
    missing = api.post(commit)
    stale = api.post(commit, headers={"If-Match": '"0123"'})
    # then nothing changed
    assert (missing.status_code, stale.status_code) == (428, 412)
    assert missing["Content-Type"] == "application/problem+json"
    assert ImportBatch.objects.get().status == BatchStatus.READY
    # when it is committed with the ETag read
    response = api.post(commit, headers={"If-Match": etag})
    # then, a small import, it is written within the request, the children linked to it
    assert (response.status_code, response.json()["status"]) == (200, "committed")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.committed_rows, batch.committed_by) == (
        BatchStatus.COMMITTED,
        2,
        registrar,
    )
    children = Person.objects.filter(kind="child")
    assert children.count() == 2
    linked = ImportedRecord.objects.filter(batch=batch, model="people.person")
    assert {str(child.pk) for child in children} <= set(linked.values_list("object_id", flat=True))
    # and a second commit is a conflict
    again = api.post(commit, headers={"If-Match": api.get(detail(batch_id))["ETag"]})
    assert again.status_code == 409


def test_a_large_import_is_committed_by_the_worker(api, registrar, prison, settings):
    # given a clean import larger than the page commits within a request
    settings.HOMEWARD_IMPORT_INLINE_ROWS = 1
    data = xlsx_bytes([CHILD_HEADERS, child_row("Amina Dakaeva"), child_row("Zarema Dakaeva")])
    created = upload(api, data, name="register.xlsx")
    commit = reverse("api:importbatch-commit", kwargs={"pk": created.json()["id"]})
    # when it is committed
    response = api.post(commit, headers={"If-Match": created["ETag"]})
    # then the commit is queued and nothing is written until the worker runs it
    assert (response.status_code, response.json()["status"]) == (202, "commit_queued")
    assert Person.objects.filter(kind="child").count() == 0
    assert run_pending() == 1
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.committed_rows) == (BatchStatus.COMMITTED, 2)
    assert Person.objects.filter(kind="child").count() == 2


def test_a_rejected_import_cannot_be_committed(api, prison):
    created = upload(api, csv_bytes([CHILD_HEADERS, child_row(state="Atlantis")]))
    commit = reverse("api:importbatch-commit", kwargs={"pk": created.json()["id"]})
    response = api.post(commit, headers={"If-Match": created["ETag"]})
    assert response.status_code == 409
    assert response.json()["type"] == "urn:homeward:problem:conflict"
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_options_run_the_dry_run_again(api, prison):
    # given a file whose dates can be read either way (01/02 and 03/04)
    data = csv_bytes([CHILD_HEADERS, child_row(born="01/02/2016", since="03/04/2018")])
    created = upload(api, data)
    assert created.json()["status"] == "needs_date_order"
    options = reverse("api:importbatch-options", kwargs={"pk": created.json()["id"]})
    # when the day/month order is chosen without If-Match / with it
    assert api.post(options, {"date_order": "dmy"}, format="json").status_code == 428
    response = api.post(
        options, {"date_order": "dmy"}, format="json", headers={"If-Match": created["ETag"]}
    )
    # then the file is checked again in that order
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["date_order"], body["date_order_override"]) == (
        "ready",
        "dmy",
        "dmy",
    )
    assert response["ETag"] != created["ETag"]
    # and the old ETag is now stale
    stale = api.post(
        options, {"date_order": "mdy"}, format="json", headers={"If-Match": created["ETag"]}
    )
    assert stale.status_code == 412
    assert ImportBatch.objects.get().date_order_override == "dmy"


def test_the_same_idempotency_key_twice_makes_one_import(api, prison):
    data = clean_file()
    first = upload(api, data, headers={"Idempotency-Key": "import-1"})
    again = upload(api, data, headers={"Idempotency-Key": "import-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert ImportBatch.objects.count() == 1


def test_list_filters_and_walks_by_cursor(api, users, prison):
    upload(api, clean_file())
    upload(api, csv_bytes([CHILD_HEADERS, child_row(state="Atlantis")]))
    listed = api.get(LIST).json()
    assert listed["count"] == 2
    assert [batch["status"] for batch in api.get(LIST, {"status": "ready"}).json()["results"]] == [
        "ready"
    ]
    assert api.get(LIST, {"kind": "custody"}).json()["count"] == 0
    assert api.get(LIST, {"kind": "planets"}).status_code == 400
    first = api.get(LIST, {"paginate": "cursor", "page_size": 1}).json()
    second = api.get(first["next"]).json()
    assert "count" not in first and second["next"] is None
    assert [first["results"][0]["id"], second["results"][0]["id"]] == [
        batch["id"] for batch in listed["results"]
    ]


def test_the_original_download_is_audited(api, registrar):
    data = clean_file()
    batch_id = upload(api, data).json()["id"]
    response = api.get(reverse("api:importbatch-original", kwargs={"pk": batch_id}))
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Type"] == "application/octet-stream"
    event = AuditEvent.objects.get(event_type=events.BATCH_FILE_DOWNLOADED)
    assert (event.actor, event.object_id, event.channel) == (registrar, batch_id, "api")
    assert event.data == {"filename": "register.csv", "sha256": response_sha(data)}


def test_template_for_a_kind_the_caller_may_import(api, users):
    url = reverse("api:importbatch-template")
    response = api.get(url, {"kind": "custody"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    headers = next(book["data"].iter_rows(values_only=True))
    assert headers[:2] == ("Case reference", "Facility")
    assert api.get(url, {"kind": "dna_results"}).status_code == 404
    assert api.get(url, {"kind": "planets"}).status_code == 404
    consul = client_for(users["consul.ru"])
    assert consul.get(url, {"kind": "children"}).status_code == 404
    assert consul.get(url).status_code == 200  # its own kind: home-state replies


def _restricted_registrar() -> User:
    """A second registrar whose account sees only Russia: not the registry-wide imports."""
    user = User.objects.create_user("registrar.ru", password=PASSWORD, all_home_states=False)
    user.roles.add(sync_standard_roles()["moj_registrar"])
    user.home_states.set(["RU"])
    return User.objects.get(pk=user.pk)


def test_an_import_outside_the_scope_is_404_everywhere_and_nothing_changes(api, prison):
    # given a registry-wide import, ready to commit, and a registrar restricted to Russia
    created = upload(api, clean_file())
    batch_id, etag = created.json()["id"], created["ETag"]
    other = client_for(_restricted_registrar())
    kwargs = {"pk": batch_id}
    # when the other registrar reaches it by every route
    answers = {
        "detail": other.get(detail(batch_id)).status_code,
        "rows": other.get(rows(batch_id)).status_code,
        "original": other.get(reverse("api:importbatch-original", kwargs=kwargs)).status_code,
        "options": other.post(
            reverse("api:importbatch-options", kwargs=kwargs),
            {"date_order": "mdy"},
            format="json",
            headers={"If-Match": etag},
        ).status_code,
        "commit": other.post(
            reverse("api:importbatch-commit", kwargs=kwargs), headers={"If-Match": etag}
        ).status_code,
    }
    # then each answers as for a missing import, the list does not show it
    assert answers == dict.fromkeys(answers, 404)
    assert other.get(LIST).json()["count"] == 0
    # and nothing changed, nothing was downloaded
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.date_order_override) == (BatchStatus.READY, "")
    assert not AuditEvent.objects.filter(event_type=events.BATCH_FILE_DOWNLOADED).exists()


def test_a_role_without_the_import_capability_is_refused(users, prison):
    judge = client_for(users["hjc.judge"])
    denied_before = AuditEvent.objects.filter(event_type=ACCESS_DENIED).count()
    assert judge.get(LIST).status_code == 403
    assert upload(judge, clean_file()).status_code == 403
    assert judge.get(reverse("api:importbatch-template")).status_code == 403
    assert ImportBatch.objects.count() == 0
    assert AuditEvent.objects.filter(event_type=ACCESS_DENIED).count() == denied_before + 3


def test_a_kind_the_caller_may_not_import_is_refused(users, prison):
    # given a consul, who may import only its own state's replies
    consul = client_for(users["consul.ru"])
    # when it uploads children
    response = consul.post(
        LIST,
        {"kind": "children", "file": SimpleUploadedFile("r.csv", clean_file())},
        format="multipart",
    )
    # then it is refused (and the refusal audited), nothing kept
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
    assert AuditEvent.objects.filter(event_type=ACCESS_DENIED).count() == 1


@pytest.mark.django_db(transaction=True)  # the live server reads what the test wrote
def test_the_example_client_uploads_and_reads_the_problems(
    live_server, registrar, prison, capsys, tmp_path
):
    # given docs/api_client.py and a file with one wrong row
    spec = importlib.util.spec_from_file_location("api_client", DOCS / "api_client.py")
    client = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client)
    api = client.Client(live_server.url, issue_api_token(registrar, actor=None))
    path = tmp_path / "test-import.csv"
    path.write_bytes(csv_bytes([CHILD_HEADERS, child_row(state="Atlantis")]))
    # when it imports the file (without --commit)
    client.import_file(api, "children", str(path), commit=False)
    # then it printed the import's state and the row's reason
    printed = capsys.readouterr().out
    assert "rejected, 1 rows, 1 rejected" in printed
    assert "row 2, home_state: “Atlantis” is not a known home state." in printed
    assert ImportBatch.objects.get().filename == "test-import.csv"


def test_an_uploader_who_would_not_see_its_registry_wide_import_is_refused(prison):
    # given a registrar restricted to Russia (registry-wide imports are not in its scope)
    restricted = client_for(_restricted_registrar())
    # when it uploads a file
    response = upload(restricted, clean_file())
    # then it is told why, on the kind, and nothing is kept (it could neither read the
    # report nor commit it)
    assert response.status_code == 400
    assert response.json()["errors"]["kind"] == [
        "Registry-wide imports are for users who see every home state; this one would be "
        "hidden from you once uploaded. Ask an administrator."
    ]
    assert ImportBatch.objects.count() == 0
