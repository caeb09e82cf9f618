"""Import pages: upload, report, commit, template, original file, scope."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from homeward.audit.models import AuditEvent
from homeward.imports import events
from homeward.imports.choices import BatchStatus
from homeward.imports.models import ImportBatch
from homeward.people.models import Person
from tests.imports.conftest import CHILD_HEADERS, child_row, csv_bytes, import_batch


def test_upload_report_and_commit(client, registrar, prison):
    client.force_login(registrar)
    data = csv_bytes([CHILD_HEADERS, child_row("Good"), child_row("Bad", state="Atlantis")])
    upload = SimpleUploadedFile("register.csv", data, content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"kind": "children", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:detail", args=[batch.pk]
    )
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    # (the reason under the column's header, beside the row number, in the reader's language,
    # the cell as written isolated)
    assert (
        "<strong>Claimed nationality</strong>: “<bdi>Atlantis</bdi>” is not a known home state."
    ) in page
    assert 'class="table-danger"' in page
    assert "Commit 2 rows" not in page  # a file with a rejected row offers no commit
    response = client.post(reverse("imports:commit", args=[batch.pk]))
    assert Person.objects.count() == 0
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.REJECTED


def test_reading_the_report_is_audited_with_the_rows_shown(client, registrar, prison, users):
    # given a dry run with one rejected row of three
    client.force_login(registrar)
    rows = [child_row("Good"), child_row("Bad", state="Atlantis"), child_row("Fine")]
    upload = SimpleUploadedFile("register.csv", csv_bytes([CHILD_HEADERS, *rows]))
    client.post(reverse("imports:upload"), {"kind": "children", "file": upload})
    batch = ImportBatch.objects.get()
    # when the registrar reads its problems, then every row
    client.get(reverse("imports:detail", args=[batch.pk]))
    client.get(reverse("imports:detail", args=[batch.pk]), {"show": "all"})
    # then each read is in the trail, about the batch, with the rows it showed
    reads = AuditEvent.objects.filter(event_type=events.BATCH_REPORT_VIEWED).order_by("seq")
    assert [(e.actor_id, e.object_id, e.data) for e in reads] == [
        (registrar.pk, str(batch.pk),
         {"query": {"show": "problems", "page": 1}, "rows": [3], "total": 1}),
        (registrar.pk, str(batch.pk),
         {"query": {"show": "all", "page": 1}, "rows": [2, 3, 4], "total": 3}),
    ]  # fmt: skip
    # and a reader outside the batch's scope gets a 404 and leaves no read of it
    client.force_login(users["consul.tj"])
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert reads.count() == 2


def test_clean_file_commits_from_the_page(client, registrar, prison):
    client.force_login(registrar)
    upload = SimpleUploadedFile("r.csv", csv_bytes([CHILD_HEADERS, child_row()]))
    client.post(reverse("imports:upload"), {"kind": "children", "file": upload})
    batch = ImportBatch.objects.get()
    assert "Commit 1 row" in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    client.post(reverse("imports:commit", args=[batch.pk]))
    assert ImportBatch.objects.get().status == BatchStatus.COMMITTED
    assert Person.objects.filter(kind="child").count() == 1


def test_report_in_arabic_is_right_to_left(client, registrar, prison):
    client.force_login(registrar)
    client.cookies["django_language"] = "ar"
    upload = SimpleUploadedFile("r.csv", csv_bytes([CHILD_HEADERS, child_row(mother="")]))
    client.post(
        reverse("imports:upload"), {"kind": "children", "file": upload}, HTTP_ACCEPT_LANGUAGE="ar"
    )
    batch = ImportBatch.objects.get()
    page = client.get(
        reverse("imports:detail", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert 'dir="rtl"' in page
    assert batch.language == "ar"


def test_template_has_both_header_rows(client, registrar):
    client.force_login(registrar)
    response = client.get(reverse("imports:template") + "?kind=custody")
    book = load_workbook(__import__("io").BytesIO(response.content), read_only=True)
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Case reference", "Facility", "Since")
    assert rows[1][:3] == ("رقم الملف", "المؤسسة", "منذ")
    assert client.get(reverse("imports:template") + "?kind=dna_results").status_code == 404


def test_original_file_download_is_audited_and_scoped(client, users):
    ru, tj = import_batch(users["consul.ru"]), import_batch(users["consul.tj"])
    client.force_login(users["consul.ru"])
    response = client.get(reverse("imports:file", args=[ru.pk]))
    assert response.status_code == 200 and response.content.startswith(b"case_reference")
    assert AuditEvent.objects.filter(event_type=events.BATCH_FILE_DOWNLOADED).count() == 1
    assert client.get(reverse("imports:file", args=[tj.pk])).status_code == 404
    assert client.get(reverse("imports:detail", args=[tj.pk])).status_code == 404
    assert str(tj.pk) not in client.get(reverse("imports:list")).content.decode()


def test_roles_without_imports_are_refused(client, users):
    client.force_login(users["unicef.officer"])
    assert client.get(reverse("imports:list")).status_code == 403
