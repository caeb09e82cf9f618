"""Issue 9's journey in a real browser: a prison registrar imports the register as XLSX.

The registrar uploads the register, reads the dry run (the wrong rows named with their
column and reason, the rows that look like children already registered), uploads the
corrected file, commits it, and finds the children in the registry. The Arabic dry run is
saved as test-artifacts/browser-import-ar.png (and -en) for a person to look at.
"""

import re

import pytest
from playwright.sync_api import expect

from homeward.imports.models import ImportBatch, ImportedRecord
from homeward.people.models import Person
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD
from tests.imports.conftest import CHILD_HEADERS, child_row, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIVEN = ["Amina", "Maryam", "Yusuf", "Umar", "Zaynab", "Aisha", "Bilal", "Safiya", "Idris"]
FAMILY = ["Dakaeva", "Rakhimova", "Nazarova", "Bekova", "Umarova", "Aliyeva"]


def _register(*, corrected: bool) -> bytes:
    """Twenty children, three rows wrong unless corrected, and one already registered."""
    rows = [
        child_row(f"{GIVEN[n % 9]} {FAMILY[n % 6]}-{n}", born=f"{1 + n % 28:02d}/03/2016",
                  mother=f"Mother {FAMILY[n % 6]}-{n // 2}")
        for n in range(20)
    ]  # fmt: skip
    rows += [
        child_row("Layla Karimova", state="KZ" if corrected else "Atlantis"),
        child_row("Hamza Karimov", born="29/02/2016" if corrected else "31/02/2016", sex="male"),
        child_row("Sumayya Karimova", mother="Dilnoza Karimova" if corrected else ""),
        # "خديجة حسينوفا", born 1 March 2016, as the home state writes her
        child_row("Khadija Huseinova", born="01/03/2016", mother="Zulfiya Huseinova"),
    ]
    return xlsx_bytes([CHILD_HEADERS, *rows])


def _upload(page, base_url: str, path) -> None:
    page.goto(f"{base_url}/imports/")
    page.select_option("select[name='kind']", "children")
    page.set_input_files("input[name='file']", str(path))
    page.locator("form[action='/imports/upload/'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))


def test_registrar_fixes_the_rejected_rows_commits_and_finds_the_children(
    live_server,
    users,
    registry,
    page,
    tmp_path,
    settings,
):
    settings.HOMEWARD_IMPORTS_DIR = tmp_path / "imports"
    first, fixed = tmp_path / "register.xlsx", tmp_path / "register-fixed.xlsx"
    first.write_bytes(_register(corrected=False))
    fixed.write_bytes(_register(corrected=True))
    khadija = registry["ru_child"]

    # given the registrar, signed in, reading Arabic
    sign_in(page, live_server.url, users["moj.registrar"], PASSWORD)
    page.get_by_role("button", name="العربية").click()
    page.wait_for_selector("html[dir='rtl']")

    # when the register is uploaded
    _upload(page, live_server.url, first)

    # then the dry run names the three wrong rows and the child already registered, and
    # offers no commit
    batch = ImportBatch.objects.get(filename="register.xlsx")
    assert (batch.total_rows, batch.rejected_rows, batch.duplicate_rows) == (24, 3, 1)
    rejected = page.locator("tr.table-danger")
    assert rejected.count() == 3
    assert [rejected.nth(n).locator("th").inner_text() for n in range(3)] == ["22", "23", "24"]
    # (each reason under the column's header as the page names it, the cell as written)
    why = [rejected.nth(n).locator("td.hw-import-why").inner_text() for n in range(3)]
    assert why[0] == "الجنسية المُدَّعاة: «Atlantis» ليست دولة أصل معروفة."
    assert why[1] == "تاريخ الولادة: «31/02/2016» ليس تاريخاً."
    assert why[2].startswith("اسم الأم: ")
    look_alike = page.locator("tr.table-warning")
    assert look_alike.count() == 1
    assert look_alike.locator(f"a[href='/people/{khadija.pk}/']").count() == 1
    assert page.locator("form[action$='/commit/'] button").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-import-ar.png"), full_page=True)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[dir='ltr']")
    # (the headers and the reasons follow the reader's language, whoever uploaded the file)
    why = [page.locator("tr.table-danger td.hw-import-why").nth(n).inner_text() for n in (0, 1)]
    assert why == [
        "Claimed nationality: “Atlantis” is not a known home state.",
        "Date of birth: “31/02/2016” is not a date.",
    ]
    page.screenshot(path=str(ARTIFACTS / "browser-import-en.png"), full_page=True)
    assert Person.objects.filter(kind="child").count() == 3  # nothing written

    # when the corrected file is uploaded and committed
    _upload(page, live_server.url, fixed)
    assert page.locator("tr.table-danger").count() == 0
    assert page.locator("tr.table-warning").count() == 1
    page.locator("form[action$='/commit/'] button").click()
    expect(page.locator(".hw-messages .alert-success")).to_contain_text("24")

    # then the twenty-four children are in the registry, each linked to the file
    batch = ImportBatch.objects.get(filename="register-fixed.xlsx")
    assert batch.status == "committed" and batch.committed_rows == 24
    linked = ImportedRecord.objects.filter(batch=batch, model="people.person")
    created = Person.objects.filter(pk__in=list(linked.values_list("object_id", flat=True)))
    assert created.filter(kind="child").count() == 24
    assert Person.objects.filter(kind="child").count() == 3 + 24
    page.goto(f"{live_server.url}/people/children/")
    page.fill("input[name='q']", "Layla Karimova")  # the list follows as one types (htmx)
    layla = created.get(names__full_text="Layla Karimova")
    # (the list masks names until revealed: the row is found by its case)
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.locator(f"a[href='/people/{layla.pk}/']").first.wait_for()
    assert layla.case.reference in page.locator("table tbody").inner_text()
