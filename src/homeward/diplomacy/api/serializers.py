"""API representation of diplomacy records, and the input shapes of its writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.attachments.api.serializers import AttachmentUploadSerializer
from homeward.cases.models import Case
from homeward.core.api.serializers import StrictInputSerializer
from homeward.diplomacy.choices import ActionItemStatus, EngagementKind, PolicyStance
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile
from homeward.evidence.choices import AssuranceItem
from homeward.workflow.models import RULE_FIELDS, RequirementsPolicy


class ParticipantSerializer(serializers.Serializer):
    agency = serializers.CharField(label=_("agency"))
    role = serializers.CharField(label=_("role"), allow_blank=True, required=False)


class FocalPointSerializer(serializers.ModelSerializer):
    # may be empty, which is not an e-mail address
    email = serializers.CharField(read_only=True, label=_("email"))

    class Meta:
        model = FocalPoint
        fields = ["id", "name", "role", "organisation", "phone", "email"]
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
            "fee_agreements",
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
        slug_field="username", read_only=True, allow_null=True, label=_("owner (person)")
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


# -- writes: input shapes; the services validate and write ------------------------------


class CaseReferencesField(serializers.ListField):
    """Linked cases by reference; resolved by the view within the caller's scope."""

    child = serializers.CharField(max_length=40)


class EngagementInput(StrictInputSerializer):
    home_state = serializers.CharField(label=_("home state"), max_length=2)
    kind = serializers.ChoiceField(
        label=_("kind"),
        choices=[(k, v) for k, v in EngagementKind.choices if k != EngagementKind.NOTE_VERBALE_IN],
        help_text=_("A note verbale received in answer is recorded with the reply endpoint."),
    )
    date = serializers.DateField(label=_("date"))
    reference = serializers.CharField(
        label=_("reference number"), max_length=100, required=False, default=""
    )
    participants = ParticipantSerializer(many=True, required=False, default=list)
    agenda = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    outcome = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    decisions = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    cases = CaseReferencesField(label=_("linked cases"), required=False, default=list)


class ReplyInput(StrictInputSerializer):
    date = serializers.DateField(label=_("date received"))
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    outcome = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    decisions = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    cases = CaseReferencesField(label=_("linked cases"), required=False, default=list)


class ActionItemInput(StrictInputSerializer):
    engagement = serializers.UUIDField(label=_("engagement"))
    description = serializers.CharField(label=_("description"), max_length=2000)
    owner_agency = serializers.IntegerField(label=_("owner agency"), help_text=_("Agency id."))
    owner_user = serializers.CharField(
        label=_("owner (person)"),
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Username of a person of the owner agency."),
    )
    due = serializers.DateField(label=_("due"), required=False, allow_null=True, default=None)
    cases = CaseReferencesField(label=_("linked cases"), required=False, default=list)


class ActionItemStatusInput(StrictInputSerializer):
    status = serializers.ChoiceField(
        label=_("status"),
        choices=[
            (ActionItemStatus.DONE, ActionItemStatus.DONE.label),
            (ActionItemStatus.CANCELLED, ActionItemStatus.CANCELLED.label),
        ],
    )
    note = serializers.CharField(
        label=_("note"),
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Required when cancelling: why."),
    )


class ProfileInput(StrictInputSerializer):
    stance = serializers.ChoiceField(label=_("policy stance"), choices=PolicyStance.choices)
    has_embassy_in_baghdad = serializers.BooleanField(label=_("embassy in Baghdad"))
    channel = serializers.CharField(max_length=1000, allow_blank=True)
    fee_agreements = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    notes = serializers.CharField(max_length=4000, allow_blank=True)


class ResponsivenessSerializer(serializers.Serializer):
    home_state = serializers.CharField(label=_("home state"))
    notes_sent = serializers.IntegerField(label=_("notes verbales sent"))
    notes_answered = serializers.IntegerField(label=_("notes verbales answered"))
    median_days_to_reply = serializers.FloatField(
        label=_("median days to first reply"), allow_null=True
    )
    open_requests = serializers.IntegerField(label=_("notes awaiting an answer"))
    oldest_open_request_days = serializers.IntegerField(
        label=_("age of the oldest unanswered note, in days"), allow_null=True
    )
    refusals = serializers.IntegerField(label=_("children refused"))


class FocalPointInput(StrictInputSerializer, serializers.ModelSerializer):
    """A contact person of a home state (the focal point page's fields)."""

    class Meta:
        model = FocalPoint
        fields = ["name", "role", "organisation", "phone", "email"]


class RequirementsPolicySerializer(serializers.ModelSerializer):
    """One version of a home state's requirements policy."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RequirementsPolicy
        fields = [
            "id",
            "home_state",
            "version",
            "effective_from",
            *RULE_FIELDS,
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class PolicyInput(StrictInputSerializer, serializers.ModelSerializer):
    """The next policy version: a date, a reason, and the rules that change (others carry
    over from the newest version)."""

    assurance_items = serializers.ListField(
        child=serializers.ChoiceField(choices=AssuranceItem.choices),
        required=False,
        max_length=len(AssuranceItem.choices),
    )

    class Meta:
        model = RequirementsPolicy
        fields = ["effective_from", "reason", *RULE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in RULE_FIELDS}


class EngagementDocumentInput(AttachmentUploadSerializer):
    """A document filed on an engagement (its page's form): for one of the children whose
    case is linked to it, the file, its kind and title. Another child reads as unknown."""

    language = None
    sensitive = None

    def __init__(self, *args, engagement=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and engagement is not None:
            children = engagement.cases.filter(
                pk__in=Case.objects.for_user(request.user, "view")
            ).values("child_id")
            people = self.fields["person"].queryset
            self.fields["person"].queryset = people.filter(pk__in=children)
