"""Issue 7's search in a real browser: a consul finds a child by the home state's spelling.

The Russian consul types the ombudsman's Cyrillic spelling and an age; the child registered
from the Arabic prison register comes first, with each field's agreement shown and the
recorded names masked. The pages are saved as test-artifacts/browser-find-{en,ar}.png.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consul_finds_the_arabic_record_by_the_cyrillic_spelling(
    live_server, users, registry, page
):
    # given "خديجة حسينوفا" (born 1 March 2016), her brother, a Tajik child; the Russian consul
    child = registry["ru_child"]
    age = (datetime.date.today() - datetime.date(2016, 3, 1)).days // 365
    sign_in(page, live_server.url, users["consul.ru"], PASSWORD)

    # when the consul searches "Хадижат Гусейнова" with her age
    page.goto(f"{live_server.url}/matching/search/")
    page.fill("input[name='name']", "Хадижат Гусейнова")
    page.fill("input[name='age']", str(age))
    page.locator("main form[role='search'] button[type='submit']").click()

    # then the child's case comes first, her brother (who shares the family name) after her,
    # each with the fields that agreed and disagreed, the recorded names masked
    cards = page.locator("main section.card[aria-label]")
    expect(cards).to_have_count(2)
    card = cards.first
    assert card.get_attribute("aria-label") == child.case.reference
    assert card.locator(".badge").inner_text() == "score 1.00"
    brother = cards.nth(1)
    assert brother.get_attribute("aria-label") == registry["ru_brother"].case.reference
    expect(brother.locator("tr.hw-level-disagree", has_text="Given name")).to_have_count(1)
    given = card.locator("tr.hw-level-agree", has_text="Given name")
    family = card.locator("tr.hw-level-agree", has_text="Family or father's name")
    expect(given).to_have_count(1)
    expect(family).to_have_count(1)
    assert "خديجة" not in card.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-find-en.png"), full_page=True)

    # and in Arabic the same answer reads right to left
    page.get_by_role("button", name="العربية").click()
    page.wait_for_selector("html[dir='rtl']")
    page.fill("input[name='name']", "Хадижат Гусейнова")
    page.fill("input[name='age']", str(age))
    page.locator("main form[role='search'] button[type='submit']").click()
    expect(page.locator("main section.card[aria-label]")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "browser-find-ar.png"), full_page=True)
