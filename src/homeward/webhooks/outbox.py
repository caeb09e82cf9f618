"""From the audit stream to the outbox: which events a subscriber can receive, and what.

`enqueue_deliveries` runs inside `audit.services.record_event`, so a delivery row commits or
rolls back with the change and its audit event. It queues one row per active subscription
of the event's home state that wants the event's topic. The payload names the case and what
happened, never sealed or personal details: a receiver reads more through the API, in scope.
"""

from django.utils import timezone

from homeward.diplomacy import events as diplomacy_events
from homeward.evidence import events as evidence_events
from homeward.webhooks.choices import Topic

__all__ = ["enqueue_deliveries", "topic_of"]

EXACT_TOPICS = {
    evidence_events.CLAIM_NOTIFIED: Topic.NATIONALITY_CLAIM_NOTIFIED,
    diplomacy_events.ENGAGEMENT_RECORDED: Topic.ENGAGEMENT_RECORDED,
    diplomacy_events.REPLY_RECORDED: Topic.ENGAGEMENT_RECORDED,
    evidence_events.CLEARANCE_REQUESTED: Topic.CLEARANCE_REQUESTED,
}
STATUS_PREFIX = "workflow.case."


def topic_of(event_type: str) -> str | None:
    """The subscribable topic of an audit event code, or None."""
    if event_type in EXACT_TOPICS:
        return EXACT_TOPICS[event_type]
    if event_type.startswith(STATUS_PREFIX):
        return Topic.CASE_STATUS_CHANGED
    return None


def _payload(event, topic: str) -> dict:
    from homeward.cases.models import Case

    payload = {
        "topic": str(topic),
        "event": event.event_type,
        "event_seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "home_state": event.home_state,
        "object": {"type": event.object_type, "id": event.object_id},
        "case": None,
    }
    if event.case_id:
        case = Case.objects.filter(pk=event.case_id).values("reference", "status").first()
        if case:
            payload["case"] = {"id": str(event.case_id), **case}
    if topic == Topic.CASE_STATUS_CHANGED:
        before, after = (event.data.get("status") or [None, None])[:2]
        payload["transition"] = event.event_type.removeprefix(STATUS_PREFIX)
        payload["status"] = {"from": before, "to": after}
    return payload


def enqueue_deliveries(event) -> None:
    """Queue `event` for every subscription that wants it (inside the event's transaction)."""
    topic = topic_of(event.event_type)
    if topic is None or not event.home_state:
        return
    from homeward.webhooks.models import WebhookDelivery, WebhookSubscription

    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            is_active=True, home_state_id=event.home_state
        )
        if subscription.wants(topic)
    ]
    if not subscriptions:
        return
    payload = _payload(event, topic)
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            topic=topic,
            event_seq=event.seq,
            case_id=event.case_id,
            payload=payload,
            next_attempt_at=now,
        )
        for subscription in subscriptions
    )
