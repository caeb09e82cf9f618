"""Two identical creates with one Idempotency-Key at the same moment: exactly one write.

Each request runs on its own thread and database connection (a transactional test, so the
reservation each request commits is what the other sees). The key's row is reserved by a
unique INSERT before the view runs: the second request either finds it still running (409)
or finds its stored answer and replays it; it never runs the create. On PostgreSQL the
unique index decides; on SQLite the IMMEDIATE write lock queues the INSERTs and the same
index decides.
"""

import threading

import pytest
from django.db import connection

from homeward.audit.models import AuditEvent
from homeward.core.models import IdempotencyKey
from homeward.webhooks import events, services
from homeward.webhooks.models import WebhookSubscription

from .conftest import client_for

URL = "/api/v1/webhook-subscriptions/"
BODY = {
    "home_state": "KZ",
    "target_url": "https://kz.example.org/h",
    "topics": ["case.status_changed"],
}
REPETITIONS = 10

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _https_only(settings):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = False


def _post(client, key: str, answers: list, errors: list, barrier=None) -> None:
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        response = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)
        answers.append(response)
    except Exception as exc:  # noqa: BLE001 - any other failure fails the test
        errors.append(repr(exc))
    finally:
        connection.close()


def test_a_request_arriving_while_the_first_runs_is_409_then_the_answer_is_replayed(
    monkeypatch, consul_kz
):
    entered, release = threading.Event(), threading.Event()
    original = services.create_subscription

    def held(**kwargs):
        entered.set()
        assert release.wait(timeout=30)
        return original(**kwargs)

    monkeypatch.setattr(services, "create_subscription", held)
    first_answers, errors = [], []
    first = threading.Thread(
        target=_post, args=(client_for(consul_kz), "same", first_answers, errors)
    )
    first.start()
    try:
        assert entered.wait(timeout=30)
        second = client_for(consul_kz).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same")
    finally:
        release.set()
        first.join(timeout=60)
    assert errors == []
    assert second.status_code == 409
    assert second.json()["type"] == "urn:homeward:problem:conflict"
    (created,) = first_answers
    assert created.status_code == 201
    third = client_for(consul_kz).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert third.status_code == 201
    assert third["Idempotent-Replayed"] == "true"
    assert third.json() == created.json()
    assert WebhookSubscription.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_CREATED).count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_simultaneous_identical_requests_write_once(consul_kz):
    clients = [client_for(consul_kz), client_for(consul_kz)]
    for repetition in range(REPETITIONS):
        key = f"race-{repetition}"
        barrier = threading.Barrier(len(clients))
        answers, errors = [], []
        threads = [
            threading.Thread(target=_post, args=(client, key, answers, errors, barrier))
            for client in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        codes = sorted(answer.status_code for answer in answers)
        assert codes in ([201, 201], [201, 409]), codes
        if codes == [201, 201]:  # the second came after the first had answered: a replay
            assert answers[0].json() == answers[1].json()
            assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
        assert WebhookSubscription.objects.count() == repetition + 1
    assert AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_CREATED).count() == REPETITIONS
    assert connection.vendor in {"sqlite", "postgresql"}
