"""Writing webhook subscriptions and the delivery log. Delivery itself is in `delivery.py`."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.exceptions import StaleEditError
from homeward.core.scoping import home_state_scope
from homeward.webhooks import events
from homeward.webhooks.choices import DeliveryStatus, Topic
from homeward.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from homeward.webhooks.targets import check_target_url

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "MAX_ATTEMPTS",
    "backoff_seconds",
    "create_subscription",
    "deactivate_subscription",
    "record_attempt",
    "withhold_delivery",
]

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


def backoff_seconds(attempt: int) -> int:
    """Wait after failed attempt `attempt` (1-based): 30 s, 60 s, 2 min, 4 min… capped at 6 h."""
    return min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS)


def _check_target(url: str) -> str:
    """The stripped URL, or a field error: https only, no credentials, a public host."""
    url = url.strip()
    error = check_target_url(url)
    if error:
        raise ValidationError({"target_url": error})
    return url


def create_subscription(
    *, actor, home_state, target_url: str, topics: list[str]
) -> tuple[WebhookSubscription, str]:
    """Subscribe `actor`'s system to `topics` on `home_state`'s cases.

    Returns the subscription and its signing secret in clear: shown once, stored sealed.
    The home state must be in the actor's scope (a consul: its own state only). The target's
    host is resolved and checked (targets.py) before the transaction opens: a slow DNS
    answer holds no database transaction.
    """
    if not actor.has_capability(cap.ADD_WEBHOOK):
        raise PermissionDenied
    scope = home_state_scope(actor)
    if scope is not None and home_state.code not in scope:
        raise ValidationError({"home_state": _("Select a home state you may see.")})
    target_url = _check_target(target_url)
    return _create_subscription(
        actor=actor, home_state=home_state, target_url=target_url, topics=topics
    )


@transaction.atomic(durable=True)
def _create_subscription(
    *, actor, home_state, target_url: str, topics: list[str]
) -> tuple[WebhookSubscription, str]:
    valid = set(Topic.values)
    chosen = sorted(set(topics))
    if not chosen or any(topic not in valid for topic in chosen):
        raise ValidationError({"topics": _("Choose one or more of the listed topics.")})
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        owner=actor, home_state=home_state, target_url=target_url, topics=chosen, secret=secret
    )
    subscription.full_clean(exclude=["secret"])
    subscription.save(force_insert=True)
    record_event(
        events.SUBSCRIPTION_CREATED,
        actor=actor,
        target=subscription,
        data={"target_url": target_url, "topics": chosen},
    )
    return subscription, secret


@transaction.atomic(durable=True)
def deactivate_subscription(
    subscription: WebhookSubscription, *, actor, expected_version: int
) -> WebhookSubscription:
    """Stop deliveries to `subscription`; pending deliveries are withheld."""
    if not actor.has_capability(cap.CHANGE_WEBHOOK):
        raise PermissionDenied
    current = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if current.version != expected_version:
        raise StaleEditError()
    current.is_active = False
    current.version += 1
    current.save(update_fields=["is_active", "version"])
    current.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.WITHHELD, next_attempt_at=None, finished_at=timezone.now()
    )
    record_event(events.SUBSCRIPTION_DEACTIVATED, actor=actor, target=current)
    return current


@transaction.atomic(durable=True)
def record_attempt(
    delivery: WebhookDelivery, *, status_code: int | None, error: str = "", now=None
) -> WebhookDelivery:
    """Log one HTTP attempt; a 2xx finishes the delivery, anything else schedules a retry
    after `backoff_seconds` until MAX_ATTEMPTS, then the delivery has failed."""
    now = now or timezone.now()
    current = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    current.attempts += 1
    current.last_status_code = status_code
    ok = status_code is not None and 200 <= status_code < 300
    if ok:
        current.status = DeliveryStatus.DELIVERED
        current.next_attempt_at = None
        current.finished_at = now
    elif current.attempts >= MAX_ATTEMPTS:
        current.status = DeliveryStatus.FAILED
        current.next_attempt_at = None
        current.finished_at = now
    else:
        current.next_attempt_at = now + timezone.timedelta(
            seconds=backoff_seconds(current.attempts)
        )
    current.save()
    WebhookAttempt.objects.create(
        delivery=current,
        number=current.attempts,
        at=now,
        status_code=status_code,
        error=error[:300],
        next_attempt_at=current.next_attempt_at,
    )
    record_event(
        events.DELIVERY_SENT if ok else events.DELIVERY_FAILED,
        actor=None,
        actor_username="system",
        target=current,
        data={
            "attempt": current.attempts,
            "status_code": status_code,
            "status": current.status,
            "event_seq": current.event_seq,
        },
    )
    return current


@transaction.atomic(durable=True)
def withhold_delivery(delivery: WebhookDelivery, *, reason: str, now=None) -> WebhookDelivery:
    """The subscriber may no longer see the case (or is gone): nothing is sent, ever."""
    now = now or timezone.now()
    current = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    current.status = DeliveryStatus.WITHHELD
    current.next_attempt_at = None
    current.finished_at = now
    current.save(update_fields=["status", "next_attempt_at", "finished_at"])
    record_event(
        events.DELIVERY_WITHHELD,
        actor=None,
        actor_username="system",
        target=current,
        data={"reason": reason, "event_seq": current.event_seq},
    )
    return current
