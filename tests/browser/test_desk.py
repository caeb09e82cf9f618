"""A judge approves a judicial clearance from the desk, in a real browser.

Same set-up as test_journey.py: Debian's chromium through Playwright against the live test
server. The desk is saved as test-artifacts/browser-desk.png for a person to look at.
"""

import pytest

from homeward.evidence import services as ev
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD
from tests.workflow.conftest import at_status, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_judge_approves_a_judicial_clearance_from_the_desk(live_server, world, page):
    # given the Russian child in CLEARANCE with a judicial clearance requested
    child = world["ru_child"]
    case = at_status(child.case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")

    # when the judge signs in and opens "My desk"
    sign_in(page, live_server.url, world["hjc.judge"], PASSWORD)
    page.get_by_role("link", name="My desk").click()
    page.wait_for_url(f"{live_server.url}/workflow/desk/")

    # then the pending judicial clearance of the child is there
    row = page.locator("tr[data-code='clearance.judicial']")
    assert row.count() == 1
    assert case.reference in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-desk.png"), full_page=True)

    # when the judge approves it from the desk
    row.get_by_role("link", name="Decide the judicial clearance").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Decision number").fill("HJC-CL-2026-77")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"{live_server.url}/people/{child.pk}/")

    # then the child's case page shows the judicial clearance as met
    requirement = page.locator("#case-progress li[data-code='clearance.judicial']")
    assert requirement.locator(".badge").inner_text().strip() == "Met"
    assert "HJC-CL-2026-77" in page.locator("#case-progress").inner_text()
    assert (ARTIFACTS / "browser-desk.png").stat().st_size > 10_000
