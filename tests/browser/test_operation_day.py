"""An officer runs the next Russian flight in a real browser: plan, freeze, the day, done.

Same set-up as test_desk.py. The officer also holds the protocol role for the day (the
handover is protocol's to record). The operation page is saved as
test-artifacts/browser-operation.png for a person to look at.
"""

import datetime

import pytest
from django.utils import timezone

from homeward.accounts.services import sync_standard_roles
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD
from tests.operations.conftest import new_child, plan, ready
from tests.workflow.conftest import fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(browser_page, name):
    """Click a step's button on the operation page, then confirm it on its own page."""
    browser_page.get_by_role("link", name=name).click()
    browser_page.get_by_role("button", name=name).click()
    browser_page.wait_for_selector(".alert-success")


def test_officer_runs_the_next_russian_flight(live_server, world, page):
    # given two ready Russian children and the next Russian flight
    officer = world["mfa.officer"]
    officer.roles.add(sync_standard_roles()["mfa_protocol"])
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = plan(world)

    # (a shared test machine can be slow: wait for pages longer than Playwright's 30 s)
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)

    # when the officer opens it from the list and adds the ready families
    sign_in(page, live_server.url, officer, PASSWORD)
    page.get_by_role("link", name="Operations").click()
    page.locator(f"[data-upcoming='{operation.reference}'] a").first.click()
    page.get_by_role("link", name="Plan the manifest").click()
    page.check(f"input[name='family'][value='{amina.pk}']")
    page.check(f"input[name='family'][value='{yusuf.pk}']")
    page.get_by_role("button", name="Add the chosen families").click()
    assert page.locator("tr[data-entry]").count() == 2

    # and confirms the flight, freezes the manifest and starts the day
    for name in (
        "Start negotiating",
        "Confirm the date and carrier",
        "Freeze the manifest",
        "Start the operation",
    ):
        _step(page, name)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-operation.png"), full_page=True)

    # on the day: the handover, then Yusuf does not board and Amina does
    page.get_by_role("link", name="Handover day").click()
    moment = timezone.localtime() - datetime.timedelta(minutes=5)
    page.fill("#id_handed_over_at", moment.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Baghdad International Airport")
    page.fill("#id_receiving_officials", "I. Petrov; Consul; Embassy of Russia")
    page.get_by_label("I attest that the officials present signed the handover on paper.").check()
    page.get_by_role("button", name="Record the handover").click()
    page.wait_for_selector("[data-handover-recorded]")
    entries = {entry.case_id: entry for entry in operation.entries.all()}
    card = page.locator(f"#entry-{entries[yusuf.pk].pk}")
    card.get_by_label("Not boarded", exact=True).check()
    card.get_by_label("Reason not boarded").select_option("illness")
    card.get_by_role("button", name="Record").click()
    page.wait_for_selector(f"#entry-{entries[yusuf.pk].pk}[data-status='not_boarded']")
    card = page.locator(f"#entry-{entries[amina.pk].pk}")
    card.get_by_label("Boarded", exact=True).check()
    card.get_by_label("Identity checked by (name and role)").fill("A. Kareem, protocol")
    card.get_by_label("Identity checked by means of").select_option("document")
    card.get_by_role("button", name="Record").click()
    page.wait_for_selector(f"#entry-{entries[amina.pk].pk}[data-status='boarded']")

    # and completes the operation
    _step(page, "Complete the operation")

    # then Amina is handed over, Yusuf is back to approved, the counts say 2 planned, 1 flew
    assert "2 / 1" in page.locator("[data-field='counts']").inner_text()
    assert (fresh(amina).status, fresh(yusuf).status) == ("HANDED_OVER", "APPROVED")
