"""G01: no page or API route answers after the password alone; the second factor and the
code of conduct come first (issue 8, deliverables 1 and 9)."""

import base64
import datetime
import re

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import conduct, events
from homeward.accounts.models import ConductAcceptance, User
from homeward.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user
from tests.test_scope_matrix import _url, discovered_routes, matrix  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def code_for(device: TOTPDevice, at: datetime.datetime | None = None) -> str:
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    return totp.at(at) if at else totp.now()


def session_cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in_with_password(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def events_since(seq: int) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(seq__gt=seq)
        .order_by("seq")
        .values_list("event_type", "actor_username")
    )


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


# -- G01: password only opens nothing --------------------------------------------------------


@pytest.mark.parametrize("username", ["mfa.officer", "consul.ru", "admin"])
def test_every_route_refuses_a_password_only_session(
    unverified_client,
    users,
    matrix,  # noqa: F811  (the scope matrix's fixture, imported above)
    username,
):
    # given a session that has passed the password step only
    user = users[username]
    with_device(user)
    unverified_client.force_login(user)
    routes = [*discovered_routes(), *(("api:schema", None), ("api:docs", None))]
    verify = reverse("mfa_verify")
    failures = []
    for name, pattern in routes:
        if pattern is not None and pattern.pattern.regex.groupindex:
            model = (
                pattern.callback.cls.queryset.model
                if hasattr(pattern.callback, "cls")
                else pattern.callback.view_class.model
            )
            url = _url(name, pattern, matrix[model][0])
        else:
            url = reverse(name)
        # when every route is read, and every page is posted to
        answers = [unverified_client.get(url)]
        if not name.startswith("api:"):
            answers.append(unverified_client.post(url, {}))
        # then pages send the user to the second factor and the API refuses
        for response in answers:
            if name.startswith("api:"):
                ok = response.status_code == 403
            else:
                ok = response.status_code == 302 and response["Location"].startswith(verify)
            if not ok:
                failures.append(f"{name} {response.request['REQUEST_METHOD']}: {response}")
    assert failures == []
    assert len(routes) > 40


def test_password_only_session_is_sent_to_verify_with_next(unverified_client, officer):
    # given
    with_device(officer)
    unverified_client.force_login(officer)
    # when
    response = unverified_client.get(reverse("people:child_list") + "?q=x")
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_verify") + "?next=%2Fpeople%2Fchildren%2F%3Fq%3Dx"


def test_session_api_call_without_second_factor_is_403(unverified_client, officer):
    # given
    with_device(officer)
    unverified_client.force_login(officer)
    # when
    response = unverified_client.get("/api/v1/cases/")
    # then
    assert (response.status_code, response.json()) == (
        403,
        {
            "type": "urn:homeward:problem:permission_denied",
            "title": "Not allowed",
            "status": 403,
            "detail": "Confirm your second factor first.",
        },
    )


# -- first sign-in: enrolment -----------------------------------------------------------------


def test_first_sign_in_enrols_totp_shows_codes_once_then_the_code_of_conduct(client, db):
    consul = make_user("consul.ru")
    with time_machine.travel(START, tick=False) as clock:
        # given a password sign-in by a user without an authenticator
        before = last_seq()
        response = sign_in_with_password(client, "consul.ru")
        assert (response.status_code, response["Location"]) == (302, "/")
        response = client.get("/")
        assert response["Location"] == reverse("mfa_enrol") + "?next=%2F"
        # when the enrolment page is opened
        page = client.get(reverse("mfa_enrol"), {"next": "/"})
        # then it shows an inline QR code and the key, and nothing is fetched from elsewhere
        text = page.content.decode()
        device = TOTPDevice.objects.get(user=consul)
        secret = base64.b32encode(device.bin_key).decode()
        assert page.status_code == 200
        assert f'<code class="fs-6" dir="ltr" id="totp-secret">{secret}</code>' in text
        assert "<svg" in text and "hw-qr" in text
        assert device.confirmed is False
        # when a wrong code, then (after django-otp's one-second throttle) the right one
        wrong = client.post(reverse("mfa_enrol"), {"token": "000000", "next": "/"})
        assert wrong.status_code == 200
        assert "That code was not accepted." in wrong.content.decode()
        clock.shift(5)
        key_before = session_cookie(client)
        confirmed = client.post(
            reverse("mfa_enrol"), {"token": code_for(device, START), "next": "/"}
        )
        # then ten recovery codes are shown once, the session has a new key and is verified
        assert confirmed.status_code == 200
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", confirmed.content.decode())
        assert len(codes) == 10
        assert '<a class="btn btn-primary" href="/">' in confirmed.content.decode()
        stored = StaticToken.objects.filter(device__user=consul)
        assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
        assert session_cookie(client) != key_before
        device.refresh_from_db()
        assert device.confirmed is True
        # and the code of conduct comes before anything else
        response = client.get("/")
        assert response["Location"] == reverse("conduct") + "?next=%2F"
        page = client.get(reverse("conduct"))
        assert "Code of conduct for users of Homeward" in page.content.decode()
        assert "مدونة السلوك لمستخدمي نظام هوموورد" in page.content.decode()
        refused = client.post(reverse("conduct"), {"next": "/"})
        assert refused.status_code == 200
        assert not ConductAcceptance.objects.exists()
        accepted = client.post(reverse("conduct"), {"accept": "on", "next": "/"})
        assert (accepted.status_code, accepted["Location"]) == (302, "/")
        assert client.get("/").status_code == 200
    assert list(ConductAcceptance.objects.values_list("user__username", "version")) == [
        ("consul.ru", conduct.CURRENT_VERSION)
    ]
    assert events_since(before)[:5] == [
        ("accounts.user.logged_in", "consul.ru"),
        (events.MFA_FAILED, "consul.ru"),
        (events.MFA_ENROLLED, "consul.ru"),
        (events.CONDUCT_ACCEPTED, "consul.ru"),
        ("cases.dashboard.viewed", "consul.ru"),
    ]


def test_the_recovery_codes_page_cannot_be_reopened(client, db):
    # given an enrolled user
    consul = make_user("consul.ru")
    sign_in_with_password(client, "consul.ru")
    client.get(reverse("mfa_enrol"))
    device = TOTPDevice.objects.get(user=consul)
    client.post(reverse("mfa_enrol"), {"token": code_for(device)})
    # when the enrolment page is asked for again
    response = client.get(reverse("mfa_enrol"))
    # then it sends the user on (verify, which sends a verified user on to the target)
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_verify"))
    assert StaticDevice.objects.filter(user=consul).count() == 1


# -- later sign-ins: verification ------------------------------------------------------------


def test_totp_verification_rotates_the_session_key_and_is_audited(client, db):
    consul = make_user("consul.ru")
    device = with_device(consul)
    ConductAcceptance.objects.create(user=consul, version=conduct.CURRENT_VERSION)
    with time_machine.travel(START, tick=False) as clock:
        sign_in_with_password(client, "consul.ru")
        password_key = session_cookie(client)
        before = last_seq()
        # when a wrong code and then (after the throttle's second) the right one are entered
        wrong = client.post(reverse("mfa_verify"), {"token": "123456", "next": "/people/children/"})
        clock.shift(5)
        right = client.post(
            reverse("mfa_verify"), {"token": code_for(device, START), "next": "/people/children/"}
        )
        # then
        assert wrong.status_code == 200
        assert (right.status_code, right["Location"]) == (302, "/people/children/")
        assert session_cookie(client) != password_key
        assert events_since(before) == [
            (events.MFA_FAILED, "consul.ru"),
            (events.MFA_VERIFIED, "consul.ru"),
        ]
        assert AuditEvent.objects.get(event_type=events.MFA_VERIFIED).data == {"device": "totp"}
        assert client.get("/people/children/").status_code == 200
        # and the password-step cookie no longer opens anything
        client.cookies[settings.SESSION_COOKIE_NAME] = password_key
        assert client.get(reverse("people:child_list"))["Location"].startswith(reverse("login"))


def test_a_totp_code_works_once(client, db):
    # given a code already used to sign in
    consul = make_user("consul.ru")
    device = with_device(consul)
    with time_machine.travel(START, tick=False):
        code = code_for(device, START)
        sign_in_with_password(client, "consul.ru")
        assert client.post(reverse("mfa_verify"), {"token": code}).status_code == 302
        client.post(reverse("logout"))
        # when it is replayed in a new sign-in
        sign_in_with_password(client, "consul.ru")
        response = client.post(reverse("mfa_verify"), {"token": code})
        # then it is refused
        assert response.status_code == 200
        assert client.get("/")["Location"].startswith(reverse("mfa_verify"))


def test_a_recovery_code_signs_in_once(client, db):
    # given
    consul = make_user("consul.ru")
    with_device(consul)
    recovery = StaticDevice.objects.create(user=consul, name="recovery codes", confirmed=True)
    recovery.token_set.create(token="abcd2345")
    sign_in_with_password(client, "consul.ru")
    # when
    first = client.post(reverse("mfa_verify"), {"token": "ABCD 2345"})
    client.post(reverse("logout"))
    sign_in_with_password(client, "consul.ru")
    second = client.post(reverse("mfa_verify"), {"token": "abcd2345"})
    # then
    assert first.status_code == 302
    assert second.status_code == 200
    assert not recovery.token_set.exists()
    assert AuditEvent.objects.get(event_type=events.MFA_VERIFIED).data == {
        "device": "recovery_code"
    }


def test_verify_page_needs_a_password_session(client, db):
    # when
    response = client.get(reverse("mfa_verify"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_verify_refuses_an_open_redirect(client, db):
    consul = make_user("consul.ru")
    device = with_device(consul)
    sign_in_with_password(client, "consul.ru")
    # when
    page = client.get(reverse("mfa_verify"))
    response = client.post(
        reverse("mfa_verify"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    # then the target falls back to the dashboard, as a path
    assert '<input type="hidden" name="next" value="/">' in page.content.decode()
    assert (response.status_code, response["Location"]) == (302, reverse("dashboard"))


def test_an_admin_password_reset_still_ends_at_the_second_factor(client, db):
    # given (A6: Homeward has no self-service reset; an administrator sets a new password)
    consul = make_user("consul.ru")
    with_device(consul)
    consul.set_password("a brand new passphrase for consul")
    consul.save()
    # when the new password is used
    response = sign_in_with_password(client, "consul.ru", "a brand new passphrase for consul")
    # then the session still has to pass the second factor
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(reverse("mfa_verify"))


def test_a_new_code_of_conduct_version_is_asked_again(client, db, monkeypatch):
    # given a user who accepted the earlier version
    consul = make_user("consul.ru")
    ConductAcceptance.objects.create(user=consul, version="2000-1")
    client.force_login(consul)
    session = client.session
    del session[conduct.SESSION_KEY]
    session.save()
    # when
    response = client.get("/")
    # then
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("conduct") + "?next=%2F",
    )


def test_force_login_in_tests_means_all_steps_done(client, officer):
    # given / when
    client.force_login(officer)
    # then
    assert client.get("/").status_code == 200
