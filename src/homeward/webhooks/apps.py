from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "homeward.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # The audit trail is the event stream: every subscribable event it records also
        # queues a delivery row, in the same transaction (no service calls webhooks itself).
        from homeward.audit.services import EVENT_SUBSCRIBERS
        from homeward.webhooks.outbox import enqueue_deliveries

        if enqueue_deliveries not in EVENT_SUBSCRIBERS:
            EVENT_SUBSCRIBERS.append(enqueue_deliveries)
