"""G05: sessions rotate, time out when idle, end after 12 hours, and die on logout, on a
password change and on deactivation."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from homeward.accounts import events
from homeward.accounts.models import User
from homeward.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
PAGE = "/people/children/"


def cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def consul(db) -> User:
    return make_user("consul.ru")


def test_the_session_key_changes_at_the_password_step(client, consul):
    # given an anonymous session holding something
    session = client.session
    session["language_hint"] = "ar"
    session.save()
    anonymous_key = cookie(client)
    # when
    client.post(reverse("login"), {"username": "consul.ru", "password": PASSWORD})
    # then
    assert cookie(client) != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_idle_for_14_59_is_fine_and_15_01_signs_out(client, consul):
    with time_machine.travel(START, tick=False) as clock:
        # given
        client.force_login(consul)
        assert client.get(PAGE).status_code == 200
        # when a request comes 14:59 after the last one
        clock.shift(datetime.timedelta(minutes=14, seconds=59))
        assert client.get(PAGE).status_code == 200
        # and another 15:01 after that one
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        key = cookie(client)
        response = client.get(PAGE)
    # then the session is over, deleted server side, and the expiry is audited
    assert sent_to_sign_in(response)
    assert not Session.objects.filter(session_key=key).exists()
    expired = AuditEvent.objects.get(event_type=events.SESSION_EXPIRED)
    assert (expired.actor_username, expired.data) == ("consul.ru", {"reason": "idle"})


def test_the_session_ends_after_12_hours_even_with_activity(client, consul):
    with time_machine.travel(START, tick=False) as clock:
        # given a user active every 14 minutes
        client.force_login(consul)
        answers = []
        for _ in range(12 * 60 // 14):  # 51 requests: 11 h 54 min
            clock.shift(datetime.timedelta(minutes=14))
            answers.append(client.get(PAGE).status_code)
        assert set(answers) == {200}
        # when the next request comes after 12 h 8 min
        clock.shift(datetime.timedelta(minutes=14))
        response = client.get(PAGE)
    # then
    assert sent_to_sign_in(response)
    expired = AuditEvent.objects.get(event_type=events.SESSION_EXPIRED)
    assert expired.data == {"reason": "absolute"}


def test_lifetimes_come_from_the_environment_defaults():
    assert (settings.HOMEWARD_SESSION_IDLE_MINUTES, settings.HOMEWARD_SESSION_MAX_HOURS) == (15, 12)
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_replayed_cookie_after_logout_opens_nothing(client, consul):
    # given
    client.force_login(consul)
    old = cookie(client)
    assert client.get(PAGE).status_code == 200
    # when
    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old
    response = client.get(PAGE)
    # then
    assert sent_to_sign_in(response)
    assert not Session.objects.filter(session_key=old).exists()


def test_a_password_change_ends_existing_sessions(client, consul):
    # given
    client.force_login(consul)
    assert client.get(PAGE).status_code == 200
    # when
    consul.set_password("an entirely new passphrase")
    consul.save()
    # then
    assert sent_to_sign_in(client.get(PAGE))


def test_deactivation_ends_existing_sessions(client, consul):
    # given
    client.force_login(consul)
    assert client.get(PAGE).status_code == 200
    # when
    User.objects.filter(pk=consul.pk).update(is_active=False)
    # then
    assert sent_to_sign_in(client.get(PAGE))
