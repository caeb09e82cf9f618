"""Webhook records for the scope matrix: one Russian, one Tajik of each model."""

from homeward.core.models import HomeState
from homeward.webhooks.models import WebhookDelivery, WebhookSubscription
from homeward.webhooks.services import create_subscription


def webhook_pairs(users, registry) -> dict:
    subscriptions = tuple(
        create_subscription(
            actor=users[consul],
            home_state=HomeState.objects.get(code=code),
            target_url=f"https://{code.lower()}.example.org/hook",
            topics=["case.status_changed"],
        )[0]
        for consul, code in (("consul.ru", "RU"), ("consul.tj", "TJ"))
    )
    deliveries = tuple(
        WebhookDelivery.objects.create(
            subscription=subscription,
            topic="case.status_changed",
            event_seq=1,
            case_id=registry[child].case.pk,
            payload={"case": {"reference": registry[child].case.reference}},
        )
        for subscription, child in zip(subscriptions, ("ru_child", "tj_child"), strict=True)
    )
    return {WebhookSubscription: subscriptions, WebhookDelivery: deliveries}
