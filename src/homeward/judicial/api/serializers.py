"""API representation of requests for evidence and what was sent (read-only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.judicial.choices import RequestedItem
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission

__all__ = ["EvidenceRequestSerializer", "EvidenceTransmissionSerializer"]


class EvidenceTransmissionSerializer(serializers.ModelSerializer):
    """Documents sent: their SHA-256, to whom, when, and the approval."""

    document_hashes = serializers.DictField(
        child=serializers.CharField(), read_only=True, label=_("SHA-256 of each document")
    )

    class Meta:
        model = EvidenceTransmission
        fields = ["id", "recipient", "sent_on", "document_hashes", "state", "decided_at"]
        read_only_fields = fields


class EvidenceRequestSerializer(serializers.ModelSerializer):
    """A request for evidence: the requesting state sees the status of its own requests."""

    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("requesting state")
    )
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=RequestedItem.choices),
        read_only=True,
        label=_("requested"),
    )
    transmissions = EvidenceTransmissionSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceRequest
        fields = [
            "id",
            "home_state",
            "subject",
            "their_reference",
            "channel",
            "received_on",
            "legal_basis",
            "legal_reference",
            "items",
            "authority",
            "authority_name",
            "deadline",
            "status",
            "forwarded_on",
            "decided_on",
            "decision_reason",
            "transmissions",
        ]
        read_only_fields = fields
