"""API representations of tracing requests, their matches, duplicate pairs and merges."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.models import HomeState
from homeward.matching.models import (
    DuplicateCandidate,
    MergeRecord,
    TracingChannel,
    TracingMatch,
    TracingRequest,
)
from homeward.people.choices import RelationshipType

__all__ = [
    "ComparisonSerializer",
    "DuplicateDecisionSerializer",
    "DuplicateSerializer",
    "MergeInputSerializer",
    "MergeRecordSerializer",
    "TracingCloseSerializer",
    "TracingMatchDecisionSerializer",
    "TracingMatchSerializer",
    "TracingRequestCreateSerializer",
    "TracingRequestSerializer",
    "UnmergeInputSerializer",
]


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: the schema says boolean, so "yes" or 1 is refused (400)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ComparisonSerializer(serializers.Serializer):
    """One field of the matcher's "why": the level reached and the two values compared."""

    field = serializers.CharField()
    level = serializers.CharField(allow_null=True)
    left = serializers.CharField(allow_blank=True)
    right = serializers.CharField(allow_blank=True)
    similarity = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()


class TracingMatchSerializer(serializers.ModelSerializer):
    """A proposed registry person; `explanation` says which fields agreed."""

    explanation = ComparisonSerializer(many=True, read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TracingMatch
        fields = [
            "id",
            "request",
            "person",
            "role",
            "score",
            "explanation",
            "origin",
            "status",
            "proposed_at",
            "reviewed_by",
            "reviewed_at",
            "relative",
            "guardian",
            "claim",
        ]
        read_only_fields = fields


class TracingRequestSerializer(serializers.ModelSerializer):
    """A request as the relative described it (names in their own script)."""

    reference = serializers.CharField(read_only=True)
    child_sex = serializers.CharField(
        read_only=True, label=_("child's sex"), help_text=_("female, male or empty")
    )
    filed_by = serializers.CharField(source="filed_by.get_username", read_only=True)

    class Meta:
        model = TracingRequest
        fields = [
            "id",
            "reference",
            "home_state",
            "channel",
            "channel_reference",
            "received_on",
            "partner_agency",
            "child_name",
            "child_other_names",
            "child_sex",
            "child_birth_year",
            "mother_name",
            "mother_birth_year",
            "father_name",
            "other_relatives",
            "places",
            "requester_name",
            "requester_relationship",
            "requester_address",
            "status",
            "filed_by",
            "filed_by_agency",
            "filed_at",
        ]
        read_only_fields = fields


class TracingRequestCreateSerializer(StrictInputSerializer):
    """File a request. A consul's `home_state` must be its own."""

    home_state = serializers.PrimaryKeyRelatedField(queryset=HomeState.objects.all())
    channel = serializers.ChoiceField(choices=TracingChannel.choices)
    channel_reference = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default=""
    )
    received_on = serializers.DateField()
    child_name = serializers.CharField(max_length=200)
    child_other_names = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    child_sex = serializers.ChoiceField(
        choices=[("female", _("Female")), ("male", _("Male"))],
        required=False,
        allow_blank=True,
        default="",
    )
    child_birth_year = serializers.IntegerField(
        min_value=1930, max_value=2100, required=False, allow_null=True, default=None
    )
    mother_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    mother_birth_year = serializers.IntegerField(
        min_value=1930, max_value=2100, required=False, allow_null=True, default=None
    )
    father_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    other_relatives = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    places = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    requester_name = serializers.CharField(max_length=200)
    requester_relationship = serializers.ChoiceField(choices=RelationshipType.choices)
    requester_address = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class TracingMatchDecisionSerializer(StrictInputSerializer):
    confirmed = StrictBooleanField()
    link_guardian = StrictBooleanField(required=False, default=False)
    open_claim = StrictBooleanField(required=False, default=False)


class TracingCloseSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class DuplicateSerializer(serializers.ModelSerializer):
    """A proposed pair of registry records (`left` has the smaller id) and the "why"."""

    explanation = ComparisonSerializer(many=True, read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id",
            "left",
            "right",
            "score",
            "explanation",
            "status",
            "proposed_at",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class DuplicateDecisionSerializer(StrictInputSerializer):
    confirmed = StrictBooleanField(help_text=_("true: the same person; false: not."))


class MergeInputSerializer(StrictInputSerializer):
    survivor = serializers.ChoiceField(
        choices=[("left", _("the first record")), ("right", _("the second record"))],
        help_text=_("Which record of the pair is kept."),
    )
    reason = serializers.CharField(max_length=2000)


class UnmergeInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class MergeRecordSerializer(serializers.ModelSerializer):
    """One merge: which record was kept, which merged, and whether it was undone."""

    performed_by = serializers.CharField(source="performed_by.get_username", read_only=True)
    undone_by = serializers.CharField(
        source="undone_by.get_username", read_only=True, allow_null=True, default=None
    )
    moved = serializers.SerializerMethodField(label=_("rows moved"))

    class Meta:
        model = MergeRecord
        fields = [
            "id",
            "survivor",
            "duplicate",
            "candidate",
            "reason",
            "moved",
            "performed_by",
            "performed_at",
            "undone_by",
            "undone_at",
            "undo_reason",
        ]
        read_only_fields = fields

    def get_moved(self, merge: MergeRecord) -> int:
        return len(merge.moves)
