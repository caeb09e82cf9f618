"""API representation of adult cases and consular visits, and the input shapes of their writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.accounts import capabilities as cap
from homeward.adults.choices import ConsentLevel, LegalStatus, ReturnStep, RouteHome, SentenceKind
from homeward.adults.models import AdultCase, ConsularVisit
from homeward.core.api.serializers import StrictInputSerializer

__all__ = [
    "AdultCaseInput",
    "AdultCaseSerializer",
    "ConsularVisitInput",
    "ConsularVisitSerializer",
    "JuvenileSentenceInput",
    "LegalStatusInput",
    "ReturnStepInput",
    "RouteHomeInput",
]


class AdultCaseSerializer(serializers.ModelSerializer):
    """An adult's case: legal track, expected release, route home and return gate.

    The sentence is a sealed criminal record: `sentence_kind` is null for a caller without
    `evidence.view_criminal_record`, as the adult cases page and export withhold it.
    """

    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )
    # blank until a conviction states it: the schema must allow "" as well as the kinds
    sentence_kind = serializers.ChoiceField(
        SentenceKind.choices,
        read_only=True,
        allow_blank=True,
        allow_null=True,
        label=_("sentence"),
        help_text=_("null: criminal record sealed for you"),
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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if viewer is None or not viewer.has_capability(cap.VIEW_CRIMINAL_RECORD):
            data["sentence_kind"] = None
        return data


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


# -- inputs --------------------------------------------------------------------------------------


class AdultVersioned(StrictInputSerializer):
    expected_version = serializers.IntegerField(
        min_value=1, help_text=_("The adult case's version the caller read (optimistic locking).")
    )


class AdultCaseInput(StrictInputSerializer):
    """Open the case of an adult in custody; the person is an adult of the registry."""

    person = serializers.UUIDField(help_text=_("The adult (a person of kind adult)."))
    home_state = serializers.CharField(max_length=2, help_text=_("ISO code of her home state."))
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, required=False)
    status_since = serializers.DateField(required=False, allow_null=True)
    sentence_kind = serializers.ChoiceField(
        choices=SentenceKind.choices, required=False, allow_blank=True
    )
    expected_release_on = serializers.DateField(required=False, allow_null=True)
    route_home = serializers.ChoiceField(choices=RouteHome.choices, required=False)
    facility = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    detainee_number = serializers.CharField(max_length=40, required=False, allow_blank=True)


class LegalStatusInput(AdultVersioned):
    """A conviction or commutation states the sentence (`sentence_kind`)."""

    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    on = serializers.DateField()
    sentence_kind = serializers.ChoiceField(
        choices=SentenceKind.choices, required=False, allow_null=True
    )
    expected_release_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RouteHomeInput(AdultVersioned):
    route_home = serializers.ChoiceField(choices=RouteHome.choices)


class ReturnStepInput(AdultVersioned):
    step = serializers.ChoiceField(choices=ReturnStep.choices)
    on = serializers.DateField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ConsularVisitInput(StrictInputSerializer):
    """What was discussed only as far as the detainee consented (`consent_level`)."""

    visited_on = serializers.DateField()
    officials = serializers.CharField(max_length=300)
    consent_level = serializers.ChoiceField(choices=ConsentLevel.choices)
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    discussed = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class JuvenileSentenceInput(StrictInputSerializer):
    completed_on = serializers.DateField(help_text=_("The day the juvenile finished the sentence."))
