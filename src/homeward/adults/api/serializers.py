"""API representation of adult cases and consular visits (read-only; writes via services)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.adults.models import AdultCase, ConsularVisit

__all__ = ["AdultCaseSerializer", "ConsularVisitSerializer"]


class AdultCaseSerializer(serializers.ModelSerializer):
    """An adult's case: legal track, expected release, route home and return gate."""

    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )
    missing_for_return = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("still missing before the return"),
    )

    class Meta:
        model = AdultCase
        fields = [
            "id",
            "reference",
            "person",
            "home_state",
            "from_case",
            "legal_status",
            "status_since",
            "sentence_kind",
            "expected_release_on",
            "route_home",
            "nationality_confirmed_on",
            "transfer_agreed_on",
            "exit_authorised_on",
            "travel_document_on",
            "missing_for_return",
            "version",
        ]
        read_only_fields = fields


class ConsularVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsularVisit
        fields = [
            "id",
            "adult_case",
            "visited_on",
            "facility",
            "officials",
            "mission",
            "interpreter",
            "consent_level",
            "discussed",
        ]
        read_only_fields = fields
