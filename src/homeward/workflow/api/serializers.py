"""API representations of the gate, the status history, transition requests and the desk.

Requirements are serialized from what `gates.requirements_for(viewer=...)` returns, so a
sealed DNA conclusion is already replaced by "recorded (sealed)" for a viewer without the
grant: nothing here can add it back.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.cases.choices import CaseStatus
from homeward.core.api.serializers import StrictInputSerializer
from homeward.workflow.choices import RequirementStatus
from homeward.workflow.models import CaseTransition, Task

__all__ = [
    "DeskItemSerializer",
    "DeskSerializer",
    "GateSerializer",
    "RequirementSerializer",
    "TaskSerializer",
    "TransitionRequestSerializer",
    "TransitionSerializer",
]


class RequirementSerializer(serializers.Serializer):
    """One requirement of a gate, as the caller may see it."""

    code = serializers.CharField(read_only=True, help_text=_("Stable code, e.g. care.guardian."))
    label = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=RequirementStatus.choices, read_only=True)
    owed_by = serializers.SerializerMethodField(help_text=_("The agency that owes it."))
    owed_by_kind = serializers.SerializerMethodField(help_text=_("That agency's kind."))
    waiting_since = serializers.DateTimeField(read_only=True, allow_null=True)
    days_waiting = serializers.IntegerField(read_only=True, allow_null=True)
    description = serializers.SerializerMethodField(
        help_text=_("The requirement in plain words, with who owes it and for how long.")
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owed_by(self, requirement) -> str | None:
        return str(requirement.owed_by) if requirement.owed_by else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owed_by_kind(self, requirement) -> str | None:
        return str(requirement.owed_by.kind) if requirement.owed_by else None

    def get_description(self, requirement) -> str:
        return requirement.describe()


class GateSerializer(serializers.Serializer):
    """The gate of a case's next main state."""

    case = serializers.UUIDField(read_only=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    next_state = serializers.ChoiceField(
        choices=CaseStatus.choices, read_only=True, allow_null=True
    )
    version = serializers.IntegerField(read_only=True, help_text=_("Also sent as the ETag."))
    ready = serializers.BooleanField(read_only=True, help_text=_("Every requirement is met."))
    requirements = RequirementSerializer(many=True, read_only=True)


class TransitionSerializer(serializers.ModelSerializer):
    """One status change of the case's history."""

    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, label=_("by")
    )
    policy_version = serializers.IntegerField(
        source="policy.version", read_only=True, allow_null=True, label=_("policy version")
    )
    # Only a main state can be returned to; keeps this enum apart from the status enums.
    return_status = serializers.CharField(read_only=True, label=_("returns to"))

    class Meta:
        model = CaseTransition
        fields = [
            "id",
            "transition",
            "from_status",
            "to_status",
            "return_status",
            "actor",
            "at",
            "policy_version",
            "reason",
            "reference",
            "details",
        ]
        read_only_fields = fields


class StatusChangeSerializer(TransitionSerializer):
    """One status change in the feed across cases: the change and the case it moved."""

    case = serializers.UUIDField(source="case_id", read_only=True, label=_("case"))
    case_reference = serializers.CharField(
        source="case.reference", read_only=True, label=_("reference")
    )
    home_state = serializers.CharField(
        source="case.home_state_id", read_only=True, label=_("home state")
    )

    class Meta(TransitionSerializer.Meta):
        fields = ["case", "case_reference", "home_state", *TransitionSerializer.Meta.fields]
        read_only_fields = fields


class TransitionRequestSerializer(StrictInputSerializer):
    """A request to move the case: the transition's name and what that transition needs.

    Which fields a transition needs is listed in `workflow.api.transitions.TRANSITIONS`;
    a missing one is a 400 on that field. The service then checks everything else.
    """

    transition = serializers.CharField(
        help_text=_("The transition's name, e.g. home_state_engaged, approved, put_on_hold.")
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    decision_reference = serializers.CharField(required=False, allow_blank=True, max_length=80)
    foundling = serializers.BooleanField(required=False)

    def validate(self, attrs):
        from homeward.workflow.api.transitions import TRANSITIONS

        spec = TRANSITIONS.get(attrs["transition"])
        if spec is None:
            raise serializers.ValidationError({"transition": [_("There is no such transition.")]})
        missing = {
            name: [_("This transition needs this field.")]
            for name in spec.required
            if attrs.get(name) in (None, "", [])
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class TaskSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "case", "case_reference", "kind", "title", "due", "owed_by", "status"]
        read_only_fields = fields


class DeskItemSerializer(serializers.Serializer):
    """One unmet requirement the caller's agency can act on."""

    case = serializers.UUIDField(source="case.pk", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    home_state = serializers.CharField(source="case.home_state_id", read_only=True)
    case_status = serializers.ChoiceField(
        source="case.status", choices=CaseStatus.choices, read_only=True
    )
    overdue = serializers.BooleanField(read_only=True)
    requirement = RequirementSerializer(read_only=True)


class DeskSerializer(serializers.Serializer):
    overdue_count = serializers.IntegerField(read_only=True)
    items = DeskItemSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
