"""Webhook subscriptions of home states and partners, and the log of every delivery.

A subscription belongs to a user (a consul's system, a partner's) and to one home state:
it receives events on that state's nationals' cases only, and only while its owner may
still see the case (checked again at delivery time). Its secret is sealed at rest.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.crypto.fields import EncryptedCharField
from homeward.webhooks.choices import DeliveryStatus, Topic

__all__ = ["WebhookAttempt", "WebhookDelivery", "WebhookSubscription"]


class WebhookSubscription(ScopedModelMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    home_state = models.ForeignKey(
        "core.HomeState",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home state"),
    )
    target_url = models.URLField(_("target URL"), max_length=500)
    topics = models.JSONField(_("topics"), default=list)
    secret = EncryptedCharField(_("signing secret"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.home_state_id} → {self.target_url}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.home_state_id}

    def wants(self, topic: str) -> bool:
        return topic in self.topics


class WebhookDelivery(ScopedModelMixin, models.Model):
    """One event for one subscription: queued with the event, sent by `deliver_webhooks`."""

    capability_model = "webhooks.webhooksubscription"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    event_seq = models.PositiveBigIntegerField(_("audit event"))
    case_id = models.UUIDField(_("case"), null=True, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_seq"], name="webhook_delivery_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.event_seq}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(subscription__home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"case_id": self.case_id, "home_state": self.subscription.home_state_id}


class WebhookAttempt(ScopedModelMixin, models.Model):
    """The delivery log: one row per HTTP attempt, with what came back."""

    capability_model = "webhooks.webhooksubscription"

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhook_attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(delivery__subscription__home_state__in=home_states)
