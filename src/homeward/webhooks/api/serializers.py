"""API shapes of webhook subscriptions and their delivery log. The secret is shown once."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.webhooks.choices import Topic
from homeward.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "CreatedSubscriptionSerializer",
    "DeliverySerializer",
    "SubscriptionInput",
    "SubscriptionSerializer",
]


class SubscriptionInput(StrictInputSerializer):
    home_state = serializers.CharField(
        max_length=2, label=_("Home state"), help_text=_("ISO alpha-2 code, e.g. KZ.")
    )
    target_url = serializers.URLField(max_length=500, label=_("Target URL"))
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices),
        min_length=1,
        max_length=len(Topic.choices),
        label=_("Topics"),
    )


class SubscriptionSerializer(serializers.ModelSerializer):
    home_state = serializers.CharField(source="home_state_id", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices))

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "owner",
            "home_state",
            "target_url",
            "topics",
            "is_active",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class CreatedSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("The signing secret, shown only in this answer: keep it now."),
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "at", "status_code", "error", "next_attempt_at"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "topic",
            "event_seq",
            "case_id",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "created_at",
            "finished_at",
            "attempt_log",
        ]
        read_only_fields = fields
