"""Reasons of a dry run are read in the reader's language, whoever uploaded the file: stored
unworded (imports.reasons), worded by the page and the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from homeward.imports import services
from homeward.imports.models import ImportBatch, ImportRow
from homeward.imports.reasons import reason, render, render_html
from tests.imports.conftest import CHILD_HEADERS, child_row, csv_bytes

WRONG_ROWS = [
    CHILD_HEADERS,
    child_row("Good"),
    child_row("Nowhere", state="Atlantis"),
    child_row("Thirteenth month", born="13/13/2016"),
]


def _upload(client, user, language: str, data: bytes) -> ImportBatch:
    client.force_login(user)
    client.cookies["django_language"] = language
    upload = SimpleUploadedFile("register.csv", data, content_type="text/csv")
    client.post(reverse("imports:upload"), {"kind": "children", "file": upload})
    return ImportBatch.objects.get()


def _page(client, batch, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(reverse("imports:detail", args=[batch.pk])).content.decode()


def test_an_arabic_upload_is_read_in_english(client, registrar, prison):
    # given a dry run made by a registrar reading Arabic
    batch = _upload(client, registrar, "ar", csv_bytes(WRONG_ROWS))
    assert batch.language == "ar"
    # when an English reader opens it
    page = _page(client, batch, "en")
    # then every reason is in English, the cell as written isolated
    assert (
        "<strong>Claimed nationality</strong>: “<bdi>Atlantis</bdi>” is not a known home state."
    ) in page
    assert (
        "<strong>Date of birth</strong>: “<bdi>13/13/2016</bdi>” is not a date in "
        "day/month/year order."
    ) in page
    assert "ليست دولة أصل معروفة" not in page and "<bdi lang=" not in page


def test_an_english_upload_is_read_in_arabic(client, registrar, prison):
    # given a dry run made by a registrar reading English
    batch = _upload(client, registrar, "en", csv_bytes(WRONG_ROWS))
    assert batch.language == "en"
    # when an Arabic reader opens it
    page = _page(client, batch, "ar")
    # then every reason is in Arabic, the date order too
    assert "<strong>الجنسية المُدَّعاة</strong>: «<bdi>Atlantis</bdi>» ليست دولة أصل معروفة." in page
    assert (
        "<strong>تاريخ الولادة</strong>: «<bdi>13/13/2016</bdi>» ليس تاريخاً بترتيب يوم/شهر/سنة."
    ) in page
    assert "is not a known home state" not in page


def test_stored_reasons_have_no_language(registrar, prison):
    # given the same file checked by an Arabic and by an English uploader
    data = csv_bytes(WRONG_ROWS)
    stored = []
    for language in ("ar", "en"):
        with translation.override(language):
            batch = services.create_batch(
                actor=registrar, kind="children", filename="r.csv", data=data
            )
        services.analyse_batch(batch)
        stored.append({row.number: row.errors for row in batch.rows.all() if row.errors})
    # then both stored the same reasons: source texts and the cells as written
    assert stored[0] == stored[1] == {
        3: [{"column": "home_state", "msgid": "“%(value)s” is not a known home state.",
             "params": {"value": "Atlantis"}}],
        4: [{"column": "date_of_birth", "msgid": "“%(text)s” is not a date in %(order)s order.",
             "params": {"text": "13/13/2016",
                        "order": {"msgid": "day/month/year", "params": {}}}}],
    }  # fmt: skip


def test_a_file_error_is_read_in_the_readers_language(client, registrar):
    # given a file refused as a whole for an Arabic uploader
    data = csv_bytes([CHILD_HEADERS, child_row("Хадижат", facility="", since="")], "cp1251")
    client.force_login(registrar)
    client.cookies["django_language"] = "ar"
    upload = SimpleUploadedFile("r.csv", data, content_type="text/csv")
    client.post(
        reverse("imports:upload"), {"kind": "children", "file": upload, "encoding": "utf-8"}
    )
    batch = ImportBatch.objects.get()
    assert batch.file_errors == [
        {"msgid": "The file cannot be read as %(encoding)s: choose another encoding.",
         "params": {"encoding": "utf-8"}}
    ]  # fmt: skip
    # then each reader reads it in their own language
    english = '<div class="alert alert-danger" role="alert">The file cannot be read as <bdi>utf-8</bdi>: choose another encoding.</div>'  # noqa: E501
    arabic = '<div class="alert alert-danger" role="alert">تعذّرت قراءة الملف بترميز <bdi>utf-8</bdi>: اختر ترميزاً آخر.</div>'  # noqa: E501
    assert english in _page(client, batch, "en")
    assert arabic in _page(client, batch, "ar")


def test_reasons_stored_before_are_shown_as_written(client, registrar, prison):
    # given a batch whose reasons were stored worded, before reasons were kept unworded
    batch = _upload(client, registrar, "en", csv_bytes(WRONG_ROWS))
    ImportRow.objects.filter(batch=batch, number=3).update(
        errors=[{"column": "home_state", "message": "«Atlantis» ليست دولة أصل معروفة."}]
    )
    ImportBatch.objects.filter(pk=batch.pk).update(file_errors=["The file has no data rows."])
    # when it is read
    page = _page(client, batch, "en")
    # then the stored texts are shown as they were written
    assert "<strong>Claimed nationality</strong>: «Atlantis» ليست دولة أصل معروفة.</li>" in page
    assert '<div class="alert alert-danger" role="alert">The file has no data rows.</div>' in page


def test_the_cli_dry_run_prints_reasons_in_the_active_language(registrar, prison, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(WRONG_ROWS))
    printed = {}
    for language in ("en", "ar"):
        with translation.override(language), pytest.raises(CommandError):
            call_command("import", "children", str(path), "--dry-run", "--as", "moj.registrar")
        printed[language] = capsys.readouterr().out.splitlines()
    assert "row 3, home_state: “Atlantis” is not a known home state." in printed["en"]
    assert (
        "row 4, date_of_birth: “13/13/2016” is not a date in day/month/year order." in printed["en"]
    )
    assert "الصف 3، home_state: «Atlantis» ليست دولة أصل معروفة." in printed["ar"]
    assert "الصف 4، date_of_birth: «13/13/2016» ليس تاريخاً بترتيب يوم/شهر/سنة." in printed["ar"]


def test_the_cli_prints_in_the_language_asked_for(registrar, prison, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(WRONG_ROWS))
    with translation.override("en"), pytest.raises(CommandError):
        call_command(
            "import", "children", str(path), "--dry-run", "--as", "moj.registrar",
            "--language", "ar",
        )  # fmt: skip
    assert "الصف 3، home_state: «Atlantis» ليست دولة أصل معروفة." in capsys.readouterr().out
    assert translation.get_language() == "en"  # the command's language ends with it


def test_the_cli_prints_a_stored_batchs_reasons_in_the_active_language(
    registrar, prison, tmp_path, capsys
):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(WRONG_ROWS[:3]))
    # given an import refused by the CLI of an Arabic reader
    with translation.override("ar"), pytest.raises(CommandError):
        call_command("import", "children", str(path), "--as", "moj.registrar")
    assert "الصف 3، home_state: «Atlantis» ليست دولة أصل معروفة." in capsys.readouterr().out
    batch = ImportBatch.objects.get()
    assert batch.language == "ar"
    # then its stored reasons read in English for an English reader
    with translation.override("en"):
        assert [render(error) for row in batch.rows.all() for error in row.errors] == [
            "“Atlantis” is not a known home state."
        ]


def test_render_words_nested_reasons_and_escapes_cells_for_a_page():
    stored = reason(
        "“%(text)s” is not a date in %(order)s order.",
        text="<b>1/13/2016</b>",
        order=reason("month/day/year"),
    )
    with translation.override("en"):
        assert render(stored) == "“<b>1/13/2016</b>” is not a date in month/day/year order."
        assert render_html(stored) == (
            "“<bdi>&lt;b&gt;1/13/2016&lt;/b&gt;</bdi>” is not a date in month/day/year order."
        )
    with translation.override("ar"):
        assert render(stored) == "«<b>1/13/2016</b>» ليس تاريخاً بترتيب شهر/يوم/سنة."
    # a reason the catalogue does not know is shown in its source text
    assert render(reason("Unknown %(x)s.", x=1)) == "Unknown 1."
    assert render({"column": "x", "message": "as stored"}) == "as stored"
    assert render_html({"message": "<i>"}) == "&lt;i&gt;"
