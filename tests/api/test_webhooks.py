"""Webhooks: subscriptions in scope, signed deliveries, retries with backoff, the delivery log,
and scope checked at delivery (Kazakhstan's subscription never receives another state's case)."""

import datetime
import http.server
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.webhooks import events
from homeward.webhooks.choices import DeliveryStatus, Topic
from homeward.webhooks.delivery import deliver_due
from homeward.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from homeward.webhooks.services import (
    MAX_ATTEMPTS,
    backoff_seconds,
    create_subscription,
)
from homeward.webhooks.signing import sign, verify
from homeward.workflow.services.side_states import put_on_hold
from tests.conftest import PUBLIC_TEST_ADDRESS, fake_resolver

from .conftest import client_for

URL = "https://kz.example.org/homeward"


@pytest.fixture(autouse=True)
def _https_only(settings):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = False


class Recorder:
    """A transport that answers the given status codes in turn and keeps every request."""

    def __init__(self, *codes):
        self.codes = list(codes) or [200]
        self.requests = []

    def __call__(self, url, body, headers, timeout):
        self.requests.append({"url": url, "body": body, "headers": headers})
        return self.codes.pop(0) if len(self.codes) > 1 else self.codes[0]


def subscribe(user, state="KZ", topics=(Topic.CASE_STATUS_CHANGED,), url=URL):
    from homeward.core.models import HomeState

    return create_subscription(
        actor=user, home_state=HomeState.objects.get(code=state), target_url=url, topics=topics
    )


def hold(case, admin):
    case.refresh_from_db()
    return put_on_hold(case, actor=admin, expected_version=case.version, reason="awaiting sibling")


# -- subscribing -------------------------------------------------------------------------------


def test_consul_subscribes_over_the_api_and_sees_the_secret_once(consul_kz):
    client = client_for(consul_kz)
    response = client.post(
        "/api/v1/webhook-subscriptions/",
        {"home_state": "kz", "target_url": URL, "topics": ["case.status_changed"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    subscription = WebhookSubscription.objects.get()
    assert body["id"] == str(subscription.pk)
    assert body["home_state"] == "KZ"
    assert body["owner"] == "consul.kz"
    assert body["topics"] == ["case.status_changed"]
    assert body["secret"] == subscription.secret and len(body["secret"]) >= 40
    assert response["ETag"] == '"1"'
    event = AuditEvent.objects.get(event_type=events.SUBSCRIPTION_CREATED)
    assert event.home_state == "KZ"
    assert event.data == {"target_url": URL, "topics": ["case.status_changed"]}
    again = client.get(f"/api/v1/webhook-subscriptions/{subscription.pk}/")
    assert again.status_code == 200
    assert "secret" not in again.json()
    assert again["ETag"] == '"1"'


def test_the_secret_is_sealed_in_the_database(consul_kz):
    subscription, secret = subscribe(consul_kz)
    raw = WebhookSubscription.objects.filter(pk=subscription.pk).values_list("secret", flat=True)
    assert secret.encode() not in bytes(raw[0])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"home_state": "RU", "target_url": URL, "topics": ["case.status_changed"]}, "home_state"),
        ({"home_state": "XX", "target_url": URL, "topics": ["case.status_changed"]}, "home_state"),
        (
            {
                "home_state": "KZ",
                "target_url": "http://kz.example.org/",
                "topics": ["case.status_changed"],
            },
            "target_url",
        ),
        (
            {
                "home_state": "KZ",
                "target_url": "https://u:p@kz.example.org/",
                "topics": ["case.status_changed"],
            },
            "target_url",
        ),
        ({"home_state": "KZ", "target_url": URL, "topics": []}, "topics"),
        ({"home_state": "KZ", "target_url": URL, "topics": ["case.deleted"]}, "topics"),
        (
            {
                "home_state": "KZ",
                "target_url": URL,
                "topics": ["case.status_changed"],
                "secret": "x",
            },
            "secret",
        ),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field_and_writes_nothing(consul_kz, body, field):
    response = client_for(consul_kz).post("/api/v1/webhook-subscriptions/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not WebhookSubscription.objects.exists()
    assert not AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_CREATED).exists()


def test_a_role_without_the_grant_cannot_subscribe(users):
    response = client_for(users["moj.registrar"]).post(
        "/api/v1/webhook-subscriptions/",
        {"home_state": "RU", "target_url": URL, "topics": ["case.status_changed"]},
        format="json",
    )
    assert response.status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_subscriptions_of_another_state_are_invisible(users, consul_kz):
    ru, _secret = subscribe(users["consul.ru"], state="RU")
    kz, _secret = subscribe(consul_kz)
    client = client_for(consul_kz)
    listed = client.get("/api/v1/webhook-subscriptions/").json()
    assert [row["id"] for row in listed["results"]] == [str(kz.pk)]
    assert client.get(f"/api/v1/webhook-subscriptions/{ru.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/webhook-subscriptions/{ru.pk}/deactivate/", HTTP_IF_MATCH='"1"'
        ).status_code
        == 404
    )
    ru.refresh_from_db()
    assert ru.is_active


def test_deactivation_needs_if_match(consul_kz):
    subscription, _secret = subscribe(consul_kz)
    client = client_for(consul_kz)
    url = f"/api/v1/webhook-subscriptions/{subscription.pk}/deactivate/"
    assert client.post(url).status_code == 428
    assert client.post(url, HTTP_IF_MATCH='"7"').status_code == 412
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.version == 1
    done = client.post(url, HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    assert done.json()["is_active"] is False
    assert done["ETag"] == '"2"'
    assert AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_DEACTIVATED).count() == 1


# -- queueing and scope ------------------------------------------------------------------------


def test_a_status_change_is_queued_for_its_home_state_only(users, consul_kz, kz_child, registry):
    kz, _secret = subscribe(consul_kz)
    ru, _secret = subscribe(users["consul.ru"], state="RU")
    hold(kz_child.case, users["admin"])
    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription == kz
    assert delivery.topic == Topic.CASE_STATUS_CHANGED
    assert delivery.case_id == kz_child.case.pk
    assert delivery.payload["status"] == {"from": "REGISTERED", "to": "ON_HOLD"}
    assert delivery.payload["transition"] == "put_on_hold"
    assert delivery.payload["case"] == {
        "id": str(kz_child.case.pk),
        "reference": kz_child.case.reference,
        "status": "ON_HOLD",
    }
    hold(registry["tj_child"].case, users["admin"])
    assert WebhookDelivery.objects.count() == 1  # nobody subscribed to Tajikistan
    assert not WebhookDelivery.objects.filter(subscription=ru).exists()


def test_a_topic_not_subscribed_to_is_not_queued(users, consul_kz, kz_child):
    subscribe(consul_kz, topics=[Topic.CLEARANCE_REQUESTED])
    hold(kz_child.case, users["admin"])
    assert not WebhookDelivery.objects.exists()


def test_a_rolled_back_change_queues_nothing(users, consul_kz, kz_child):
    subscribe(consul_kz)
    with pytest.raises(Exception):  # noqa: B017 (the stale version is refused)
        put_on_hold(kz_child.case, actor=users["admin"], expected_version=99, reason="x")
    assert not WebhookDelivery.objects.exists()


def test_kazakhstan_never_receives_another_states_case_even_if_moved(users, consul_kz, kz_child):
    """A case re-attributed to Russia after queueing is withheld at delivery, not sent."""
    subscribe(consul_kz)
    hold(kz_child.case, users["admin"])
    from homeward.cases.models import Case

    Case.objects.filter(pk=kz_child.case.pk).update(home_state_id="RU")
    transport = Recorder(200)
    assert deliver_due(transport=transport) == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
        "withheld": 1,
    }
    assert transport.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.WITHHELD
    event = AuditEvent.objects.get(event_type=events.DELIVERY_WITHHELD)
    assert event.data == {"reason": "out_of_scope", "event_seq": delivery.event_seq}


def test_an_owner_who_lost_the_grant_receives_nothing(users, consul_kz, kz_child):
    subscribe(consul_kz)
    hold(kz_child.case, users["admin"])
    consul_kz.is_active = False
    consul_kz.save(update_fields=["is_active"])
    transport = Recorder(200)
    assert deliver_due(transport=transport)["withheld"] == 1
    assert transport.requests == []


# -- signing, retries, the log -----------------------------------------------------------------


def test_a_delivery_is_signed_over_timestamp_and_body(users, consul_kz, kz_child):
    _subscription, secret = subscribe(consul_kz)
    hold(kz_child.case, users["admin"])
    now = timezone.now()
    transport = Recorder(204)
    assert deliver_due(now=now, transport=transport)["delivered"] == 1
    (request,) = transport.requests
    headers, body = request["headers"], request["body"]
    assert request["url"] == URL
    assert headers["Homeward-Timestamp"] == str(int(now.timestamp()))
    assert headers["Homeward-Signature"] == sign(secret, int(now.timestamp()), body)
    assert verify(secret, body, headers["Homeward-Timestamp"], headers["Homeward-Signature"])
    assert not verify("wrong", body, headers["Homeward-Timestamp"], headers["Homeward-Signature"])
    assert not verify(
        secret, body + b" ", headers["Homeward-Timestamp"], headers["Homeward-Signature"]
    )
    stale = now.timestamp() + 301
    assert not verify(
        secret, body, headers["Homeward-Timestamp"], headers["Homeward-Signature"], now=stale
    )
    document = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert document["id"] == str(delivery.pk)
    assert document["topic"] == "case.status_changed"
    assert headers["Homeward-Delivery"] == str(delivery.pk)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1 and delivery.last_status_code == 204
    sent = AuditEvent.objects.get(event_type=events.DELIVERY_SENT)
    assert sent.data["status_code"] == 204 and sent.home_state == "KZ"


def test_sign_is_hmac_sha256_of_timestamp_dot_body():
    assert sign("s3cret", 1700000000, b'{"a":1}') == (
        "v1="
        + __import__("hmac")
        .new(b"s3cret", b'1700000000.{"a":1}', __import__("hashlib").sha256)
        .hexdigest()
    )


def test_failures_retry_with_exponential_backoff_then_fail(users, consul_kz, kz_child):
    subscribe(consul_kz)
    hold(kz_child.case, users["admin"])
    start = timezone.now()
    now = start
    transport = Recorder(500)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = deliver_due(now=now, transport=transport)
        delivery = WebhookDelivery.objects.get()
        assert delivery.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert outcome["retrying"] == 1
            assert delivery.next_attempt_at == now + datetime.timedelta(
                seconds=backoff_seconds(attempt)
            )
            # not due a second before the backoff ends
            assert deliver_due(
                now=delivery.next_attempt_at - datetime.timedelta(seconds=1), transport=transport
            ) == {
                "delivered": 0,
                "retrying": 0,
                "failed": 0,
                "withheld": 0,
            }
            now = delivery.next_attempt_at
        else:
            assert outcome["failed"] == 1
    assert delivery.status == DeliveryStatus.FAILED
    assert len(transport.requests) == MAX_ATTEMPTS
    log = list(WebhookAttempt.objects.order_by("number").values_list("number", "status_code"))
    assert log == [(n, 500) for n in range(1, MAX_ATTEMPTS + 1)]
    assert [backoff_seconds(n) for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert backoff_seconds(20) == 6 * 3600


def test_a_network_error_is_logged_and_retried(users, consul_kz, kz_child):
    subscribe(consul_kz)
    hold(kz_child.case, users["admin"])

    def refused(url, body, headers, timeout):
        raise ConnectionRefusedError("refused")

    deliver_due(transport=refused)
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error == "ConnectionRefusedError: refused"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_the_delivery_log_over_the_api_is_scoped(users, consul_kz, kz_child, registry):
    subscribe(consul_kz)
    subscribe(users["consul.ru"], state="RU")
    hold(kz_child.case, users["admin"])
    hold(registry["ru_child"].case, users["admin"])
    deliver_due(transport=Recorder(503, 200))
    kz_log = client_for(consul_kz).get("/api/v1/webhook-deliveries/").json()
    assert kz_log["count"] == 1
    (row,) = kz_log["results"]
    assert row["case_id"] == str(kz_child.case.pk)
    assert row["attempts"] == 1
    assert row["attempt_log"][0]["number"] == 1
    assert row["attempt_log"][0]["status_code"] in (503, 200)
    ru_delivery = WebhookDelivery.objects.get(subscription__home_state="RU")
    assert (
        client_for(consul_kz).get(f"/api/v1/webhook-deliveries/{ru_delivery.pk}/").status_code
        == 404
    )


def test_deliver_webhooks_command_posts_to_a_local_server(settings, users, consul_kz, kz_child):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = True
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True  # a local test server is on loopback
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((dict(self.headers), self.rfile.read(length)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _subscription, secret = subscribe(
            consul_kz, url=f"http://127.0.0.1:{server.server_port}/hook"
        )
        hold(kz_child.case, users["admin"])
        call_command("deliver_webhooks", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    finally:
        server.shutdown()
        server.server_close()
    ((headers, body),) = received
    assert verify(secret, body, headers["Homeward-Timestamp"], headers["Homeward-Signature"])
    assert json.loads(body)["case"]["reference"] == kz_child.case.reference
    assert WebhookDelivery.objects.get().last_status_code == 202


def test_an_http_target_is_withheld_in_production(settings, users, consul_kz, kz_child):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = True
    subscribe(consul_kz, url="http://kz.example.org/hook")
    hold(kz_child.case, users["admin"])
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = False
    transport = Recorder(200)
    assert deliver_due(transport=transport)["withheld"] == 1
    assert transport.requests == []


# -- SSRF: public addresses only, checked at subscription and at delivery ----------------------

REFUSED = [
    ("127.0.0.1", "a loopback address (127.0.0.1)"),
    ("::1", "a loopback address (::1)"),
    ("::ffff:127.0.0.1", "a loopback address (::ffff:127.0.0.1)"),
    ("10.1.2.3", "a private network address (10.1.2.3)"),
    ("172.16.0.1", "a private network address (172.16.0.1)"),
    ("192.168.1.10", "a private network address (192.168.1.10)"),
    ("100.64.0.1", "a private network address (100.64.0.1)"),
    ("fd00::1", "a private network address (fd00::1)"),
    ("64:ff9b::a01:203", "a private network address (64:ff9b::a01:203)"),
    ("169.254.169.254", "a link-local address (169.254.169.254)"),
    ("fe80::1", "a link-local address (fe80::1)"),
    ("224.0.0.1", "a multicast address (224.0.0.1)"),
    ("ff02::1", "a multicast address (ff02::1)"),
    ("240.0.0.1", "a reserved address (240.0.0.1)"),
    ("4000::1", "a reserved address (4000::1)"),
    ("0.0.0.0", "an unspecified address (0.0.0.0)"),  # noqa: S104
    ("::", "an unspecified address (::)"),
]


def _refusal(kind: str) -> str:
    return f"The host resolves to {kind}. Webhooks are sent to public addresses only."


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_a_target_resolving_to_a_non_public_address_is_refused(
    monkeypatch, consul_kz, address, kind
):
    monkeypatch.setattr(
        "homeward.webhooks.targets.resolve_host",
        fake_resolver({"hook.kz.example.org": [address]}),
    )
    client = client_for(consul_kz)
    for target in ("https://hook.kz.example.org/h", f"https://{_literal(address)}/h"):
        response = client.post(
            "/api/v1/webhook-subscriptions/",
            {"home_state": "KZ", "target_url": target, "topics": ["case.status_changed"]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"target_url": [_refusal(kind)]}
    assert not WebhookSubscription.objects.exists()
    assert not AuditEvent.objects.filter(event_type=events.SUBSCRIPTION_CREATED).exists()


def _literal(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch, consul_kz):
    monkeypatch.setattr(
        "homeward.webhooks.targets.resolve_host",
        fake_resolver({"kz.example.org": [PUBLIC_TEST_ADDRESS, "10.0.0.7"]}),
    )
    with pytest.raises(ValidationError) as refused:
        subscribe(consul_kz)
    assert refused.value.message_dict == {
        "target_url": [_refusal("a private network address (10.0.0.7)")]
    }
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://kz.example.org/h", "Give an https:// address."),
        ("ftp://kz.example.org/h", "Give an https:// address."),
        ("file:///etc/passwd", "Give an https:// address."),
        ("https://unknown.invalid/h", "The host could not be found: check the address."),
        ("https://kz.example.org:99999/h", "Give a valid port number."),
    ],
)
def test_other_unusable_targets_are_refused_with_a_field_error(consul_kz, url, message):
    with pytest.raises(ValidationError) as refused:
        subscribe(consul_kz, url=url)
    assert refused.value.message_dict == {"target_url": [message]}
    assert not WebhookSubscription.objects.exists()


def test_private_targets_are_accepted_only_when_the_setting_allows(settings, consul_kz):
    settings.HOMEWARD_WEBHOOK_ALLOW_HTTP = True
    with pytest.raises(ValidationError):
        subscribe(consul_kz, url="http://localhost:8080/hook")
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True
    subscription, _secret = subscribe(consul_kz, url="http://localhost:8080/hook")
    assert subscription.target_url == "http://localhost:8080/hook"


class Connections:
    """Stands in for socket.create_connection: records where it was asked to go, refuses."""

    def __init__(self):
        self.calls = []

    def __call__(self, address, *args, **kwargs):
        self.calls.append(address)
        raise ConnectionRefusedError("test: no network")


def test_a_target_rebound_to_a_private_address_gets_nothing_at_delivery(
    monkeypatch, users, consul_kz, kz_child
):
    subscribe(consul_kz)  # kz.example.org is public when subscribing
    hold(kz_child.case, users["admin"])
    monkeypatch.setattr(
        "homeward.webhooks.targets.resolve_host",
        fake_resolver({"kz.example.org": ["169.254.169.254"]}),
    )
    connections = Connections()
    monkeypatch.setattr("homeward.webhooks.delivery.socket.create_connection", connections)
    assert deliver_due() == {"delivered": 0, "retrying": 1, "failed": 0, "withheld": 0}
    assert connections.calls == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error == (
        "UnsafeTarget: The host resolves to a link-local address (169.254.169.254)."
    )
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_delivery_connects_to_the_address_it_checked(monkeypatch, users, consul_kz, kz_child):
    """DNS answers public then private (rebinding): the socket goes to the checked address."""
    subscribe(consul_kz)
    hold(kz_child.case, users["admin"])
    answers = [[PUBLIC_TEST_ADDRESS], ["127.0.0.1"]]
    monkeypatch.setattr("homeward.webhooks.targets.resolve_host", lambda host, port: answers.pop(0))
    connections = Connections()
    monkeypatch.setattr("homeward.webhooks.delivery.socket.create_connection", connections)
    deliver_due()
    assert connections.calls == [(PUBLIC_TEST_ADDRESS, 443)]
    assert answers == [["127.0.0.1"]]  # resolved once: no second answer was used
    assert WebhookAttempt.objects.get().error == "ConnectionRefusedError: test: no network"
