"""Second factor: TOTP devices and single-use recovery codes (django-otp).

A user's TOTP device is created unconfirmed when enrolment starts and is confirmed by the
first valid code; the recovery codes are issued at that moment and shown once. Verification
tries the TOTP device first, then the recovery codes (each works once).
"""

import base64
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import events
from homeward.audit.services import record_event

__all__ = [
    "DEMO_DEVICE_NAME",
    "DEVICE_NAME",
    "RECOVERY_DEVICE_NAME",
    "confirm_enrolment",
    "demo_totp_key",
    "has_confirmed_device",
    "mark_verified",
    "pending_device",
    "totp_secret",
    "verify_second_factor",
]

DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
DEMO_DEVICE_NAME = "demo authenticator"


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device enrolment shows, created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as the base32 text an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode()


def _clean(token: str) -> str:
    return "".join(str(token).split()).lower()


@transaction.atomic
def confirm_enrolment(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code from the app; return the new recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_clean(token)):
        record_event(events.MFA_FAILED, actor=user, data={"step": "enrol"})
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator at a time: enrolling again replaces the earlier device and codes.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.HOMEWARD_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    record_event(events.MFA_ENROLLED, actor=user, data={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def verify_second_factor(user, token: str):
    """The confirmed device that accepts `token` (TOTP first, then a recovery code), or None.

    Each device throttles its own failures (django-otp doubles the wait after each one).
    """
    token = _clean(token)
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in devices:
        if verify_token(user, device.persistent_id, token) is not None:
            kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
            record_event(events.MFA_VERIFIED, actor=user, data={"device": kind})
            return device
    record_event(events.MFA_FAILED, actor=user, data={"step": "verify"})
    return None


def mark_verified(request, device) -> None:
    """Bind the verified device to the session and give the session a new key."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user.otp_device = device


def demo_totp_key(username: str, password: str) -> str:
    """The demo's deterministic TOTP key (hex) for `username`: HMAC of the demo password."""
    digest = hmac.new(password.encode(), b"homeward-demo-totp:" + username.encode(), hashlib.sha1)
    return digest.hexdigest()
