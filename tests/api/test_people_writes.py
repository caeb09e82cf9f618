"""The registry's writes over the API (issue 9): register, edit, name, link, move.

Each goes through `people.services` with the pages' scope and capabilities: a user outside
the child's home states gets the 404 of a missing record, a role without the capability a 403,
and neither changes anything; bad input is a 400 naming the field; a stale If-Match a 412.
"""

import datetime

import pytest

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.matching import events as matching_events
from homeward.people import events
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship
from tests.api.conftest import client_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def _last(event_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("seq")


def _count(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def officer_ru(users) -> User:
    """A ministry officer (every registry capability) who works on Russia only."""
    user = User.objects.create_user("officer.ru", password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code="RU"))
    user.roles.add(Role.objects.get(code="mfa_case_officer"))
    return User.objects.get(pk=user.pk)


def _registration(**overrides) -> dict:
    body = {
        "names": [
            {"full_text": "مريم إبراهيموفا", "name_type": "prison_register"},
            {"full_text": "Мариям Ибрагимова", "name_type": "legal_home_state"},
        ],
        "sex": "female",
        "date_of_birth": "2015-06-01",
        "dob_precision": "day",
        "languages": ["ru", "ar"],
        "home_state": "ru",
    }
    return {**body, **overrides}


def _state() -> tuple:
    return (
        Person.objects.count(),
        PersonName.objects.count(),
        Relationship.objects.count(),
        CustodyEpisode.objects.count(),
        Case.objects.count(),
    )


# -- register a child --------------------------------------------------------------------------


def test_an_officer_registers_a_child_with_a_placement(users, registry, prison):
    officer = users["mfa.officer"]
    mother = registry["ru_mother"]
    body = _registration(
        custody={
            "facility": prison.pk,
            "started_on": "2019-04-02",
            "with_person": str(mother.pk),
            "legal_basis": "Order 17/2019",
        }
    )
    response = client_for(officer).post(PEOPLE, body, format="json", HTTP_IDEMPOTENCY_KEY="reg-1")
    assert response.status_code == 201, response.json()
    child = Person.objects.get(pk=response.json()["id"])
    data = response.json()
    assert data["kind"] == "child"
    assert data["preferred_name"] == "مريم إبراهيموفا"
    assert [name["full_text"] for name in data["names"]] == [
        "مريم إبراهيموفا",
        "Мариям Ибрагимова",
    ]
    assert data["languages"] == ["ru", "ar"]
    assert data["date_of_birth"] == "2015-06-01"
    assert data["case"]["home_state"] == "RU"
    assert data["case"]["reference"] == child.case.reference
    assert data["version"] == 1
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"/api/v1/people/{child.pk}/")
    episode = CustodyEpisode.objects.get(child=child)
    assert (episode.facility_id, episode.started_on, episode.with_person_id) == (
        prison.pk,
        datetime.date(2019, 4, 2),
        mother.pk,
    )
    assert episode.legal_basis == "Order 17/2019"
    event = _last(events.CHILD_REGISTERED)
    assert event.actor == officer
    assert event.object_id == str(child.pk)
    assert event.home_state == "RU"
    assert event.data == {"case": child.case.reference, "names": 2, "custody": True}
    # the same key and body replay the answer: one child, not two
    again = client_for(officer).post(PEOPLE, body, format="json", HTTP_IDEMPOTENCY_KEY="reg-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == str(child.pk)
    assert _count(events.CHILD_REGISTERED) == 4  # three in the fixture, this one


def test_a_look_alike_is_answered_409_with_the_candidates_until_confirmed(users, registry):
    officer = users["mfa.officer"]
    existing = registry["ru_child"]
    body = _registration(
        names=[{"full_text": "خديجة حسينوفا", "name_type": "declared_by_mother"}],
        date_of_birth="2016-03-01",
        dob_precision="day",
    )
    before = _state()
    response = client_for(officer).post(PEOPLE, body, format="json")
    problem = _problem(response, 409)
    assert problem["type"] == "urn:homeward:problem:conflict"
    assert problem["code"] == "possible_duplicates"
    candidates = problem["candidates"]
    assert [candidate["id"] for candidate in candidates] == [str(existing.pk)]
    assert candidates[0]["case_reference"] == existing.case.reference
    assert candidates[0]["birth_year"] == "2016"
    assert "خديجة" not in candidates[0]["masked_name"]
    assert _state() == before
    listed = _last(matching_events.CANDIDATES_LISTED)
    assert listed.data["ids"] == [str(existing.pk)]
    # confirmed, the same child is registered
    confirmed = client_for(officer).post(
        PEOPLE, {**body, "confirm_not_duplicate": True}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.json()
    assert Person.objects.count() == before[0] + 1


def test_registration_refuses_a_state_or_facility_out_of_reach(users, registry, officer_ru, prison):
    before = _state()
    response = client_for(officer_ru).post(PEOPLE, _registration(home_state="TJ"), format="json")
    assert _problem(response, 400)["errors"] == {"home_state": ["Unknown home state."]}
    prison.is_active = False
    prison.save()
    response = client_for(officer_ru).post(
        PEOPLE,
        _registration(custody={"facility": prison.pk, "started_on": "2019-01-01"}),
        format="json",
    )
    assert _problem(response, 400)["errors"] == {"custody": {"facility": ["Unknown facility."]}}
    assert _state() == before


def test_registration_validation_names_the_fields(users, registry):
    officer = users["mfa.officer"]
    before = _state()
    response = client_for(officer).post(
        PEOPLE,
        _registration(names=[], sex="x", languages=["xx"], status="returned"),
        format="json",
    )
    errors = _problem(response, 400)["errors"]
    assert errors == {"status": ["This field cannot be set here."]}
    response = client_for(officer).post(
        PEOPLE, _registration(names=[], sex="x", languages=["xx"]), format="json"
    )
    errors = _problem(response, 400)["errors"]
    assert set(errors) == {"names", "sex", "languages"}
    # the model's own rule: an estimated range needs both ends, in order
    response = client_for(officer).post(
        PEOPLE,
        _registration(dob_precision="range", dob_earliest="2016-01-01", dob_latest="2015-01-01"),
        format="json",
    )
    assert _problem(response, 400)["errors"]
    assert _state() == before


def test_a_consul_may_not_register(users, registry):
    consul = users["consul.ru"]
    before = _state()
    denied = _count(ACCESS_DENIED)
    response = client_for(consul).post(PEOPLE, _registration(), format="json")
    _problem(response, 403)
    assert _state() == before
    assert _count(ACCESS_DENIED) == denied + 1


# -- edit biodata ------------------------------------------------------------------------------


def _person_url(person, action="") -> str:
    return f"{PEOPLE}{person.pk}/" + (f"{action}/" if action else "")


def test_an_edit_with_the_current_version_is_saved_and_audited(users, registry):
    officer = users["mfa.officer"]
    child = registry["ru_child"]
    read = client_for(officer).get(_person_url(child))
    etag = read["ETag"]
    assert etag == f'"{child.version}"'
    response = client_for(officer).patch(
        _person_url(child),
        {"unaccompanied": True, "place_of_birth_country": "SY", "sex": "female"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["unaccompanied"] is True
    assert response.json()["place_of_birth_country"] == "SY"
    assert response["ETag"] == f'"{child.version + 1}"'
    child.refresh_from_db()
    assert (child.unaccompanied, child.place_of_birth_country_id) == (True, "SY")
    event = _last(events.PERSON_UPDATED)
    assert event.actor == officer
    assert event.data == {
        "changes": {"unaccompanied": [False, True], "place_of_birth_country": [None, "SY"]}
    }


def test_an_edit_without_if_match_is_428_and_a_stale_one_412(users, registry):
    officer = users["mfa.officer"]
    child = registry["ru_child"]
    version = child.version
    response = client_for(officer).patch(_person_url(child), {"unaccompanied": True}, format="json")
    _problem(response, 428)
    response = client_for(officer).patch(
        _person_url(child),
        {"unaccompanied": True},
        format="json",
        HTTP_IF_MATCH=f'"{version - 1 or 99}"',
    )
    body = _problem(response, 412)
    assert body["version"] == version
    assert response["ETag"] == f'"{version}"'
    child.refresh_from_db()
    assert (child.unaccompanied, child.version) == (False, version)
    assert _count(events.PERSON_UPDATED) == 0


def test_an_edit_refuses_bad_values_and_child_only_fields_on_an_adult(users, registry):
    officer = users["mfa.officer"]
    mother = registry["ru_mother"]
    etag = f'"{mother.version}"'
    response = client_for(officer).patch(
        _person_url(mother), {"unaccompanied": True}, format="json", HTTP_IF_MATCH=etag
    )
    assert _problem(response, 400)["errors"] == {
        "unaccompanied": ["Only a child's record has this field."]
    }
    response = client_for(officer).patch(
        _person_url(mother),
        {"version": 7, "dob_precision": "soon"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert set(_problem(response, 400)["errors"]) == {"version"}
    response = client_for(officer).patch(
        _person_url(mother), {"dob_precision": "soon"}, format="json", HTTP_IF_MATCH=etag
    )
    assert set(_problem(response, 400)["errors"]) == {"dob_precision"}
    mother.refresh_from_db()
    assert mother.version == 1
    assert _count(events.PERSON_UPDATED) == 0


def test_a_home_state_change_moves_the_case_and_needs_the_case_capability(users, registry):
    officer = users["mfa.officer"]
    child = registry["ru_brother"]
    etag = f'"{child.version}"'
    response = client_for(officer).patch(
        _person_url(child), {"home_state": "tj"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["case"]["home_state"] == "TJ"
    assert Case.objects.get(child=child).home_state_id == "TJ"
    # a registrar edits records but may not move cases between states
    registrar = users["moj.registrar"]
    other = registry["ru_child"]
    response = client_for(registrar).patch(
        _person_url(other), {"home_state": "TJ"}, format="json", HTTP_IF_MATCH=f'"{other.version}"'
    )
    _problem(response, 403)
    assert Case.objects.get(child=other).home_state_id == "RU"


def test_out_of_scope_writes_are_404_and_change_nothing(users, registry, officer_ru, prison):
    tj_child = registry["tj_child"]
    client = client_for(officer_ru)
    before = _state()
    version = tj_child.version
    answers = [
        client.patch(
            _person_url(tj_child),
            {"unaccompanied": True},
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        ),
        client.post(
            _person_url(tj_child, "names"),
            {"full_text": "Fatima", "name_type": "legal_home_state"},
            format="json",
        ),
        client.post(
            _person_url(tj_child, "relatives"),
            {
                "relative": str(registry["ru_mother"].pk),
                "relationship_type": "aunt_uncle",
                "basis": "declared",
            },
            format="json",
        ),
        client.post(
            _person_url(tj_child, "custody"),
            {"facility": prison.pk, "started_on": "2020-01-01"},
            format="json",
        ),
    ]
    for answer in answers:
        _problem(answer, 404)
    assert _state() == before
    tj_child.refresh_from_db()
    assert tj_child.version == version


def test_roles_without_the_capability_are_refused_every_write(users, registry, prison):
    child = registry["ru_child"]
    before = _state()
    for username in ("consul.ru", "hjc.judge", "auditor"):
        client = client_for(users[username])
        answers = [
            client.patch(
                _person_url(child), {"unaccompanied": True}, format="json", HTTP_IF_MATCH='"1"'
            ),
            client.post(
                _person_url(child, "names"),
                {"full_text": "Khadija", "name_type": "legal_home_state"},
                format="json",
            ),
            client.post(
                _person_url(child, "custody"),
                {"facility": prison.pk, "started_on": "2020-01-01"},
                format="json",
            ),
        ]
        for answer in answers:
            _problem(answer, 403)
    assert _state() == before


# -- names -------------------------------------------------------------------------------------


def test_a_name_is_added_and_a_new_preferred_name_demotes_the_old(users, registry):
    officer = users["mfa.officer"]
    child = registry["ru_child"]
    response = client_for(officer).post(
        _person_url(child, "names"),
        {"full_text": "Хадижат Гусейнова", "name_type": "legal_home_state", "is_primary": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["full_text"], body["script"], body["is_primary"]) == (
        "Хадижат Гусейнова",
        "Cyrl",
        True,
    )
    assert list(child.names.filter(is_primary=True).values_list("full_text", flat=True)) == [
        "Хадижат Гусейнова"
    ]
    event = _last(events.NAME_ADDED)
    assert event.data == {"script": "Cyrl", "name_type": "legal_home_state", "primary": True}
    response = client_for(officer).post(
        _person_url(child, "names"), {"full_text": "  ", "name_type": "nickname"}, format="json"
    )
    assert "full_text" in _problem(response, 400)["errors"]
    assert child.names.count() == 2


# -- relatives ---------------------------------------------------------------------------------


def test_an_existing_person_is_linked_as_a_relative(users, registry):
    officer = users["mfa.officer"]
    child, mother = registry["ru_brother"], registry["ru_mother"]
    response = client_for(officer).post(
        _person_url(child, "relatives"),
        {
            "relative": str(mother.pk),
            "relationship_type": "mother",
            "basis": "dna_confirmed",
            "verified_by": "MoH DNA laboratory",
            "verified_on": "2024-02-03",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    link = Relationship.objects.get(pk=response.json()["id"])
    assert (link.person_id, link.relative_id, link.relationship_type, link.basis) == (
        child.pk,
        mother.pk,
        "mother",
        "dna_confirmed",
    )
    assert response.json()["verified_on"] == "2024-02-03"
    event = _last(events.RELATIONSHIP_LINKED)
    assert event.data == {"relative": str(mother.pk), "type": "mother", "basis": "dna_confirmed"}


def test_a_new_adult_is_registered_and_linked(users, registry):
    officer = users["mfa.officer"]
    child = registry["tj_child"]
    response = client_for(officer).post(
        _person_url(child, "relatives"),
        {
            "relationship_type": "mother",
            "basis": "declared",
            "new_adult": {"full_text": "زرينة رحيموفا", "birth_year": 1990},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    adult = Person.objects.get(pk=response.json()["relative"])
    assert (adult.kind, adult.sex, adult.date_of_birth, adult.dob_precision) == (
        "adult",
        "female",
        datetime.date(1990, 7, 1),
        "year",
    )
    assert adult.display_name == "زرينة رحيموفا"
    assert _last(events.ADULT_REGISTERED).object_id == str(adult.pk)
    assert _last(events.RELATIONSHIP_LINKED).data["relative"] == str(adult.pk)


def test_a_relative_needs_exactly_one_of_relative_or_new_adult(users, registry):
    officer = users["mfa.officer"]
    child = registry["ru_child"]
    before = _state()
    response = client_for(officer).post(
        _person_url(child, "relatives"),
        {"relationship_type": "mother", "basis": "declared"},
        format="json",
    )
    assert set(_problem(response, 400)["errors"]) == {"relative", "new_adult"}
    # a person out of the caller's reach is "unknown", whoever it is
    response = client_for(officer).post(
        _person_url(child, "relatives"),
        {
            "relative": "12345678-1234-5678-1234-567812345678",
            "relationship_type": "aunt_uncle",
            "basis": "declared",
        },
        format="json",
    )
    assert _problem(response, 400)["errors"] == {"relative": ["Unknown person."]}
    # a link the model refuses (a child as its own relative) registers no adult either
    response = client_for(officer).post(
        _person_url(child, "relatives"),
        {"relative": str(child.pk), "relationship_type": "aunt_uncle", "basis": "declared"},
        format="json",
    )
    _problem(response, 400)
    assert _state() == before


# -- custody -----------------------------------------------------------------------------------


def test_a_custody_move_closes_the_open_placement(users, registry, orphanage):
    registrar = users["molsa.carer"]
    child = registry["ru_child"]
    response = client_for(registrar).post(
        _person_url(child, "custody"),
        {"facility": orphanage.pk, "started_on": "2021-05-06", "reason": "Mother transferred"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["facility"]["id"] == orphanage.pk
    assert (body["started_on"], body["ended_on"], body["reason"]) == (
        "2021-05-06",
        None,
        "Mother transferred",
    )
    closed = CustodyEpisode.objects.filter(child=child).exclude(pk=body["id"]).get()
    assert closed.ended_on == datetime.date(2021, 5, 6)
    event = _last(events.CUSTODY_MOVED)
    assert event.data["to_facility"] == orphanage.pk
    assert event.data["started_on"] == "2021-05-06"


def test_a_custody_move_before_the_current_placement_is_refused(users, registry, orphanage):
    officer = users["mfa.officer"]
    child = registry["ru_child"]
    before = _state()
    response = client_for(officer).post(
        _person_url(child, "custody"),
        {"facility": orphanage.pk, "started_on": "2017-01-01"},
        format="json",
    )
    assert list(_problem(response, 400)["errors"]) == ["started_on"]
    # an adult has no custody episodes of their own: not a child, so not found here
    response = client_for(officer).post(
        _person_url(registry["ru_mother"], "custody"),
        {"facility": orphanage.pk, "started_on": "2022-01-01"},
        format="json",
    )
    _problem(response, 404)
    assert _state() == before
