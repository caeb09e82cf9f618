"""Audit event codes of the webhooks app."""

from django.utils.translation import gettext_lazy as _

SUBSCRIPTION_CREATED = "webhooks.subscription.created"
SUBSCRIPTION_DEACTIVATED = "webhooks.subscription.deactivated"
DELIVERY_SENT = "webhooks.delivery.sent"
DELIVERY_FAILED = "webhooks.delivery.failed"
DELIVERY_WITHHELD = "webhooks.delivery.withheld"
DELIVERIES_LISTED = "webhooks.delivery.listed"
DELIVERY_VIEWED = "webhooks.delivery.viewed"

LABELS = {
    SUBSCRIPTION_CREATED: _("Webhook subscription created"),
    SUBSCRIPTION_DEACTIVATED: _("Webhook subscription deactivated"),
    DELIVERY_SENT: _("Webhook delivered"),
    DELIVERY_FAILED: _("Webhook delivery attempt failed"),
    DELIVERY_WITHHELD: _("Webhook delivery withheld (out of the subscriber's scope)"),
    DELIVERIES_LISTED: _("Webhook deliveries listed"),
    DELIVERY_VIEWED: _("Webhook delivery opened"),
}
