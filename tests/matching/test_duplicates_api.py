"""Duplicate review over the API: list, decide, merge, undo — through matching.services."""

import pytest

from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.matching import events
from homeward.matching.models import DuplicateCandidate, MergeRecord
from homeward.people.models import Person
from tests.api.conftest import client_for
from tests.conftest import PASSWORD, register

pytestmark = pytest.mark.django_db


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def pair(users, registry) -> DuplicateCandidate:
    """The Russian child registered twice under two spellings, proposed as a pair."""
    again = register(users["mfa.officer"], name="Хадижат Гусейнова", state="RU")
    left, right = sorted([registry["ru_child"], again], key=lambda person: str(person.pk))
    return DuplicateCandidate.objects.create(left=left, right=right, score=12.5)


def _officer_of(*states: str) -> User:
    user = User.objects.create_user("officer.tj", password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code__in=states))
    user.roles.add(Role.objects.get(code="mfa_case_officer"))
    return User.objects.get(pk=user.pk)


def test_pending_pairs_are_listed_and_confirmed(users, pair):
    officer = client_for(users["mfa.officer"])
    listed = officer.get("/api/v1/duplicates/", {"status": "proposed"})
    assert listed.status_code == 200, listed.json()
    assert [row["id"] for row in listed.json()["results"]] == [pair.pk]
    assert listed.json()["results"][0]["left"] == str(pair.left_id)
    decided = officer.post(
        f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": True}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["status"], decided.json()["reviewed_by"]) == (
        "confirmed_duplicate",
        "mfa.officer",
    )
    event = AuditEvent.objects.get(event_type=events.DUPLICATE_CONFIRMED)
    assert event.data["status"] == ["proposed", "confirmed_duplicate"]
    assert officer.get("/api/v1/duplicates/", {"status": "proposed"}).json()["count"] == 0


def test_a_pair_is_merged_and_the_merge_undone(users, pair):
    officer = client_for(users["mfa.officer"])
    merged = officer.post(
        f"/api/v1/duplicates/{pair.pk}/merge/",
        {"survivor": "left", "reason": "Same child, two registers"},
        format="json",
    )
    assert merged.status_code == 201, merged.json()
    body = merged.json()
    assert (body["survivor"], body["duplicate"], body["performed_by"]) == (
        str(pair.left_id),
        str(pair.right_id),
        "mfa.officer",
    )
    assert Person.objects.get(pk=pair.right_id).merged_into_id == pair.left_id
    assert AuditEvent.objects.filter(event_type=events.PEOPLE_MERGED).count() == 1
    undone = officer.post(
        f"/api/v1/merges/{body['id']}/unmerge/", {"reason": "Twins after all"}, format="json"
    )
    assert undone.status_code == 200, undone.json()
    assert (undone.json()["undone_by"], undone.json()["undo_reason"]) == (
        "mfa.officer",
        "Twins after all",
    )
    assert Person.objects.get(pk=pair.right_id).merged_into_id is None
    assert AuditEvent.objects.filter(event_type=events.PEOPLE_UNMERGED).count() == 1
    again = officer.post(
        f"/api/v1/merges/{body['id']}/unmerge/", {"reason": "Again"}, format="json"
    )
    _problem(again, 400)


def test_review_refusals_change_nothing(users, pair):
    consul = client_for(users["consul.ru"])
    _problem(
        consul.post(f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": True}, format="json"),
        403,
    )
    _problem(
        consul.post(
            f"/api/v1/duplicates/{pair.pk}/merge/",
            {"survivor": "left", "reason": "x"},
            format="json",
        ),
        403,
    )
    officer_tj = client_for(_officer_of("TJ"))
    _problem(
        officer_tj.post(
            f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": True}, format="json"
        ),
        404,
    )
    officer = client_for(users["mfa.officer"])
    errors = _problem(
        officer.post(f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": "yes"}, format="json"),
        400,
    )["errors"]
    assert list(errors) == ["confirmed"]
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "proposed"
    assert not MergeRecord.objects.exists()
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
