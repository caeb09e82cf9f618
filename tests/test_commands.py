"""Management commands: `audit_verify` and `api_token`."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from homeward.accounts.models import ApiToken, User
from homeward.audit.models import AuditEvent, AuditHead
from homeward.audit.services import record_event
from tests.audit_guard import audit_guard_lifted

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def clerk(db) -> User:
    return User.objects.create_user("clerk", password="correct horse battery staple")


def written() -> dict:
    head = AuditHead.objects.get(pk=1)
    return {
        "tokens": ApiToken.objects.count(),
        "audit": AuditEvent.objects.count(),
        "head": (head.seq, head.hash),
    }


# -- audit_verify ------------------------------------------------------------------------


def test_audit_verify_on_an_empty_chain_succeeds():
    # given no event yet
    # when
    output = run("audit_verify")
    # then
    assert output == "Audit chain intact: 0 events verified.\n"


def test_audit_verify_counts_the_events(clerk):
    # given
    for n in range(3):
        record_event("test.thing.done", actor=clerk, data={"n": n})
    # when / then
    assert run("audit_verify") == "Audit chain intact: 3 events verified.\n"


def test_audit_verify_without_a_head_row_on_an_empty_chain_succeeds():
    # given a database whose head row is missing (e.g. flushed) and no events
    with audit_guard_lifted():
        AuditHead.objects.all().delete()
    # when / then
    assert run("audit_verify") == "Audit chain intact: 0 events verified.\n"


def test_audit_verify_fails_when_the_head_is_ahead_of_an_empty_chain():
    # given a head claiming events that are not there
    with audit_guard_lifted():
        AuditHead.objects.filter(pk=1).update(seq=2)
    # when / then
    with pytest.raises(CommandError) as excinfo:
        run("audit_verify")
    assert str(excinfo.value) == (
        "Audit chain broken at chain head: "
        "head says #2 but the chain ends at #0 (events removed from the end) "
        "(0 events verified before it)."
    )


# -- api_token ---------------------------------------------------------------------------


def test_api_token_prints_a_key_that_authenticates(clerk):
    # given
    before = timezone.now()
    # when
    raw = run("api_token", "clerk").strip()
    # then
    token = ApiToken.objects.matching(raw).get()
    assert (token.user_id, token.prefix, token.revoked_at) == (clerk.pk, raw[:8], None)
    assert raw.startswith("hw_")
    assert (
        before + datetime.timedelta(days=90)
        <= token.expires_at
        <= timezone.now() + datetime.timedelta(days=90)
    )


def test_api_token_stores_only_the_hash(clerk):
    # given / when
    raw = run("api_token", "clerk").strip()
    # then
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.values_list("prefix", "key_hash").get()
    assert raw not in stored
    assert raw not in str(AuditEvent.objects.values_list("data", flat=True).get())


def test_api_token_creation_is_audited(clerk):
    # given / when
    raw = run("api_token", "clerk", "--days", "7").strip()
    # then
    token = ApiToken.objects.get()
    event = AuditEvent.objects.get()
    assert (
        event.event_type,
        event.actor_id,
        event.object_type,
        event.object_id,
        event.channel,
    ) == (
        "accounts.api_token.created",
        None,
        "accounts.apitoken",
        str(token.pk),
        "cli",
    )
    assert event.data == {
        "user": "clerk",
        "prefix": raw[:8],
        "expires_at": DjangoJSONEncoder().default(token.expires_at),
        "read_only": False,
    }


def test_api_token_with_zero_days_never_expires(clerk):
    # given / when
    raw = run("api_token", "clerk", "--days", "0").strip()
    # then
    token = ApiToken.objects.matching(raw).get()
    assert token.expires_at is None
    assert AuditEvent.objects.get().data == {
        "user": "clerk",
        "prefix": raw[:8],
        "expires_at": None,
        "read_only": False,
    }


def test_each_token_is_different(clerk):
    # given / when
    first = run("api_token", "clerk").strip()
    second = run("api_token", "clerk").strip()
    # then
    assert first != second
    assert ApiToken.objects.filter(user=clerk).count() == 2


@pytest.mark.parametrize("username", ["ghost", "retired"])
def test_api_token_for_missing_or_inactive_user_writes_nothing(clerk, username):
    # given an inactive user
    User.objects.create_user("retired", is_active=False)
    before = written()
    # when / then
    with pytest.raises(CommandError) as excinfo:
        run("api_token", username)
    assert str(excinfo.value) == f"No active user named '{username}'."
    assert written() == before


def test_api_token_with_negative_days_writes_nothing(clerk):
    # given
    before = written()
    # when / then
    with pytest.raises(CommandError) as excinfo:
        run("api_token", "clerk", "--days", "-1")
    assert str(excinfo.value) == "--days cannot be negative."
    assert written() == before


def test_expired_or_revoked_token_does_not_match(clerk):
    # given two tokens, then one expired and one revoked
    expired = run("api_token", "clerk").strip()
    revoked = run("api_token", "clerk").strip()
    ApiToken.objects.filter(prefix=expired[:8]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    ApiToken.objects.filter(prefix=revoked[:8]).update(revoked_at=timezone.now())
    # when / then
    assert ApiToken.objects.matching(expired).count() == 0
    assert ApiToken.objects.matching(revoked).count() == 0


def test_wrong_key_does_not_match(clerk):
    # given
    raw = run("api_token", "clerk").strip()
    # when / then
    assert ApiToken.objects.matching(raw + "x").count() == 0
    assert ApiToken.objects.matching(raw[:8]).count() == 0
