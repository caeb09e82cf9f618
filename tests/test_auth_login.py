"""Sign-in by password: lockout (G02), no user enumeration (G03), password storage (G04)."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from homeward.accounts import events
from homeward.accounts.forms import SIGN_IN_REFUSED
from homeward.accounts.models import User
from homeward.audit.models import AuditEvent
from homeward.config import settings as production
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def attempt(client, password: str, username="consul.ru", ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def without_csrf(response) -> str:
    text = response.content.decode()
    for token in set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)):
        text = text.replace(token, "")
    return text


# -- G02: lockout -----------------------------------------------------------------------------


def test_five_failures_lock_the_username_at_that_address_for_15_minutes(client, db):
    make_user("consul.ru")
    with time_machine.travel(START, tick=False) as clock:
        # given five wrong passwords from one address
        failures = [attempt(client, f"wrong password number {n}") for n in range(5)]
        # when the right password follows, fifteen times
        refused = [attempt(client, PASSWORD) for _ in range(15)]
        # then every attempt got the same sign-in page and nobody is signed in
        assert {r.status_code for r in failures + refused} == {200}
        assert all(str(SIGN_IN_REFUSED) in r.content.decode() for r in failures + refused)
        assert without_csrf(refused[-1]) == without_csrf(failures[0])
        assert not signed_in(client)
        # and another address is not locked
        other = client.__class__()
        assert attempt(other, PASSWORD, ip="10.0.0.2").status_code == 302
        assert signed_in(other)
        # and after the cool-off the right password works again
        clock.shift(datetime.timedelta(minutes=14, seconds=50))
        assert attempt(client, PASSWORD).status_code == 200
        clock.shift(datetime.timedelta(minutes=1, seconds=10))
        assert attempt(client, PASSWORD).status_code == 302
        assert signed_in(client)
    types = list(AuditEvent.objects.order_by("seq").values_list("event_type", flat=True))
    assert types.count(events.LOGIN_FAILED) == 21
    # the fifth failure and the lock it causes are written by two receivers of one signal
    assert types[:4] == [events.LOGIN_FAILED] * 4
    assert sorted(types[4:6]) == sorted([events.LOGIN_FAILED, events.LOGIN_LOCKED])
    assert types.count(events.LOGIN_LOCKED) == 1
    locked = AuditEvent.objects.get(event_type=events.LOGIN_LOCKED)
    assert (locked.actor_username, locked.data, locked.ip_address) == (
        "consul.ru",
        {"username": "consul.ru", "failures": 5},
        "10.0.0.1",
    )


def test_a_success_resets_the_failure_count(client, db):
    make_user("consul.ru")
    # given four failures, then a success
    for n in range(4):
        attempt(client, f"wrong password number {n}")
    assert attempt(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    # when four more failures follow
    for n in range(4):
        attempt(client, f"wrong password again {n}")
    # then the count started again: the right password still works
    assert attempt(client, PASSWORD).status_code == 302
    assert not AuditEvent.objects.filter(event_type=events.LOGIN_LOCKED).exists()


def test_lockout_settings_are_explicit():
    assert (5, [["username", "ip_address"]], datetime.timedelta(minutes=15), True) == (
        settings.AXES_FAILURE_LIMIT,
        settings.AXES_LOCKOUT_PARAMETERS,
        settings.AXES_COOLOFF_TIME,
        settings.AXES_RESET_ON_SUCCESS,
    )
    assert settings.AUTHENTICATION_BACKENDS[0] == "homeward.accounts.backends.LockoutBackend"


# -- G03: no user enumeration -----------------------------------------------------------------


def test_unknown_user_wrong_password_and_inactive_user_get_the_same_page(client, db):
    consul = make_user("consul.ru")
    # given / when: a wrong password, the right password of a deactivated account, and a
    # username that does not exist (the same account, deleted)
    wrong = attempt(client, "not the password at all")
    User.objects.filter(pk=consul.pk).update(is_active=False)
    inactive = attempt(client, PASSWORD)
    User.objects.filter(pk=consul.pk).delete()
    unknown = attempt(client, PASSWORD)
    # then status and body are identical (apart from the CSRF token)
    assert [r.status_code for r in (wrong, inactive, unknown)] == [200, 200, 200]
    assert without_csrf(wrong) == without_csrf(inactive) == without_csrf(unknown)
    assert str(SIGN_IN_REFUSED) in without_csrf(wrong)
    assert not signed_in(client)


# -- G04: password storage and policy ---------------------------------------------------------


def test_passwords_are_stored_with_argon2id_at_or_above_the_owasp_minimum():
    # given production's hashers (the test settings use a fast one)
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        # when
        encoded = make_password("a long enough passphrase")
    # then argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash
    algorithm, variant, version, params, _salt, _hash = encoded.split("$")
    values = dict(item.split("=") for item in params.split(","))
    assert (algorithm, variant, version) == ("argon2", "argon2id", "v=19")
    assert int(values["t"]) >= 2
    assert int(values["m"]) >= 19456
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    "password",
    [
        "a" * 128,
        "river lantern fig",  # lower case only, 17 characters: no composition rules
        "15 characters!!",
    ],
)
def test_long_passwords_without_composition_rules_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Password123!", "This password is too short. It must contain at least 15 characters."),
        ("fourteen chars", "This password is too short. It must contain at least 15 characters."),
        ("1q2w3e4r5t6y7u8i9o0p", "This password is too common."),
    ],
)
def test_short_and_common_passwords_are_refused(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert error.value.messages == [message]


def test_a_128_character_password_signs_in(client, db):
    # given
    user = make_user("consul.ru")
    user.set_password("z" * 128)
    user.save()
    # when
    response = attempt(client, "z" * 128)
    # then
    assert response.status_code == 302
    assert signed_in(client)
