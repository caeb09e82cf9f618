"""The read API: contents, home-state scoping, refusals, audit, query counts, schema contract."""

import datetime
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from homeward.accounts import events as account_events
from homeward.accounts.models import User
from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.cases import events as case_events
from homeward.core.api.views import operations_reference
from homeward.people import events as people_events
from homeward.people import services
from homeward.people.models import CustodyEpisode

from .conftest import register

OPENAPI_FILE = Path(__file__).resolve().parents[1] / "openapi.json"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def events_of(event_type: str):
    return AuditEvent.objects.filter(event_type=event_type)


# -- cases ---------------------------------------------------------------------------------


def test_officer_lists_every_case_by_reference(users, registry):
    # given
    cases = sorted(
        (registry[key].case for key in ("ru_child", "ru_brother", "tj_child")),
        key=lambda c: c.reference,
    )
    # when
    response = client_for(users["mfa.officer"]).get("/api/v1/cases/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["next"] is None
    assert ids(response) == [str(case.pk) for case in cases]
    assert [row["home_state"] for row in body["results"]] == [case.home_state_id for case in cases]


def test_case_detail_summarises_the_child(users, registry):
    # given
    child = registry["ru_child"]
    case = child.case
    # when
    response = client_for(users["mfa.officer"]).get(f"/api/v1/cases/{case.pk}/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(case.pk)
    assert body["reference"] == case.reference
    assert body["home_state"] == "RU"
    assert body["status"] == "REGISTERED"
    assert body["return_status"] == ""
    assert body["owner"] is None
    assert body["family_group"] is None
    assert body["version"] == 1
    name = child.names.get()
    assert body["child"] == {
        "id": str(child.pk),
        "kind": "child",
        "preferred_name": "خديجة حسينوفا",
        "names": [
            {
                "id": name.pk,
                "full_text": "خديجة حسينوفا",
                "script": "Arab",
                "language": "",
                "given": "",
                "father": "",
                "grandfather": "",
                "family": "",
                "name_type": "prison_register",
                "source": "",
                "is_primary": True,
            }
        ],
    }


def test_cases_filter_by_status_and_home_state(users, registry):
    # given
    client = client_for(users["mfa.officer"])
    # when
    by_state = client.get("/api/v1/cases/", {"home_state": "TJ"})
    by_status = client.get("/api/v1/cases/", {"status": "CLOSED"})
    # then
    assert ids(by_state) == [str(registry["tj_child"].case.pk)]
    assert by_status.json()["count"] == 0


def test_cases_order_by_reference_descending(users, registry):
    # given
    references = sorted(
        registry[key].case.reference for key in ("ru_child", "ru_brother", "tj_child")
    )
    # when
    response = client_for(users["mfa.officer"]).get("/api/v1/cases/", {"ordering": "-reference"})
    # then
    assert [row["reference"] for row in response.json()["results"]] == references[::-1]


# -- people --------------------------------------------------------------------------------


def test_officer_lists_children_and_adults(users, registry):
    # when
    response = client_for(users["mfa.officer"]).get("/api/v1/people/")
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 4
    assert ids(response) == [
        str(registry[key].pk) for key in ("ru_child", "ru_brother", "tj_child", "ru_mother")
    ]
    mother_row = response.json()["results"][3]
    assert mother_row["kind"] == "adult"
    assert mother_row["case"] is None
    assert mother_row["current_facility"] is None


def test_people_list_row_shows_case_and_current_facility(users, registry, prison):
    # when
    response = client_for(users["mfa.officer"]).get(
        "/api/v1/people/", {"kind": "child", "home_state": "TJ"}
    )
    # then
    child = registry["tj_child"]
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["id"] == str(child.pk)
    # masked in a list (G22): initials and birth year, never the name or the date
    assert row["masked_name"] == "ف*** ر***"
    assert row["birth_year"] == "2017"
    assert "فاطمة" not in response.content.decode()
    assert "2017-09-09" not in response.content.decode()
    assert row["sex"] == "female"
    assert row["unaccompanied"] is False
    assert row["case"] == {
        "id": str(child.case.pk),
        "reference": child.case.reference,
        "home_state": "TJ",
        "status": "REGISTERED",
    }
    assert row["current_facility"] == {
        "id": prison.pk,
        "name": "سجن الرصافة للنساء",
        "name_en": "Rusafa Women's Prison",
    }


def test_people_filter_by_kind_and_name(users, registry):
    # given
    client = client_for(users["mfa.officer"])
    # when
    adults = client.get("/api/v1/people/", {"kind": "adult"})
    by_name = client.post("/api/v1/people/search/", {"q": "حسينوف"}, format="json")
    # then
    assert ids(adults) == [str(registry["ru_mother"].pk)]
    assert ids(by_name) == [
        str(registry[key].pk) for key in ("ru_child", "ru_brother", "ru_mother")
    ]


def test_person_detail_shows_biodata_names_relatives_custody_and_case(users, registry, prison):
    # given
    child = registry["ru_child"]
    mother, brother = registry["ru_mother"], registry["ru_brother"]
    episode = CustodyEpisode.objects.get(child=child)
    # when
    response = client_for(users["mfa.officer"]).get(f"/api/v1/people/{child.pk}/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(child.pk)
    assert body["kind"] == "child"
    assert body["preferred_name"] == "خديجة حسينوفا"
    assert body["sex"] == "female"
    assert body["date_of_birth"] == "2016-03-01"
    assert body["dob_precision"] == "day"
    assert body["dob_earliest"] is None
    assert body["place_of_birth_country"] is None
    assert body["languages"] == []
    assert body["legal_status"] == "unknown"
    assert body["age_is_estimated"] is False
    assert body["version"] == 1
    assert [name["full_text"] for name in body["names"]] == ["خديجة حسينوفا"]
    assert sorted(body["relationships"], key=lambda row: row["relationship_type"]) == [
        {
            "id": child.relationships.get(relative=brother).pk,
            "relative": str(brother.pk),
            "relative_name": "آدم حسينوف",
            "relationship_type": "full_sibling",
            "direction": "outgoing",
            "label": "Full sibling",
            "basis": "declared",
            "verified_by": "",
            "verified_on": None,
        },
        {
            "id": child.relationships.get(relative=mother).pk,
            "relative": str(mother.pk),
            "relative_name": "زلفية حسينوفا",
            "relationship_type": "mother",
            "direction": "outgoing",
            "label": "Mother",
            "basis": "declared",
            "verified_by": "",
            "verified_on": None,
        },
    ]
    assert body["custody_episodes"] == [
        {
            "id": episode.pk,
            "facility": {
                "id": prison.pk,
                "name": "سجن الرصافة للنساء",
                "name_en": "Rusafa Women's Prison",
            },
            "with_person": None,
            "started_on": "2018-01-10",
            "ended_on": None,
            "legal_basis": "",
            "reason": "",
        }
    ]
    assert body["case"] == {
        "id": str(child.case.pk),
        "reference": child.case.reference,
        "home_state": "RU",
        "status": "REGISTERED",
    }


def test_adult_detail_reads_relationships_from_the_adults_side(users, registry):
    # given
    mother, child = registry["ru_mother"], registry["ru_child"]
    # when
    body = client_for(users["mfa.officer"]).get(f"/api/v1/people/{mother.pk}/").json()
    # then
    assert [
        (row["relative"], row["relationship_type"], row["direction"], row["label"])
        for row in body["relationships"]
    ] == [(str(child.pk), "mother", "incoming", "Child")]
    assert body["case"] is None
    assert body["custody_episodes"] == []


# -- scope: a consul sees only its own nationals --------------------------------------------


def test_consul_lists_only_own_cases(users, registry):
    # when
    response = client_for(users["consul.ru"]).get("/api/v1/cases/")
    # then
    assert response.json()["count"] == 2
    assert set(ids(response)) == {
        str(registry["ru_child"].case.pk),
        str(registry["ru_brother"].case.pk),
    }


def test_consul_lists_only_own_people(users, registry):
    # when
    response = client_for(users["consul.ru"]).get("/api/v1/people/")
    # then
    assert response.json()["count"] == 3
    assert set(ids(response)) == {
        str(registry[key].pk) for key in ("ru_child", "ru_brother", "ru_mother")
    }


def test_consul_cannot_tell_another_states_case_from_a_missing_one(users, registry):
    # given
    client = client_for(users["consul.ru"])
    # when
    foreign = client.get(f"/api/v1/cases/{registry['tj_child'].case.pk}/")
    missing = client.get(f"/api/v1/cases/{uuid.uuid4()}/")
    # then
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_consul_cannot_tell_another_states_child_from_a_missing_one(users, registry):
    # given
    client = client_for(users["consul.ru"])
    # when
    foreign = client.get(f"/api/v1/people/{registry['tj_child'].pk}/")
    missing = client.get(f"/api/v1/people/{uuid.uuid4()}/")
    # then
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_consul_filtering_by_another_state_is_refused_like_a_non_country(users, registry):
    # given
    client = client_for(users["consul.ru"])
    # when
    foreign = client.get("/api/v1/cases/", {"home_state": "TJ"})
    bogus = client.get("/api/v1/cases/", {"home_state": "XX"})
    # then
    assert foreign.status_code == bogus.status_code == 400
    assert foreign.json() == bogus.json()


def test_consul_never_finds_another_states_child_by_name_or_reference(users, registry):
    # given
    client = client_for(users["consul.ru"])
    # when
    by_name = client.post("/api/v1/people/search/", {"q": "رحيموفا"}, format="json")
    by_reference = client.post(
        "/api/v1/people/search/", {"q": registry["tj_child"].case.reference}, format="json"
    )
    # then
    assert by_name.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert by_reference.json()["count"] == 0


def test_relationship_to_a_person_the_caller_cannot_see_is_left_out(users, registry):
    # given a Tajik half-sister of the Russian child
    officer = users["mfa.officer"]
    child, tj_child = registry["ru_child"], registry["tj_child"]
    services.link_relative(
        child,
        actor=officer,
        relative=tj_child,
        relationship_type="half_sibling_maternal",
        basis="declared",
    )
    # when
    consul_view = client_for(users["consul.ru"]).get(f"/api/v1/people/{child.pk}/").json()
    officer_view = client_for(officer).get(f"/api/v1/people/{child.pk}/").json()
    # then
    assert {row["relative"] for row in consul_view["relationships"]} == {
        str(registry["ru_mother"].pk),
        str(registry["ru_brother"].pk),
    }
    assert {row["relative"] for row in officer_view["relationships"]} == {
        str(registry["ru_mother"].pk),
        str(registry["ru_brother"].pk),
        str(tj_child.pk),
    }


def test_custody_companion_the_caller_cannot_see_is_null(users, registry, orphanage):
    # given a Russian child moved to be held with an adult linked to no Russian child
    officer = users["mfa.officer"]
    stranger = services.register_adult(
        actor=officer,
        fields={"sex": "female"},
        names=[{"full_text": "مريم", "name_type": "court_record"}],
    )
    child = registry["ru_child"]
    services.record_custody_move(
        child,
        actor=officer,
        facility=orphanage,
        started_on=datetime.date(2020, 1, 1),
        with_person=stranger,
    )
    # when
    consul_view = client_for(users["consul.ru"]).get(f"/api/v1/people/{child.pk}/").json()
    officer_view = client_for(officer).get(f"/api/v1/people/{child.pk}/").json()
    # then
    assert [row["with_person"] for row in consul_view["custody_episodes"]] == [None, None]
    assert [row["with_person"] for row in officer_view["custody_episodes"]] == [
        str(stranger.pk),
        None,
    ]


def test_consul_lists_only_its_own_home_state(users, registry):
    # given
    client = client_for(users["consul.ru"])
    # when
    listed = client.get("/api/v1/home-states/")
    foreign = client.get("/api/v1/home-states/TJ/")
    own = client.get("/api/v1/home-states/RU/")
    # then
    assert listed.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{"id": "RU", "alpha_3": "RUS", "name": "Russian Federation"}],
    }
    assert foreign.status_code == 404
    assert own.json() == {"id": "RU", "alpha_3": "RUS", "name": "Russian Federation"}


def test_facilities_list_and_detail(users, prison):
    # given
    client = client_for(users["consul.ru"])
    expected = {
        "id": prison.pk,
        "name": "سجن الرصافة للنساء",
        "name_en": "Rusafa Women's Prison",
        "facility_type": "women_prison",
        "authority": "moj_ics",
        "jurisdiction": "federal",
        "governorate": "Baghdad",
        "capacity": None,
        "is_active": True,
    }
    # when
    listed = client.get("/api/v1/facilities/")
    detail = client.get(f"/api/v1/facilities/{prison.pk}/")
    # then
    assert listed.json()["results"] == [expected]
    assert detail.json() == expected


# -- refusals -------------------------------------------------------------------------------


def test_anonymous_caller_gets_401_with_bearer_challenge(registry):
    # when
    response = APIClient().get("/api/v1/people/")
    # then
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "url", ["/api/v1/cases/", "/api/v1/people/", "/api/v1/facilities/", "/api/v1/home-states/"]
)
def test_user_without_capability_gets_403_and_a_denial_event(db, url):
    # given a signed-in user with no role
    nobody = User.objects.create_user("nobody", password="correct horse battery staple")
    client = client_for(nobody)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 403
    denial = events_of(account_events.ACCESS_DENIED).get()
    assert denial.actor_username == "nobody"
    assert denial.data == {"path": url, "method": "GET", "reason": "capability"}


def test_malformed_uuid_is_404(users, registry):
    # when
    response = client_for(users["mfa.officer"]).get("/api/v1/people/not-a-uuid/")
    # then
    assert response.status_code == 404
    assert events_of(account_events.ACCESS_DENIED).count() == 0


def test_detail_filtered_out_by_query_is_404_without_a_denial(users, registry):
    # when
    response = client_for(users["mfa.officer"]).get(
        f"/api/v1/people/{registry['ru_child'].pk}/", {"kind": "adult"}
    )
    # then
    assert response.status_code == 404
    assert events_of(account_events.ACCESS_DENIED).count() == 0


def test_out_of_scope_read_is_recorded_as_a_denial(users, registry):
    # given
    url = f"/api/v1/people/{registry['tj_child'].pk}/"
    # when
    client_for(users["consul.ru"]).get(url)
    # then
    denial = events_of(account_events.ACCESS_DENIED).get()
    assert denial.actor_username == "consul.ru"
    assert denial.data == {"path": url, "method": "GET", "reason": "scope"}
    assert events_of(people_events.PERSON_VIEWED).count() == 0


# -- audit ----------------------------------------------------------------------------------


def test_list_records_the_ids_on_the_returned_page(users, registry):
    # when
    response = client_for(users["consul.ru"]).get("/api/v1/people/", {"page_size": "2"})
    # then
    assert ids(response) == [str(registry["ru_child"].pk), str(registry["ru_brother"].pk)]
    assert response.json()["next"] == "http://testserver/api/v1/people/?page=2&page_size=2"
    event = events_of(people_events.PEOPLE_LISTED).get()
    assert event.actor_username == "consul.ru"
    assert event.channel == "api"
    assert event.data == {
        "query": {"page_size": "2"},
        "ids": [str(registry["ru_child"].pk), str(registry["ru_brother"].pk)],
        "total": 3,
    }


def test_case_list_records_the_ids_shown(users, registry):
    # given
    tj_case = registry["tj_child"].case
    # when
    client_for(users["consul.tj"]).get("/api/v1/cases/")
    # then
    event = events_of(case_events.CASES_LISTED).get()
    assert event.data == {"query": {}, "ids": [str(tj_case.pk)], "total": 1}


def test_detail_reads_record_view_events(users, registry):
    # given
    child = registry["ru_child"]
    client = client_for(users["consul.ru"])
    # when
    client.get(f"/api/v1/people/{child.pk}/")
    client.get(f"/api/v1/cases/{child.case.pk}/")
    # then
    person_event = events_of(people_events.PERSON_VIEWED).get()
    assert (person_event.actor_username, person_event.object_id, person_event.home_state) == (
        "consul.ru",
        str(child.pk),
        "RU",
    )
    case_event = events_of(case_events.CASE_VIEWED).get()
    assert (case_event.object_id, case_event.case_id, case_event.person_id) == (
        str(child.case.pk),
        child.case.pk,
        child.pk,
    )


# -- query counts ---------------------------------------------------------------------------


def _people_list_queries(client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(PEOPLE_LIST_QUERIES) as captured:
        response = client.get("/api/v1/people/", {"page_size": "100"})
    assert response.status_code == 200
    return len(captured.captured_queries)


# On PostgreSQL a request also sets its row-level security scope and resets it (2 queries;
# homeward.security.rowsecurity); SQLite has no row-level security.
ROW_SCOPE_QUERIES = 2 if connection.vendor == "postgresql" else 0

# token lookup + last_used, roles, scope (agency), count, page, names, open episodes,
# and the audit append (head lock, insert, head update) with its savepoint pair
PEOPLE_LIST_QUERIES = 13 + ROW_SCOPE_QUERIES


@pytest.mark.parametrize("username", ["mfa.officer", "consul.ru"])
def test_people_list_query_count_does_not_grow_with_rows(
    users, prison, django_assert_max_num_queries, username
):
    # given 3 children, then 10
    officer = users["mfa.officer"]
    client = client_for(users[username])
    for number in range(3):
        register(officer, name=f"طفل {number}", state="RU", facility=prison)
    # when
    with_three = _people_list_queries(client, django_assert_max_num_queries)
    for number in range(3, 10):
        register(officer, name=f"طفل {number}", state="RU", facility=prison)
    with_ten = _people_list_queries(client, django_assert_max_num_queries)
    # then
    assert client.get("/api/v1/people/").json()["count"] == 10
    assert with_three == with_ten


def test_case_list_query_count_does_not_grow_with_rows(
    users, prison, django_assert_max_num_queries
):
    # given
    officer = users["mfa.officer"]
    client = client_for(officer)
    for number in range(10):
        register(officer, name=f"طفل {number}", state="RU", facility=prison)
    # when / then: token, roles, scope, count, page, names, audit append
    with django_assert_max_num_queries(12 + ROW_SCOPE_QUERIES):
        response = client.get("/api/v1/cases/")
    assert response.json()["count"] == 10


@pytest.mark.parametrize(
    ("endpoint", "bound"),
    [
        # token (2), roles, scope, person + names + open episodes, relatives (2 + 2 names),
        # custody episodes, audit append (5)
        ("person", 16),
        # token (2), roles, scope, case + child names, audit append (5)
        ("case", 11),
    ],
)
def test_detail_query_counts_are_pinned(
    users, registry, django_assert_max_num_queries, endpoint, bound
):
    # given
    child = registry["ru_child"]
    url = (
        f"/api/v1/people/{child.pk}/" if endpoint == "person" else f"/api/v1/cases/{child.case.pk}/"
    )
    client = client_for(users["consul.ru"])
    # when / then
    with django_assert_max_num_queries(bound + ROW_SCOPE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


# -- schema, docs, health -------------------------------------------------------------------


def test_schema_is_openapi_3_json_listing_the_cases_endpoint(users):
    # when
    response = client_for(users["consul.ru"]).get("/api/v1/schema/", {"format": "json"})
    # then
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases/" in schema["paths"]


def test_schema_and_docs_need_a_signed_in_caller(db):
    # when
    schema = APIClient().get("/api/v1/schema/", {"format": "json"})
    docs = APIClient().get("/api/v1/docs/")
    # then
    assert schema.status_code == docs.status_code == 401


def test_docs_page_is_served_from_the_schema_without_a_cdn(users):
    # given
    client = APIClient()
    client.force_login(users["auditor"])
    # when
    response = client.get("/api/v1/docs/")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="path">/api/v1/cases/{id}/</span>' in page
    assert "List cases" in page
    assert "<script" not in page
    assert '="http' not in page


def test_docs_reference_groups_operations_by_tag():
    # given
    schema = {
        "paths": {
            "/api/v1/cases/{id}/": {
                "parameters": [],
                "get": {
                    "operationId": "cases_retrieve",
                    "tags": ["cases"],
                    "summary": "Read one case",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Case"}
                                }
                            },
                        }
                    },
                },
            }
        }
    }
    # when
    sections = operations_reference(schema)
    # then
    assert sections == [
        {
            "tag": "cases",
            "operations": [
                {
                    "id": "cases_retrieve",
                    "method": "GET",
                    "path": "/api/v1/cases/{id}/",
                    "summary": "Read one case",
                    "description": "",
                    "parameters": [
                        {
                            "name": "id",
                            "location": "path",
                            "required": True,
                            "type": "string (uuid)",
                            "description": "",
                        }
                    ],
                    "responses": [{"status": "200", "description": "", "type": "Case"}],
                }
            ],
        }
    ]


def test_committed_openapi_json_matches_the_code(db):
    # given
    generated = io.StringIO()
    # when
    call_command(
        "spectacular", "--format", "openapi-json", "--fail-on-warn", "--validate", stdout=generated
    )
    # then: run `make schema` and commit openapi.json when this fails
    assert json.loads(generated.getvalue()) == json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def test_healthz(db):
    # when
    response = APIClient().get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
