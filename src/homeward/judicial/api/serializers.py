"""API representation of requests for evidence and what was sent, and the input shapes of
their writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.judicial.choices import (
    AnsweringAuthority,
    Channel,
    CooperationBasis,
    RequestedItem,
    RequestStatus,
)
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission

__all__ = [
    "DecisionInput",
    "EvidenceRequestInput",
    "EvidenceRequestSerializer",
    "EvidenceTransmissionSerializer",
    "ForwardInput",
    "TransmissionDecisionInput",
    "TransmissionInput",
    "TransmissionRefusalInput",
]


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


# -- inputs --------------------------------------------------------------------------------------


class EvidenceRequestInput(StrictInputSerializer):
    """A home state's request about one of its nationals (the subject's case is of that state)."""

    home_state = serializers.CharField(
        max_length=2, help_text=_("ISO code of the requesting state.")
    )
    subject = serializers.UUIDField(help_text=_("The person concerned."))
    their_reference = serializers.CharField(max_length=80)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField()
    legal_basis = serializers.ChoiceField(choices=CooperationBasis.choices)
    legal_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=RequestedItem.choices), min_length=1, max_length=10
    )
    authority = serializers.ChoiceField(choices=AnsweringAuthority.choices)
    authority_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)


class RequestVersioned(StrictInputSerializer):
    expected_version = serializers.IntegerField(
        min_value=1, help_text=_("The request's version the caller read (optimistic locking).")
    )


class ForwardInput(RequestVersioned):
    forwarded_on = serializers.DateField()


class DecisionInput(RequestVersioned):
    """A refusal or a partial grant gives its reason."""

    decision = serializers.ChoiceField(
        choices=[
            (code, label)
            for code, label in RequestStatus.choices
            if code in RequestStatus.decided()
        ]
    )
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class TransmissionInput(StrictInputSerializer):
    """Documents of the person concerned answering a granted request; a second person approves."""

    documents = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=50, help_text=_("Attachment ids.")
    )
    recipient = serializers.CharField(max_length=200)
    sent_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class TransmissionDecisionInput(StrictInputSerializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class TransmissionRefusalInput(StrictInputSerializer):
    note = serializers.CharField(max_length=4000, help_text=_("Why the sending is refused."))
