"""Sending due deliveries: scope checked again, payload signed, result logged.

The HTTP call happens outside any transaction; each outcome is then written by a service.
`transport(url, body, headers, timeout) -> status code` is replaceable (tests); the default
one checks the target's address again right before connecting (targets.py: SSRF, DNS
rebinding), and a refused address is a failed attempt, retried with backoff.
"""

import http.client
import json
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from homeward.accounts import capabilities as cap
from homeward.cases.models import Case
from homeward.core.scoping import home_state_scope
from homeward.webhooks.choices import DeliveryStatus
from homeward.webhooks.models import WebhookDelivery
from homeward.webhooks.services import record_attempt, withhold_delivery
from homeward.webhooks.signing import signature_headers
from homeward.webhooks.targets import pinned_address

__all__ = ["body_of", "deliver_due", "urllib_transport"]

TIMEOUT_SECONDS = 10

Transport = Callable[[str, bytes, dict, float], int]


def _pinned_connector(address: str):
    """`socket.create_connection` that goes to `address` whatever host it is asked for."""

    def connect(host_port, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        return socket.create_connection((address, host_port[1]), timeout, source_address)

    return connect


def urllib_transport(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST `body` to `url`, connecting only to the address checked just now.

    The host is resolved and checked here (targets.pinned_address: UnsafeTarget, an OSError,
    when it is not public) and the socket goes to that address, so a second DNS answer
    (rebinding) is never used; TLS still verifies the certificate for the host name. No
    proxy, and no redirect is followed: a 3xx is the answer.
    """
    address = pinned_address(url)
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    connection._create_connection = _pinned_connector(address)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from None
    finally:
        connection.close()


def body_of(delivery: WebhookDelivery) -> bytes:
    document = {"id": str(delivery.id), **delivery.payload}
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True).encode()


def _still_visible(delivery: WebhookDelivery) -> str:
    """Why `delivery` may not be sent now ("" when it may)."""
    subscription = delivery.subscription
    owner = subscription.owner
    if not subscription.is_active:
        return "subscription_inactive"
    if not owner.is_active or not owner.has_capability(cap.VIEW_WEBHOOK):
        return "owner_cannot_receive"
    scope = home_state_scope(owner)
    if scope is not None and subscription.home_state_id not in scope:
        return "out_of_scope"
    if delivery.case_id and not (
        Case.objects.for_user(owner, "view")
        .filter(pk=delivery.case_id, home_state_id=subscription.home_state_id)
        .exists()
    ):
        return "out_of_scope"
    if not subscription.target_url.startswith("https://") and not (
        settings.HOMEWARD_WEBHOOK_ALLOW_HTTP
    ):
        return "insecure_target"
    return ""


def deliver_due(
    *, now=None, transport: Transport | None = None, limit: int = 100
) -> dict[str, int]:
    """Send every pending delivery whose time has come; returns counts by outcome."""
    now = now or timezone.now()
    transport = transport or urllib_transport
    due = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .select_related("subscription__owner__agency", "subscription")
        .order_by("next_attempt_at", "event_seq")[:limit]
    )
    outcome = {"delivered": 0, "retrying": 0, "failed": 0, "withheld": 0}
    for delivery in due:
        reason = _still_visible(delivery)
        if reason:
            withhold_delivery(delivery, reason=reason, now=now)
            outcome["withheld"] += 1
            continue
        body = body_of(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Homeward-Webhooks/1",
            "Homeward-Delivery": str(delivery.id),
            "Homeward-Topic": delivery.topic,
            **signature_headers(delivery.subscription.secret, body, timestamp=int(now.timestamp())),
        }
        try:
            status_code, error = (
                transport(delivery.subscription.target_url, body, headers, TIMEOUT_SECONDS),
                "",
            )
        except OSError as exc:
            status_code, error = None, f"{type(exc).__name__}: {exc}"
        result = record_attempt(delivery, status_code=status_code, error=error, now=now)
        if result.status == DeliveryStatus.DELIVERED:
            outcome["delivered"] += 1
        elif result.status == DeliveryStatus.FAILED:
            outcome["failed"] += 1
        else:
            outcome["retrying"] += 1
    return outcome
