"""Legal holds as the API shows and takes them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.retention.models import LegalHold

__all__ = ["LegalHoldInput", "LegalHoldSerializer", "ReleaseInput"]


class LegalHoldSerializer(serializers.ModelSerializer):
    """A hold on a case: while active, nothing about the case is destroyed."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    placed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    released_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_active = serializers.BooleanField(read_only=True, label=_("active"))

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "case",
            "case_reference",
            "reason",
            "placed_by",
            "placed_at",
            "is_active",
            "released_by",
            "released_at",
            "release_reason",
        ]
        read_only_fields = fields


class LegalHoldInput(StrictInputSerializer):
    case = serializers.UUIDField(label=_("case"))
    reason = serializers.CharField(max_length=2000, label=_("reason"))


class ReleaseInput(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000, label=_("reason for release"))
