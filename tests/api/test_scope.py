"""Scoping of the webhook models: a subscription, its deliveries and its attempts stay with
the subscription's state.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest
from django.utils import timezone

from homeward.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.api.records import webhook_pairs

pytestmark = pytest.mark.django_db

WEBHOOK_SCOPED_MODELS = {
    model._meta.model_name: model
    for model in (WebhookSubscription, WebhookDelivery, WebhookAttempt)
}


def test_each_states_subscription_delivery_and_attempt_are_its_own(users, registry):
    # given a Russian and a Tajik subscription, each with a delivery and one attempt
    pairs = webhook_pairs(users, registry)
    pairs[WebhookAttempt] = tuple(
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, at=timezone.now(), status_code=500
        )
        for delivery in pairs[WebhookDelivery]
    )
    for model, (ru_row, tj_row) in pairs.items():
        for code, row in (("RU", ru_row), ("TJ", tj_row)):
            # when narrowed to one state / then exactly that state's row is kept
            assert list(model.objects.filter(model.scope_filter([code]))) == [row], model
