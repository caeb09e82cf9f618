"""API representation of the disclosure log (read-only; writes go through the service)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.disclosures.choices import DataCategory
from homeward.disclosures.models import Disclosure

__all__ = ["DisclosureSerializer"]


class DisclosureSerializer(serializers.ModelSerializer):
    """One disclosure: what, to whom, on which basis, recorded and approved by whom."""

    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        read_only=True,
        label=_("categories of data"),
    )
    recipient_state = serializers.CharField(
        source="recipient_state_id", read_only=True, allow_null=True, label=_("recipient's state")
    )
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, label=_("recorded by")
    )
    approved_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, label=_("approved by")
    )

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "case",
            "adult_case",
            "recipient_kind",
            "recipient",
            "recipient_agency",
            "recipient_state",
            "categories",
            "documents",
            "purpose",
            "legal_basis",
            "legal_reference",
            "disclosed_on",
            "recorded_by",
            "approved_by",
            "created_at",
        ]
        read_only_fields = fields
