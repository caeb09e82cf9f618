"""Demo tooling for the second factor: seed_demo's authenticators and `homeward otp_code`."""

import base64
import datetime
import io

import pyotp
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.mfa import DEMO_DEVICE_NAME, demo_totp_key
from homeward.core.demo.accounts import create_demo_accounts

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo passphrase for everyone"
START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def otp_code(*args) -> str:
    out = io.StringIO()
    call_command("otp_code", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def demo(db):
    return create_demo_accounts(["RU"], DEMO_PASSWORD)


def test_every_demo_account_gets_an_authenticator_keyed_by_the_password(demo):
    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True)
    assert sorted(devices.values_list("user__username", flat=True)) == sorted(
        user.username for user in demo
    )
    device = devices.get(user__username="consul.ru")
    assert device.key == demo_totp_key("consul.ru", DEMO_PASSWORD)
    assert device.key != demo_totp_key("consul.ru", "another demo passphrase")


def test_otp_code_prints_the_current_code_and_it_signs_in(demo, client):
    device = TOTPDevice.objects.get(user__username="consul.ru")
    expected = pyotp.TOTP(base64.b32encode(device.bin_key).decode()).at(START)
    with time_machine.travel(START, tick=False):
        # when
        code = otp_code("--demo", "consul.ru")
        # then
        assert code == expected
        client.post(reverse("login"), {"username": "consul.ru", "password": DEMO_PASSWORD})
        response = client.post(reverse("mfa_verify"), {"token": code})
        assert (response.status_code, response["Location"]) == (302, reverse("dashboard"))


def test_otp_code_needs_the_demo_flag_and_a_demo_device(demo):
    TOTPDevice.objects.filter(user__username="mfa.officer").update(name="authenticator")
    with pytest.raises(CommandError, match="pass --demo"):
        otp_code("consul.ru")
    with pytest.raises(CommandError, match=r"'mfa\.officer' has no demo authenticator"):
        otp_code("--demo", "mfa.officer")


def test_reset_passwords_rekeys_the_authenticators_and_prints_the_keys(demo):
    # when
    out = io.StringIO()
    call_command(
        "seed_demo", "--reset-passwords", "--password", "a new demo passphrase", stdout=out
    )
    # then
    device = TOTPDevice.objects.get(user__username="consul.ru")
    assert device.key == demo_totp_key("consul.ru", "a new demo passphrase")
    key = base64.b32encode(device.bin_key).decode()
    line = next(line for line in out.getvalue().splitlines() if line.startswith("consul.ru "))
    assert line.endswith(key)
    assert "authenticator key (TOTP)" in out.getvalue()
