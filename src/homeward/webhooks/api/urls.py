"""Webhook routes under /api/v1/ (names in the "api" namespace)."""

from rest_framework.routers import SimpleRouter

from homeward.webhooks.api.views import WebhookDeliveryViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhooksubscription")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhookdelivery")

urlpatterns = router.urls
