"""Browser tests run on a transactional database, which is flushed after each test.

The flush also removes the reference data a migration loaded (every ISO country as a
HomeState), so the next browser test could not register a child. Reload it before each one.
"""

import base64
import os
import shutil
from pathlib import Path

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import webauthn
from homeward.core.countries import iso_countries
from homeward.core.models import HomeState
from tests.workflow.conftest import policies, world  # noqa: F401  (the workflow's world)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page():
    """A page of Debian's chromium (never a downloaded browser), through Playwright."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # and the live server are ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        # Chromium reports every Content-Security-Policy refusal as a console error.
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        context.close()
        browser.close()
        assert refused == [], "the page broke its own Content-Security-Policy"


@pytest.fixture(autouse=True)
def webauthn_origin(request, settings):
    """Passkeys are bound to the origin: the live server's (http is allowed for localhost)."""
    if "live_server" in request.fixturenames:
        settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [request.getfixturevalue("live_server").url]


def add_security_key(page) -> None:
    """Plug a USB security key into the page: Chromium's virtual authenticator (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


@pytest.fixture(autouse=True)
def iso_home_states(request):
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("transactional_db")
    HomeState.objects.bulk_create(
        [HomeState(code=a2, alpha_3=a3, name=name) for a2, a3, name in iso_countries()],
        ignore_conflicts=True,
    )


def sign_in(page, base_url: str, user, password: str) -> None:
    """Sign in as a person does: password, the authenticator's code, the code of conduct.

    A privileged user then registers a security key (a virtual one) before the code of conduct.
    """
    device = TOTPDevice.objects.create(user=user, name="browser authenticator", confirmed=True)
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/login/verify/?next=%2F")
    page.fill("#id_token", pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now())
    page.get_by_role("button", name="Continue").click()
    if webauthn.needs_webauthn(user):
        add_security_key(page)
        page.wait_for_url(f"{base_url}/login/key/enrol/?next=%2F")
        page.get_by_role("button", name="Register my security key").click()
        page.wait_for_selector("#passkey-register-status-message.visible")
        page.get_by_role("link", name="Continue once the key is registered").click()
    page.wait_for_url(f"{base_url}/conduct/?next=%2F")
    page.get_by_label("I have read the code of conduct and I accept it.").check()
    page.get_by_role("button", name="Accept and continue").click()
    page.wait_for_url(f"{base_url}/")
