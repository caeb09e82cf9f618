"""`homeward api_token` and Bearer authentication: a token works until it expires or is revoked."""

import datetime
import io

import pytest
import time_machine
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
    assert response.json() == {
        "type": "urn:homeward:problem:not_authenticated",
        "title": "Not signed in",
        "status": 401,
        "detail": "Invalid or expired token.",
    }


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
    assert response.json() == {
        "type": "urn:homeward:problem:not_authenticated",
        "title": "Not signed in",
        "status": 401,
        "detail": "Invalid or expired token.",
    }


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


# -- scope and revocation (issue 8) ------------------------------------------------------------


def test_read_only_token_reads_but_cannot_write(users, registry):
    # given a read-only token and a read-write one for the same officer
    read_only = issue("mfa.officer", "--read-only")
    read_write = issue("mfa.officer")
    transitions = f"/api/v1/cases/{registry['ru_child'].case.pk}/transitions/"
    # when
    read = get_cases(read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {read_only}")
    refused = client.post(transitions, {}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {read_write}")
    validated = client.post(transitions, {}, format="json")
    # then the read-only token reads, is refused before the write is even validated
    assert read.status_code == 200
    assert (refused.status_code, refused.json()["detail"]) == (403, "This token may only read.")
    assert validated.status_code == 400
    assert list(ApiToken.objects.order_by("pk").values_list("read_only", flat=True)) == [
        True,
        False,
    ]
    created = AuditEvent.objects.filter(event_type=account_events.API_TOKEN_CREATED)
    assert [event.data["read_only"] for event in created.order_by("seq")] == [True, False]


def test_revoke_by_prefix_answers_401_and_is_audited(users):
    # given two tokens
    token = issue("mfa.officer")
    other = issue("mfa.officer")
    assert get_cases(token).status_code == 200
    # when
    out = io.StringIO()
    call_command("api_token", "--revoke", token[:8], stdout=out)
    # then
    assert out.getvalue() == f"Revoked {token[:8]}… (mfa.officer)\n"
    response = get_cases(token)
    assert (response.status_code, response.json()["detail"]) == (401, "Invalid or expired token.")
    assert get_cases(other).status_code == 200
    revoked = AuditEvent.objects.get(event_type=account_events.API_TOKEN_REVOKED)
    assert (revoked.data, revoked.channel) == (
        {"user": "mfa.officer", "prefix": token[:8]},
        "cli",
    )


def test_revoke_all_of_a_user(users):
    # given
    tokens = [issue("mfa.officer"), issue("mfa.officer"), issue("consul.ru")]
    # when
    call_command("api_token", "mfa.officer", "--revoke-all", stdout=io.StringIO())
    # then
    assert [get_cases(token).status_code for token in tokens] == [401, 401, 200]
    assert AuditEvent.objects.filter(event_type=account_events.API_TOKEN_REVOKED).count() == 2


def test_revoking_nothing_is_an_error(users):
    with pytest.raises(CommandError, match="No token to revoke"):
        call_command("api_token", "--revoke", "hw_zzzzz", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(event_type=account_events.API_TOKEN_REVOKED).exists()


def test_token_use_records_last_used(users):
    # given
    token = issue("mfa.officer")
    stored = ApiToken.objects.get()
    assert stored.last_used_at is None
    # when
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        get_cases(token)
    # then
    stored.refresh_from_db()
    assert stored.last_used_at.replace(microsecond=0) == datetime.datetime(
        2026, 3, 1, 9, 0, tzinfo=datetime.UTC
    )
