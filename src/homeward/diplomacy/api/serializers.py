"""API representation of diplomacy records (read-only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile


class ParticipantSerializer(serializers.Serializer):
    agency = serializers.CharField(label=_("agency"))
    role = serializers.CharField(label=_("role"), allow_blank=True, required=False)


class FocalPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocalPoint
        fields = ["name", "role", "organisation", "phone", "email"]
        read_only_fields = fields


class HomeStateProfileSerializer(serializers.ModelSerializer):
    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )
    focal_points = FocalPointSerializer(many=True, read_only=True)

    class Meta:
        model = HomeStateProfile
        fields = [
            "home_state",
            "stance",
            "has_embassy_in_baghdad",
            "channel",
            "notes",
            "focal_points",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class EngagementSerializer(serializers.ModelSerializer):
    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )
    participants = ParticipantSerializer(many=True, read_only=True)
    cases = serializers.SlugRelatedField(
        slug_field="reference", many=True, read_only=True, label=_("linked cases")
    )
    in_reply_to = serializers.UUIDField(
        source="in_reply_to_id", read_only=True, allow_null=True, label=_("in reply to")
    )
    days_unanswered = serializers.SerializerMethodField(
        label=_("days unanswered"),
        help_text=_("For a note verbale sent and not answered, its age in days; otherwise null."),
    )

    class Meta:
        model = Engagement
        fields = [
            "id",
            "home_state",
            "kind",
            "date",
            "reference",
            "participants",
            "agenda",
            "outcome",
            "decisions",
            "cases",
            "in_reply_to",
            "days_unanswered",
            "created_at",
        ]
        read_only_fields = fields

    def get_days_unanswered(self, obj) -> int | None:
        return obj.days_unanswered()


class ActionItemSerializer(serializers.ModelSerializer):
    home_state = serializers.CharField(
        source="engagement.home_state_id", read_only=True, label=_("home state")
    )
    engagement = serializers.UUIDField(
        source="engagement_id", read_only=True, label=_("engagement")
    )
    owner_agency = serializers.CharField(
        source="owner_agency.name", read_only=True, label=_("owner agency")
    )
    owner_user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, label=_("owner (person)")
    )
    cases = serializers.SlugRelatedField(
        slug_field="reference", many=True, read_only=True, label=_("linked cases")
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "home_state",
            "engagement",
            "description",
            "owner_agency",
            "owner_user",
            "due",
            "status",
            "cases",
            "closing_note",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields
