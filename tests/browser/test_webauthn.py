"""G01: the superuser enrols a security key and signs in with it, in Chromium with a virtual
authenticator (CDP WebAuthn domain: ctap2, usb, resident key, user verification)."""

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from homeward.accounts import events
from homeward.audit.models import AuditEvent
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_enrols_a_security_key_then_signs_in_with_it(live_server, users, page):
    admin = users["admin"]
    base = live_server.url

    # given the admin's first sign-in: password, TOTP, then registering the key (in sign_in)
    sign_in(page, base, admin, PASSWORD)
    credential = WebAuthnCredential.objects.get(user=admin)
    assert credential.confirmed is True

    # when the admin signs in again (a new session): the password, then only the key
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/login/key/?next=%2F")
    page.get_by_role("button", name="Use my security key").click()

    # then the key opens the dashboard (the code of conduct was accepted at the first sign-in)
    page.wait_for_url(f"{base}/")
    recorded = list(
        AuditEvent.objects.filter(
            actor_username="admin",
            event_type__in=[events.WEBAUTHN_ENROLLED, events.WEBAUTHN_VERIFIED],
        )
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert recorded == [events.WEBAUTHN_ENROLLED, events.WEBAUTHN_VERIFIED]
