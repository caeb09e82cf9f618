"""API representation of return operations, and the input shapes of their writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.operations.choices import (
    CarrierKind,
    IdentityMethod,
    MemberRole,
    MemberSide,
    NotBoardedReason,
    Placement,
)
from homeward.operations.models import (
    Arrival,
    FollowUpReport,
    Handover,
    HandoverItem,
    ManifestEntry,
    Operation,
    OperationDateChange,
    OperationMember,
    Reconciliation,
)


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = OperationMember
        fields = ["id", "role", "side", "name", "organisation"]
        read_only_fields = fields


class DateChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OperationDateChange
        fields = ["from_date", "to_date", "reason", "at"]
        read_only_fields = fields


class HandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItem
        fields = [
            "identity_checked_by",
            "identity_method",
            "documents_handed",
            "medical_summary_handed",
            "belongings",
            "receiving_official",
            "boarded_at",
        ]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    operation = serializers.CharField(source="operation.reference", read_only=True)
    case = serializers.CharField(
        source="case.reference", read_only=True, allow_null=True, default=None
    )
    accompanies = serializers.CharField(
        source="accompanies.reference", read_only=True, allow_null=True, default=None
    )
    handover_item = HandoverItemSerializer(read_only=True, allow_null=True, default=None)
    # blank until the child does not board: the schema must allow "" as well as the reasons
    not_boarded_reason = serializers.ChoiceField(
        NotBoardedReason.choices, read_only=True, allow_blank=True
    )

    class Meta:
        model = ManifestEntry
        fields = [
            "id",
            "operation",
            "person",
            "case",
            "accompanies",
            "status",
            "added_after_freeze",
            "change_reason",
            "not_boarded_reason",
            "not_boarded_note",
            "medical_needs",
            "escort",
            "handover_item",
            "version",
        ]
        read_only_fields = fields


class HandoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = Handover
        fields = [
            "handed_over_at",
            "location",
            "host_officials",
            "receiving_officials",
            "witnesses",
            "recorded_at",
        ]
        read_only_fields = fields


class ReconciliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reconciliation
        fields = ["planned_count", "actual_count", "explanation", "reconciled_at"]
        read_only_fields = fields


class OperationSerializer(serializers.ModelSerializer):
    home_state = serializers.CharField(source="home_state_id", read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    date_changes = DateChangeSerializer(many=True, read_only=True)
    entries = EntrySerializer(many=True, read_only=True)
    handover = HandoverSerializer(read_only=True, allow_null=True, default=None)
    reconciliation = ReconciliationSerializer(read_only=True, allow_null=True, default=None)
    carrier_kind = serializers.ChoiceField(CarrierKind.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Operation
        fields = [
            "id",
            "reference",
            "home_state",
            "host_state",
            "status",
            "carrier",
            "carrier_kind",
            "aircraft",
            "route",
            "handover_location",
            "planned_date",
            "actual_date",
            "planned_count",
            "actual_count",
            "fee_per_child",
            "fee_currency",
            "notes",
            "frozen_at",
            "version",
            "members",
            "date_changes",
            "entries",
            "handover",
            "reconciliation",
        ]
        read_only_fields = fields


class ReadinessSerializer(serializers.Serializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    ready = serializers.BooleanField(read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)


class ArrivalSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Arrival
        fields = [
            "id",
            "case",
            "arrived_on",
            "placement",
            "placement_detail",
            "confirmed_at",
            "follow_up_every_months",
            "follow_up_until",
        ]
        read_only_fields = fields


class FollowUpReportSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    placement_status = serializers.ChoiceField(Placement.choices, read_only=True, allow_blank=True)

    class Meta:
        model = FollowUpReport
        fields = [
            "id",
            "case",
            "due_date",
            "received_on",
            "reporting_body",
            "placement_status",
            "schooling",
            "health_summary",
            "concerns",
        ]
        read_only_fields = fields


# -- inputs --------------------------------------------------------------------------------------


class Versioned(StrictInputSerializer):
    expected_version = serializers.IntegerField(
        min_value=1, help_text=_("The version the caller read (optimistic locking).")
    )


class MemberInput(StrictInputSerializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)
    side = serializers.ChoiceField(choices=MemberSide.choices)
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OperationFields(serializers.Serializer):
    reference = serializers.CharField(max_length=40, required=False)
    carrier = serializers.CharField(max_length=200, required=False, allow_blank=True)
    carrier_kind = serializers.ChoiceField(
        choices=CarrierKind.choices, required=False, allow_blank=True
    )
    aircraft = serializers.CharField(max_length=100, required=False, allow_blank=True)
    route = serializers.CharField(max_length=200, required=False, allow_blank=True)
    handover_location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    fee_per_child = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    fee_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    members = MemberInput(many=True, required=False, max_length=50)


class OperationInput(OperationFields, StrictInputSerializer):
    home_state = serializers.CharField(max_length=2)
    planned_date = serializers.DateField()


class OperationUpdateInput(OperationFields, Versioned):
    planned_date = serializers.DateField(required=False)


class PostponeInput(Versioned):
    new_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Omit (or null) when no new date is agreed yet: the operation is POSTPONED."),
    )
    reason = serializers.CharField(max_length=2000)


class ReasonInput(Versioned):
    reason = serializers.CharField(max_length=2000)


class ExplanationInput(Versioned):
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class AdultInput(StrictInputSerializer):
    person = serializers.UUIDField()
    accompanies = serializers.CharField(max_length=20, help_text=_("The child's case reference."))


class ManifestAddInput(Versioned):
    cases = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=500, required=False
    )
    adults = AdultInput(many=True, required=False, max_length=100)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class EntryConfirmInput(Versioned):
    medical_needs = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    escort = serializers.IntegerField(required=False, min_value=1)


class EntryRemoveInput(Versioned):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class NotBoardedInput(Versioned):
    reason = serializers.ChoiceField(choices=NotBoardedReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class OfficialInput(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HandoverItemInput(StrictInputSerializer):
    entry = serializers.UUIDField()
    identity_checked_by = serializers.CharField(max_length=200)
    identity_method = serializers.ChoiceField(choices=IdentityMethod.choices)
    documents_handed = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False
    )
    medical_summary_handed = serializers.BooleanField(required=False)
    belongings = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    receiving_official = serializers.CharField(max_length=200, required=False, allow_blank=True)
    boarded_at = serializers.DateTimeField(required=False, allow_null=True)


class HandoverInput(Versioned):
    handed_over_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200)
    host_officials = OfficialInput(many=True, required=False, max_length=20)
    receiving_officials = OfficialInput(many=True, required=False, max_length=20)
    witnesses = OfficialInput(many=True, required=False, max_length=20)
    items = HandoverItemInput(many=True, required=False, max_length=500)


class ArrivalInput(Versioned):
    case = serializers.CharField(max_length=20)
    arrived_on = serializers.DateField()
    placement = serializers.ChoiceField(choices=Placement.choices)
    placement_detail = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    follow_up_every_months = serializers.IntegerField(
        min_value=1, max_value=24, required=False, allow_null=True
    )
    follow_up_until = serializers.DateField(required=False, allow_null=True)


class FollowUpInput(StrictInputSerializer):
    received_on = serializers.DateField()
    reporting_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    placement_status = serializers.ChoiceField(
        choices=Placement.choices, required=False, allow_blank=True
    )
    schooling = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    health_summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    concerns = serializers.CharField(max_length=2000, required=False, allow_blank=True)
