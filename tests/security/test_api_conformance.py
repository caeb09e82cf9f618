"""G15: what the schema says about errors is what the API answers (homeward.core.api.schema)."""

import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token

OPENAPI = json.loads((Path(__file__).resolve().parents[2] / "openapi.json").read_text())


@pytest.fixture
def consul(users):
    client = APIClient()
    token = issue_api_token(users["consul.ru"], actor=users["consul.ru"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_every_operation_declares_the_shared_errors():
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "414"} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert "413" in codes, (method, path)
    error = OPENAPI["components"]["schemas"]["Error"]
    assert error["required"] == ["type", "title", "status", "detail"]
    assert set(error["properties"]) == {"type", "title", "status", "detail"}
    # every JSON error is a problem document (RFC 9457)
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for code, response in operation["responses"].items():
                if code >= "400":
                    assert "application/json" not in response.get("content", {}), (path, code)


def test_only_collections_declare_a_paginated_answer():
    # a detail action answering a plain list (readiness, refresh) must not be declared as a
    # page of results: clients would look for `results` and find none
    paginated = {
        (method, path)
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        and "Paginated" in json.dumps(operation["responses"].get("200", {}).get("content", {}))
    }
    # the only paginated answers under one record are its nested collections
    under_a_record = {(method, path) for method, path in paginated if "{" in path}
    assert under_a_record == {
        ("get", "/api/v1/cases/{case_pk}/transitions/"),
        ("get", "/api/v1/people/{id}/access/"),  # a child's access history
        ("get", "/api/v1/imports/{id}/rows/"),  # an import's dry-run report
    }


@pytest.mark.django_db
def test_a_malformed_id_under_the_api_answers_a_json_404(consul):
    answer = consul.get("/api/v1/people/not-a-uuid/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    assert set(answer.json()) == {"type", "title", "status", "detail"}


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["AAA", "0", "-1", "1.5", ""])
def test_a_page_size_that_is_not_a_whole_number_from_one_answers_400(consul, value):
    answer = consul.get("/api/v1/people/", {"page_size": value})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["page_size"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1.0", " 1", "1_0", "+1"])
def test_a_page_that_is_not_a_whole_number_answers_404(consul, value):
    assert consul.get("/api/v1/people/", {"page": value}).status_code == 404
    assert consul.get("/api/v1/people/", {"page": "1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345678123456781234567812345678",
        "{12345678-1234-5678-1234-567812345678}",
        "urn:uuid:12345678-1234-5678-1234-567812345678",
    ],
)
def test_a_uuid_filter_takes_only_the_canonical_form(consul, value):
    answer = consul.get("/api/v1/attachments/", {"person": value})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["person"]
    canonical = consul.get(
        "/api/v1/attachments/", {"person": "12345678-1234-5678-1234-567812345678"}
    )
    assert canonical.status_code == 200
    assert canonical.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/adult-cases/", "released_by", ""),
        ("/api/v1/tracing-matches/", "request", ""),
        ("/api/v1/tracing-matches/", "request", "-9.61885111120759e+254"),
        ("/api/v1/tracing-matches/", "request", "1.5"),
        ("/api/v1/tracing-matches/", "request", "0"),
        ("/api/v1/tracing-matches/", "request", str(2**63)),
    ],
)
def test_an_empty_or_out_of_range_typed_filter_answers_400(consul, path, name, value):
    # a date, number or id filter sent empty or out of range is refused, not ignored or a 500
    answer = consul.get(path, {name: value})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == [name]
    assert (
        consul.get(path, {name: "2026-01-01" if name == "released_by" else "1"}).json()["count"]
        == 0
    )


@pytest.mark.django_db
def test_a_host_that_is_not_ours_answers_a_problem_document_under_the_api(consul):
    # Django refuses the Host before any view: under /api/ the refusal is still a problem
    answer = consul.post("/api/v1/assurances/", {}, format="json", HTTP_HOST="\\l1\\x(6pfP")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["detail"] == "The request could not be accepted."


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/webhook-subscriptions/"])
def test_a_page_given_twice_answers_404(consul, path):
    # every list, whatever its view, reads one `page`: two are a request the schema refuses
    assert consul.get(f"{path}?page=1&page=").status_code == 404
    assert consul.get(f"{path}?page=1").status_code == 200
