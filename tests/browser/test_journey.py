"""A person's journey in a real browser: sign in, switch to Arabic, search, open the record.

Runs Debian's chromium (never a downloaded browser) through Playwright against the live test
server; `make test-browser` runs it, and CI installs chromium when it is missing. The final
page is saved as test-artifacts/browser-child-ar.png for a person to look at.
"""

import re

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_switches_to_arabic_and_finds_a_child_by_arabic_name(
    live_server, users, registry, page
):
    # given the officer's account and a Russian child registered as "خديجة حسينوفا"
    child = registry["ru_child"]

    # when they sign in
    sign_in(page, live_server.url, users["mfa.officer"], PASSWORD)
    assert page.locator("html").get_attribute("dir") == "ltr"

    # and switch the interface to Arabic
    page.get_by_role("button", name="العربية").click()
    page.wait_for_selector("html[dir='rtl']")
    assert page.locator("html").get_attribute("lang") == "ar"

    # and search the children list with the register's other spelling (ه for ة)
    page.goto(f"{live_server.url}/people/children/")
    page.fill("input[name='q']", "خديجه")
    page.keyboard.press("Enter")
    # (the search is POSTed and its results page is a saved search, `?s=<id>`: wait for it,
    # since the unfiltered list shows the same link)
    page.wait_for_url(re.compile(r"/people/children/\?s="))
    page.wait_for_load_state()
    result = page.locator(f"a[href='/people/{child.pk}/']").first
    result.wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1

    # and open the record
    result.click()
    page.wait_for_url(f"{live_server.url}/people/{child.pk}/")

    # then the child's record shows, right to left, with every name and the case
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().strip() == "خديجة حسينوفا"
    assert child.case.reference in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-child-ar.png"), full_page=True)
    assert (ARTIFACTS / "browser-child-ar.png").stat().st_size > 10_000


def test_choosing_a_filter_updates_the_list_in_place(live_server, users, registry, page):
    # given the officer on the children list, which shows every child it may see (three)
    sign_in(page, live_server.url, users["mfa.officer"], PASSWORD)
    page.goto(f"{live_server.url}/people/children/")
    rows = page.locator("#results table tbody tr")
    assert rows.count() == 3
    # when they choose a home state, without pressing Search
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.select_option("select[name='home_state']", "TJ")
    assert answered.value.status == 200
    # then the results are replaced in place by the one Tajik child (the select's input
    # event is the live search's trigger)
    page.wait_for_function("document.querySelectorAll('#results table tbody tr').length === 1")
    assert registry["tj_child"].case.reference in page.locator("#results").inner_text()
