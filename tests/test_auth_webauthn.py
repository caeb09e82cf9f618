"""G01 (second half): privileged users — superusers and holders of a sealed-data capability —
confirm the sign-in with WebAuthn; a TOTP code is not enough for them (issue 8, deliverable 1).

The ceremonies run end to end against a software authenticator (a P-256 key built here), so
django-otp-webauthn checks real signatures, challenges and origins.
"""

import base64
import hashlib
import json

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from homeward.accounts import conduct, events, webauthn
from homeward.audit.models import AuditEvent
from tests.conftest import webauthn_key
from tests.test_scope_matrix import _url, discovered_routes, matrix  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _test_origin(settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """A USB security key in software: one P-256 credential for the relying party 'testserver'."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = hashlib.sha256(b64(b"%d" % id(self)).encode()).digest()
        self.count = 0

    def cose(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})

    def auth_data(self, flags: int, attested: bool = False) -> bytes:
        self.count += 1
        data = (
            hashlib.sha256(b"testserver").digest() + bytes([flags]) + self.count.to_bytes(4, "big")
        )
        if attested:
            cid = self.credential_id
            data += bytes(16) + len(cid).to_bytes(2, "big") + cid + self.cose()
        return data

    @staticmethod
    def client_data(kind: str, options: dict, origin: str = ORIGIN) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": options["challenge"], "origin": origin}
        ).encode()

    def register(self, options: dict) -> dict:
        attestation = {"fmt": "none", "attStmt": {}, "authData": self.auth_data(0x45, True)}
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(self.client_data("webauthn.create", options)),
                "attestationObject": b64(cbor2.dumps(attestation)),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "cross-platform",
        }

    def sign(self, options: dict, origin: str = ORIGIN) -> dict:
        auth_data = self.auth_data(0x05)
        client_data = self.client_data("webauthn.get", options, origin)
        signature = self.private.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "cross-platform",
        }


def post_json(client, name: str, data: dict | None = None):
    body = json.dumps(data) if data is not None else ""
    return client.post(reverse(name), body, content_type="application/json")


def totp_signed_in(client, user) -> TOTPDevice:
    """Password, a TOTP code and the code of conduct: what a privileged user may no longer use."""
    client.force_login(user)  # password step only (unverified_client)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[conduct.SESSION_KEY] = conduct.CURRENT_VERSION
    session.save()
    return device


def events_of(user, *codes) -> list[tuple[str, dict]]:
    return list(
        AuditEvent.objects.filter(actor_username=user.username, event_type__in=codes)
        .order_by("seq")
        .values_list("event_type", "data")
    )


# -- who is privileged ---------------------------------------------------------------------------


def test_superusers_and_sealed_data_holders_are_privileged(users):
    privileged = sorted(name for name, user in users.items() if webauthn.is_privileged(user))
    expected = sorted(
        name
        for name, user in users.items()
        if user.is_superuser or user.capabilities & set(webauthn.SEALED_DATA_CAPABILITIES)
    )
    assert privileged == expected
    assert "admin" in privileged
    assert "consul.ru" not in privileged
    assert len(privileged) >= 2


# -- TOTP is refused for privileged users --------------------------------------------------------


@pytest.mark.parametrize("has_key", [True, False])
def test_privileged_user_with_only_totp_is_refused_every_route(
    unverified_client,
    users,
    matrix,  # noqa: F811  (the scope matrix's fixture, imported above)
    has_key,
):
    # given the superuser past password, TOTP and conduct, with or without a registered key
    admin = users["admin"]
    totp_signed_in(unverified_client, admin)
    if has_key:
        webauthn_key(admin)
    step = reverse("webauthn_verify" if has_key else "webauthn_enrol")
    for name, pattern in discovered_routes():
        if not pattern.pattern.regex.groupindex:
            url = reverse(name)
        else:
            model = (
                pattern.callback.cls.queryset.model
                if hasattr(pattern.callback, "cls")
                else pattern.callback.view_class.model
            )
            url = _url(name, pattern, matrix[model][0])
        # when any page is requested
        response = unverified_client.get(url)
        # then it sends them to the WebAuthn step and back afterwards
        if url.startswith("/api/"):
            assert response.status_code == 403, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].split("?")[0] == step, name


def test_privileged_session_api_call_answers_403_with_the_step(unverified_client, users):
    admin = users["admin"]
    totp_signed_in(unverified_client, admin)
    webauthn_key(admin)
    response = unverified_client.get(reverse("api:case-list"))
    assert response.status_code == 403
    assert response.json() == {
        "type": "urn:homeward:problem:permission_denied",
        "title": "Not allowed",
        "status": 403,
        "detail": "Confirm your security key first.",
    }


def test_totp_page_sends_a_privileged_user_with_a_key_to_the_key(unverified_client, users):
    admin = users["admin"]
    webauthn_key(admin)
    unverified_client.force_login(admin)
    response = unverified_client.get(reverse("mfa_verify") + "?next=/people/")
    assert response.status_code == 302
    assert response["Location"] == reverse("webauthn_verify") + "?next=%2Fpeople%2F"


def test_non_privileged_user_is_unaffected(unverified_client, users):
    consul = users["consul.ru"]
    totp_signed_in(unverified_client, consul)
    assert unverified_client.get(reverse("dashboard")).status_code == 200
    assert unverified_client.get(reverse("webauthn_enrol")).status_code == 200


def test_setting_off_restores_totp_for_everyone(unverified_client, users, settings):
    settings.HOMEWARD_PRIVILEGED_WEBAUTHN = False
    admin = users["admin"]
    webauthn_key(admin)
    totp_signed_in(unverified_client, admin)
    assert unverified_client.get(reverse("dashboard")).status_code == 200
    assert unverified_client.get(reverse("api:case-list")).status_code == 200


def test_enrolment_page_needs_the_totp_step_first(unverified_client, users):
    admin = users["admin"]
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    unverified_client.force_login(admin)
    response = unverified_client.get(reverse("webauthn_enrol"))
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == reverse("mfa_verify")
    # and the ceremony itself refuses a password-only session
    response = post_json(unverified_client, "otp_webauthn:credential-registration-begin")
    assert response.status_code == 403
    assert not WebAuthnCredential.objects.filter(user=admin).exists()


# -- the ceremonies ------------------------------------------------------------------------------


def test_enrol_then_sign_in_with_the_key(unverified_client, users):
    client = unverified_client
    admin = users["admin"]
    key = SoftKey()
    totp_signed_in(unverified_client, admin)
    page = unverified_client.get(reverse("webauthn_enrol"))
    assert page.status_code == 200
    assert b'id="passkey-register-button"' in page.content
    assert b"otp_webauthn_register.js" in page.content

    # when the key is registered
    options = post_json(unverified_client, "otp_webauthn:credential-registration-begin").json()
    assert options["rp"] == {"id": "testserver", "name": "Homeward"}
    done = post_json(
        unverified_client, "otp_webauthn:credential-registration-complete", key.register(options)
    )
    assert done.status_code == 200
    credential = WebAuthnCredential.objects.get(user=admin)
    assert done.json() == {"id": credential.pk}
    # then the session is verified with it and every page opens
    assert unverified_client.get(reverse("dashboard")).status_code == 200
    assert events_of(admin, events.WEBAUTHN_ENROLLED) == [
        (events.WEBAUTHN_ENROLLED, {"credential": credential.pk})
    ]

    # and a later sign-in with the key (no TOTP) opens everything
    client.logout()
    client.complete_second_step = False
    client.force_login(admin)
    session = client.session
    session[conduct.SESSION_KEY] = conduct.CURRENT_VERSION
    session.save()
    assert client.get(reverse("dashboard"))["Location"].split("?")[0] == reverse("webauthn_verify")
    page = client.get(reverse("webauthn_verify") + "?next=/people/")
    assert b'id="passkey-verification-button"' in page.content
    options = post_json(client, "otp_webauthn:credential-authentication-begin").json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64(key.credential_id)]
    before = client.session.session_key
    response = client.post(
        reverse("otp_webauthn:credential-authentication-complete") + "?next=/people/",
        json.dumps(key.sign(options)),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"id": credential.pk, "redirect_url": "/people/"}
    assert client.session.session_key != before
    assert client.get(reverse("dashboard")).status_code == 200
    assert events_of(admin, events.WEBAUTHN_VERIFIED) == [
        (events.WEBAUTHN_VERIFIED, {"credential": credential.pk})
    ]


def test_a_wrong_origin_is_refused_and_audited(client, users):
    admin = users["admin"]
    key = SoftKey()
    totp_signed_in(client, admin)
    options = post_json(client, "otp_webauthn:credential-registration-begin").json()
    post_json(client, "otp_webauthn:credential-registration-complete", key.register(options))
    client.logout()
    client.complete_second_step = False
    client.force_login(admin)

    options = post_json(client, "otp_webauthn:credential-authentication-begin").json()
    response = post_json(
        client,
        "otp_webauthn:credential-authentication-complete",
        key.sign(options, origin="https://evil.example"),
    )

    assert response.status_code == 422
    assert events_of(admin, events.WEBAUTHN_VERIFIED) == []
    assert events_of(admin, events.WEBAUTHN_FAILED) == [
        (events.WEBAUTHN_FAILED, {"step": "verify"})
    ]
    assert client.get(reverse("dashboard"))["Location"].split("?")[0] == reverse("webauthn_verify")


def test_force_login_marks_privileged_users_verified_with_a_key(client, users):
    admin = users["admin"]
    client.force_login(admin)
    assert client.get(reverse("dashboard")).status_code == 200
    assert WebAuthnCredential.objects.filter(user=admin, confirmed=True).count() == 1
