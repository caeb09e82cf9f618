"""Sending due deliveries: scope checked again, payload signed, result logged.

The HTTP call happens outside any transaction; each outcome is then written by a service.
`transport(url, body, headers, timeout) -> status code` is replaceable (tests).
"""

import json
import urllib.error
import urllib.request
from collections.abc import Callable

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

__all__ = ["body_of", "deliver_due", "urllib_transport"]

TIMEOUT_SECONDS = 10

Transport = Callable[[str, bytes, dict, float], int]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx), never followed to another host


def urllib_transport(url: str, body: bytes, headers: dict, timeout: float) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    # the scheme is https (or http where allowed): checked at subscription and before sending
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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
