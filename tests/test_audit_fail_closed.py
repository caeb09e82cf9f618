"""Fail closed (G25): when the audit trail cannot be written, nothing happens.

The database is made to refuse every audit insert (a trigger, on PostgreSQL and SQLite
alike, as a full disk, a revoked grant or a broken table would). A write then commits
nothing, and a read of a child's record shows nothing: both answer the generic 500 page.
"""

import pytest
from django.db import connection
from django.urls import reverse

from homeward.audit.models import AuditEvent, AuditHead
from homeward.people.models import PersonName

pytestmark = pytest.mark.django_db

REFUSAL = "audit store unavailable"


def refuse_audit_inserts() -> None:
    """From now on (until the test's transaction rolls back) every audit insert fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_audit_insert() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_audit_insert BEFORE INSERT ON audit_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_audit_insert()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_audit_insert BEFORE INSERT ON audit_auditevent "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def trail() -> tuple:
    head = AuditHead.objects.get(pk=1)
    return AuditEvent.objects.count(), head.seq, head.hash


@pytest.fixture
def broken_audit(client, users, registry):
    """A registry and a signed-in officer (both audited), then the audit store fails."""
    client.force_login(users["mfa.officer"])
    client.raise_request_exception = False
    refuse_audit_inserts()
    return client


def test_a_write_fails_and_commits_nothing(broken_audit, registry):
    # given
    child = registry["ru_child"]
    names, before = PersonName.objects.count(), trail()
    # when
    response = broken_audit.post(
        reverse("people:name_create", args=[child.pk]),
        {"full_text": "Canary Fail-Closed", "name_type": "alias", "source": "test"},
    )
    # then
    assert response.status_code == 500
    assert b"Nothing you entered was saved" in response.content
    assert not PersonName.objects.filter(full_text="Canary Fail-Closed").exists()
    assert (PersonName.objects.count(), trail()) == (names, before)


def test_an_audited_read_fails_and_shows_nothing(broken_audit, registry):
    # given
    child = registry["ru_child"]
    name = child.names.get(is_primary=True).full_text
    before = trail()
    # when
    response = broken_audit.get(reverse("people:person_detail", args=[child.pk]))
    # then the page is the generic error, without the child's name
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert name.encode() not in response.content
    assert trail() == before


def test_an_audited_api_read_fails_and_shows_nothing(broken_audit, registry):
    # given
    child = registry["ru_child"]
    before = trail()
    # when
    response = broken_audit.get(f"/api/v1/people/{child.pk}/")
    # then
    assert response.status_code == 500
    assert str(child.pk).encode() not in response.content
    assert trail() == before
