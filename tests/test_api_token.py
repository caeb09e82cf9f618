"""`homeward api_token` and Bearer authentication: a token works until it expires or is revoked."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from homeward.accounts import events as account_events
from homeward.accounts.models import ApiToken
from homeward.audit.models import AuditEvent


def issue(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, *args, stdout=out)
    return out.getvalue().strip()


def get_cases(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/cases/")


def test_token_from_the_command_opens_the_api(users, registry):
    # given
    token = issue("mfa.officer")
    # when
    response = get_cases(token)
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 3
    stored = ApiToken.objects.get(user=users["mfa.officer"])
    assert stored.prefix == token[:8]
    assert stored.key_hash != token
    assert stored.last_used_at is not None
    created = AuditEvent.objects.get(event_type=account_events.API_TOKEN_CREATED)
    assert created.data["user"] == "mfa.officer"
    assert created.channel == "cli"


def test_token_expires_after_the_given_days_by_default_90(users):
    # given
    before = timezone.now()
    # when
    issue("mfa.officer")
    issue("consul.ru", "--days", "0")
    # then
    expires_at = ApiToken.objects.get(user=users["mfa.officer"]).expires_at
    assert (
        before + datetime.timedelta(days=90)
        <= expires_at
        <= timezone.now() + datetime.timedelta(days=90)
    )
    assert ApiToken.objects.get(user=users["consul.ru"]).expires_at is None


def test_expired_token_is_401(users):
    # given
    token = issue("mfa.officer")
    ApiToken.objects.filter(user=users["mfa.officer"]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # when
    response = get_cases(token)
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Invalid or expired token."}


def test_revoked_token_is_401(users):
    # given
    token = issue("mfa.officer")
    ApiToken.objects.filter(user=users["mfa.officer"]).update(revoked_at=timezone.now())
    # when
    response = get_cases(token)
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_token_is_401(users):
    # when
    response = get_cases("hw_not-a-real-token")
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token."}


def test_token_of_a_deactivated_user_is_401(users):
    # given
    token = issue("mfa.officer")
    users["mfa.officer"].is_active = False
    users["mfa.officer"].save(update_fields=["is_active"])
    # when
    response = get_cases(token)
    # then
    assert response.status_code == 401


def test_token_for_unknown_user_is_refused(db):
    # when / then
    with pytest.raises(CommandError, match="No active user named 'ghost'"):
        issue("ghost")
    assert ApiToken.objects.count() == 0


def test_negative_days_are_refused(users):
    # when / then
    with pytest.raises(CommandError, match="--days cannot be negative"):
        issue("mfa.officer", "--days", "-1")
    assert ApiToken.objects.count() == 0
