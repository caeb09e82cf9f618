"""The API protocol every view shares: problem+json errors, Idempotency-Key on creates,
ETag on reads of one record and If-Match on writes."""

import pytest
from django.db import connection

from homeward.audit.models import AuditEvent
from homeward.core.models import IdempotencyKey
from homeward.crypto.aead import key_id_of
from homeward.crypto.keyring import get_keyring
from homeward.webhooks import events
from homeward.webhooks.models import WebhookSubscription

from .conftest import client_for

URL = "/api/v1/webhook-subscriptions/"
BODY = {
    "home_state": "KZ",
    "target_url": "https://kz.example.org/h",
    "topics": ["case.status_changed"],
}


@pytest.fixture(autouse=True)
def _https_only(settings):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = False


# -- problem+json ------------------------------------------------------------------------------


def test_a_validation_error_is_a_problem_document_with_field_errors(consul_kz):
    response = client_for(consul_kz).post(URL, {**BODY, "topics": []}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:homeward:problem:invalid"
    assert body["title"] == "Invalid request"
    assert body["status"] == 400
    assert body["detail"] == "The request is invalid: see the errors."
    assert list(body["errors"]) == ["topics"]


def test_not_found_forbidden_and_unauthenticated_are_problem_documents(users, consul_kz):
    missing = client_for(consul_kz).get(URL + "00000000-0000-4000-8000-000000000000/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert (
        missing.json()
        == {
            "type": "urn:homeward:problem:not_found",
            "title": "Not found",
            "status": 404,
            "detail": "No WebhookSubscription matches the given query.",
        }
        or missing.json()["type"] == "urn:homeward:problem:not_found"
    )
    forbidden = client_for(users["moj.registrar"]).get(URL)
    assert forbidden.status_code == 403
    assert forbidden.json()["type"] == "urn:homeward:problem:permission_denied"
    assert forbidden.json()["status"] == 403
    anonymous = client_for(consul_kz)
    anonymous.credentials()
    answer = anonymous.get(URL)
    assert answer.status_code == 401
    assert answer.json()["type"] == "urn:homeward:problem:not_authenticated"


def test_an_unmatched_api_path_is_a_problem_document(consul_kz):
    response = client_for(consul_kz).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:homeward:problem:not_found"


@pytest.mark.parametrize("query", ["?format=", "?format=xml", "?format=json&format="])
def test_a_format_given_empty_or_not_offered_is_a_404_not_ignored(consul_kz, query):
    client = client_for(consul_kz)
    assert client.get(URL + "?format=json").status_code == 200
    response = client.get(URL + query)
    assert response.status_code == 404
    assert response.json()["type"] == "urn:homeward:problem:not_found"


# -- Idempotency-Key ---------------------------------------------------------------------------


def test_a_retried_create_is_replayed_not_repeated(consul_kz):
    client = client_for(consul_kz)
    first = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"] == '"1"'
    assert not first.has_header("Idempotent-Replayed")
    assert WebhookSubscription.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_CREATED).count() == 1


def test_a_stored_answer_is_sealed_and_its_replay_is_identical(consul_kz):
    client = client_for(consul_kz)
    first = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-secret")
    secret = first.json()["secret"]
    assert secret == WebhookSubscription.objects.get().secret
    record = IdempotencyKey.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM core_idempotencykey WHERE id = %s", [record.pk])
        stored = bytes(cursor.fetchone()[0])
    assert secret.encode() not in stored
    assert b"kz.example.org" not in stored  # nothing of the answer is clear
    assert key_id_of(stored) == get_keyring().primary("field").key_id
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-secret")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WebhookSubscription.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(consul_kz):
    client = client_for(consul_kz)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = client.post(
        URL,
        {**BODY, "target_url": "https://kz.example.org/other"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert other.status_code == 422
    assert other.json()["type"] == "urn:homeward:problem:idempotency_key_reused"
    assert WebhookSubscription.objects.count() == 1


def test_a_key_is_per_user(users, consul_kz):
    client_for(consul_kz).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    ru = client_for(users["consul.ru"]).post(
        URL, {**BODY, "home_state": "RU"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert ru.status_code == 201
    assert ru.json()["home_state"] == "RU"
    assert WebhookSubscription.objects.count() == 2


def test_an_error_frees_the_key_for_the_corrected_request(consul_kz):
    client = client_for(consul_kz)
    bad = client.post(URL, {**BODY, "topics": []}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def test_a_key_still_in_flight_is_409(consul_kz):
    client = client_for(consul_kz)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    IdempotencyKey.objects.update(status_code=None, response_body=None)  # as while it runs
    busy = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert busy.status_code == 409
    assert busy.json()["type"] == "urn:homeward:problem:conflict"
    assert WebhookSubscription.objects.count() == 1


def test_a_malformed_key_is_refused(consul_kz):
    response = client_for(consul_kz).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="a b")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert not WebhookSubscription.objects.exists()


# -- ETag --------------------------------------------------------------------------------------


def test_every_read_of_one_record_has_an_etag(users, registry, prison):
    client = client_for(users["mfa.officer"])
    facility = client.get(f"/api/v1/facilities/{prison.pk}/")
    assert facility.status_code == 200
    assert facility["ETag"].startswith('W/"') and len(facility["ETag"]) == 36
    assert client.get(f"/api/v1/facilities/{prison.pk}/")["ETag"] == facility["ETag"]
    person = client.get(f"/api/v1/people/{registry['ru_child'].pk}/")
    assert person["ETag"] == f'"{person.json()["version"]}"'
    case = client.get(f"/api/v1/cases/{registry['ru_child'].case.pk}/")
    assert case["ETag"] == f'"{registry["ru_child"].case.version}"'


@pytest.mark.parametrize("query", ["note%00=ab", "note=a%00b"], ids=["in-a-name", "in-a-value"])
def test_a_nul_in_a_query_is_refused_before_any_view(consul_kz, query):
    # given a NUL in a parameter's name or value (PostgreSQL's text and jsonb refuse NUL, so
    # the list's filter or its audit event would fail as a server error)
    before = AuditEvent.objects.count()
    # when
    response = client_for(consul_kz).get(f"/api/v1/arrivals/?{query}")
    # then
    assert (response.status_code, response.content) == (400, b"The request could not be accepted.")
    assert not AuditEvent.objects.filter(seq__gt=before, event_type="operations.arrival.listed")
