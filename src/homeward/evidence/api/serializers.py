"""API representations of the evidence tracks.

Explicit fields, read-only: records are made through the services (the `*InputSerializer`s
validate what a service takes). Sealed content has its own serializers, used only for a
caller holding the grant: `DNAComparisonSealedSerializer` adds the DNA result and
`ClearanceSealedSerializer` the security assessment. Without the grant the keys are absent,
not null.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts import capabilities as cap
from homeward.core.api.serializers import StrictInputSerializer
from homeward.evidence.choices import (
    AssessmentKind,
    AssessmentTrigger,
    AssuranceItem,
    ClaimBasis,
    ClaimedBy,
    ClearanceType,
    ConsentDecision,
    ConsentScope,
    CourtStage,
    DeterminationDecision,
    DNAConclusion,
    DNAMethod,
    GuardianVetting,
    Hypothesis,
    IncidentType,
    InstrumentType,
    Recommendation,
    SampleType,
    StatisticKind,
    TravelDocumentType,
)
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAComparison,
    DNAResult,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    Incident,
    NationalityClaim,
    NationalityDetermination,
    SecurityAssessment,
    TravelDocument,
)
from homeward.people.choices import Jurisdiction

# Choices a caller may send (the rest are recorded by another act: a judge's substitute).
CONSENT_DECISIONS = [
    c for c in ConsentDecision.choices if c[0] != ConsentDecision.JUDICIAL_SUBSTITUTE
]
VETTING_DECISIONS = [c for c in GuardianVetting.choices if c[0] != GuardianVetting.PENDING]

COMMON = ["id", "case", "recorded_by", "recorded_at", "policy_version"]


class EvidenceSerializer(serializers.ModelSerializer):
    """Shared fields: the case, who recorded it, when, under which policy version."""

    case = serializers.UUIDField(source="case_id", read_only=True)
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    policy_version = serializers.IntegerField(
        source="policy.version", read_only=True, allow_null=True
    )


def _meta(model_, fields_):
    class Meta:
        model = model_
        fields = [*COMMON, *fields_]
        read_only_fields = fields

    return Meta


class NationalityClaimSerializer(EvidenceSerializer):
    claimed_state = serializers.CharField(source="claimed_state_id", read_only=True)
    Meta = _meta(
        NationalityClaim,
        [
            "claimed_state", "basis", "claimed_by", "status", "notified_on",
            "notification_reference", "acknowledged_on", "focal_point", "consular_access_on",
            "home_state_reference",
        ],
    )  # fmt: skip


class NationalityDeterminationSerializer(EvidenceSerializer):
    claim = serializers.UUIDField(source="claim_id", read_only=True)
    Meta = _meta(
        NationalityDetermination,
        ["claim", "decision", "instrument_type", "instrument_reference", "decided_on", "authority"],
    )


class DNASampleSerializer(EvidenceSerializer):
    donor = serializers.UUIDField(source="donor_id", read_only=True)
    Meta = _meta(
        DNASample,
        ["donor", "sample_type", "location", "collected_on", "collected_by", "consent_reference"],
    )


class DNAResultSerializer(serializers.ModelSerializer):
    """Sealed: only for holders of `evidence.view_dnaresult`."""

    class Meta:
        model = DNAResult
        fields = ["conclusion", "statistic_kind", "statistic", "report_reference"]
        read_only_fields = fields


class DNAComparisonSerializer(EvidenceSerializer):
    samples = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    Meta = _meta(DNAComparison, ["hypothesis", "samples", "lab", "method", "reported_on"])


class DNAComparisonSealedSerializer(DNAComparisonSerializer):
    result = DNAResultSerializer(source="sealed_result", read_only=True)

    class Meta(DNAComparisonSerializer.Meta):
        fields = [*DNAComparisonSerializer.Meta.fields, "result"]
        read_only_fields = fields
        schema_optional_fields = ["result"]  # absent without the grant


class ConsentSerializer(EvidenceSerializer):
    giver = serializers.UUIDField(source="giver_id", read_only=True, allow_null=True)
    covered_cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    Meta = _meta(
        Consent,
        [
            "giver", "scope", "decision", "decided_on", "covered_cases", "language",
            "interpreter", "witnesses", "court_decision_reference",
        ],
    )  # fmt: skip


class GuardianCandidateSerializer(EvidenceSerializer):
    person = serializers.UUIDField(source="person_id", read_only=True, allow_null=True)
    Meta = _meta(
        GuardianCandidate,
        [
            "person", "institution", "relationship_to_child", "willingness_confirmed_on",
            "address_region", "vetting", "vetting_authority", "vetted_on",
        ],
    )  # fmt: skip


class AssuranceSerializer(EvidenceSerializer):
    from_state = serializers.CharField(source="from_state_id", read_only=True)
    covered_cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    Meta = _meta(Assurance, ["from_state", "reference", "dated", "items", "covered_cases"])


class BestInterestsAssessmentSerializer(EvidenceSerializer):
    Meta = _meta(
        BestInterestsAssessment,
        [
            "kind", "trigger", "assessor", "panel_members", "recommendation",
            "separation_from_mother_ok", "separation_from_siblings_ok", "assessed_on",
        ],
    )  # fmt: skip


def _viewer(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ClearanceSerializer(EvidenceSerializer):
    """A medical clearance's conditions and comments are null without `evidence.view_health`."""

    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    conditions = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("null: health data sealed for you")
    )
    comments = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("null: health data sealed for you")
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.notes_sealed_for(_viewer(self)):
            data["conditions"] = data["comments"] = None
        return data

    Meta = _meta(
        Clearance,
        [
            "clearance_type", "status", "requested_at", "decided_at", "decided_by",
            "reference", "conditions", "expires_at", "comments",
        ],
    )  # fmt: skip


class SecurityAssessmentSerializer(serializers.ModelSerializer):
    """Sealed: only for holders of `evidence.view_securityassessment`."""

    class Meta:
        model = SecurityAssessment
        fields = ["assessment", "conditions"]
        read_only_fields = fields


class ClearanceSealedSerializer(ClearanceSerializer):
    assessment = serializers.SerializerMethodField()

    class Meta(ClearanceSerializer.Meta):
        fields = [*ClearanceSerializer.Meta.fields, "assessment"]
        read_only_fields = fields
        schema_optional_fields = ["assessment"]  # absent without the grant

    @extend_schema_field(SecurityAssessmentSerializer(allow_null=True))
    def get_assessment(self, clearance):
        sealed = getattr(clearance, "sealed_assessment", None) if clearance.is_sealed_type else None
        return SecurityAssessmentSerializer(sealed).data if sealed else None


class TravelDocumentSerializer(EvidenceSerializer):
    Meta = _meta(
        TravelDocument, ["document_type", "number", "issued_by", "issued_on", "valid_until"]
    )


class ExitAuthorizationSerializer(EvidenceSerializer):
    Meta = _meta(ExitAuthorization, ["reference", "judicial_decision_reference", "authorised_on"])


class IncidentSerializer(EvidenceSerializer):
    Meta = _meta(Incident, ["incident_type", "occurred_on", "description", "reported_to"])


class CourtCaseSerializer(serializers.ModelSerializer):
    """Charges are sealed criminal records: null without `evidence.view_criminal_record`."""

    defendant = serializers.UUIDField(source="defendant_id", read_only=True)
    charges = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        allow_null=True,
        help_text=_("null: criminal record sealed for you"),
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        viewer = _viewer(self)
        if viewer is None or not viewer.has_capability(cap.VIEW_CRIMINAL_RECORD):
            data["charges"] = None
        return data

    class Meta:
        model = CourtCase
        fields = [
            "id", "defendant", "court", "jurisdiction", "case_number", "charges",
            "alleged_act_on", "stage", "verdict_on", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


# -- input: what each service takes ---------------------------------------------------------


class CaseInput(StrictInputSerializer):
    case = serializers.UUIDField(label=_("case"))


class NationalityClaimInput(CaseInput):
    basis = serializers.ChoiceField(choices=ClaimBasis.choices)
    claimed_by = serializers.ChoiceField(choices=ClaimedBy.choices)
    notified_on = serializers.DateField(required=False, allow_null=True)
    notification_reference = serializers.CharField(required=False, allow_blank=True)
    home_state_reference = serializers.CharField(required=False, allow_blank=True)


class AcknowledgeInput(StrictInputSerializer):
    acknowledged_on = serializers.DateField()
    focal_point = serializers.CharField(max_length=120)
    consular_access_on = serializers.DateField(required=False, allow_null=True)


class DeterminationInput(StrictInputSerializer):
    claim = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=DeterminationDecision.choices)
    instrument_type = serializers.ChoiceField(choices=InstrumentType.choices)
    instrument_reference = serializers.CharField(required=False, allow_blank=True)
    decided_on = serializers.DateField()
    authority = serializers.CharField(required=False, allow_blank=True)


class DNASampleInput(CaseInput):
    donor = serializers.UUIDField()
    sample_type = serializers.ChoiceField(choices=SampleType.choices)
    collected_on = serializers.DateField()
    collected_by = serializers.CharField(max_length=120)
    consent_reference = serializers.CharField(required=False, allow_blank=True)


class DNAComparisonInput(CaseInput):
    hypothesis = serializers.ChoiceField(choices=Hypothesis.choices)
    samples = serializers.ListField(child=serializers.UUIDField(), min_length=2)
    lab = serializers.CharField(max_length=120)
    method = serializers.ChoiceField(choices=DNAMethod.choices)
    reported_on = serializers.DateField()
    conclusion = serializers.ChoiceField(choices=DNAConclusion.choices)
    statistic_kind = serializers.ChoiceField(
        choices=StatisticKind.choices, required=False, allow_blank=True
    )
    statistic = serializers.FloatField(required=False, allow_null=True)
    report_reference = serializers.CharField(required=False, allow_blank=True)


class ConsentInput(CaseInput):
    giver = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=CONSENT_DECISIONS)
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    decided_on = serializers.DateField()
    interpreter = serializers.CharField(required=False, allow_blank=True)
    witnesses = serializers.ListField(child=serializers.CharField(), required=False)


class GuardianInput(CaseInput):
    relationship_to_child = serializers.CharField(max_length=80)
    institution = serializers.CharField(required=False, allow_blank=True)
    address_region = serializers.CharField(required=False, allow_blank=True)


class VettingInput(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=VETTING_DECISIONS)
    authority = serializers.CharField(max_length=160)
    vetted_on = serializers.DateField()


class AssuranceInput(CaseInput):
    reference = serializers.CharField(max_length=80)
    dated = serializers.DateField()
    items = serializers.ListField(child=serializers.ChoiceField(choices=AssuranceItem.choices))
    covered_cases = serializers.ListField(child=serializers.UUIDField(), required=False)


class BIAInput(CaseInput):
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    trigger = serializers.ChoiceField(choices=AssessmentTrigger.choices)
    assessor = serializers.CharField(max_length=120)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    assessed_on = serializers.DateField()
    panel_members = serializers.ListField(child=serializers.CharField(), required=False)
    separation_from_mother_ok = serializers.BooleanField(required=False, allow_null=True)
    separation_from_siblings_ok = serializers.BooleanField(required=False, allow_null=True)


class ClearanceRequestInput(CaseInput):
    clearance_type = serializers.ChoiceField(choices=ClearanceType.choices)
    comments = serializers.CharField(required=False, allow_blank=True)


class ClearanceDecisionInput(StrictInputSerializer):
    approve = serializers.BooleanField()
    reference = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    comments = serializers.CharField(required=False, allow_blank=True)
    assessment = serializers.CharField(required=False, allow_blank=True)


class TravelDocumentInput(CaseInput):
    document_type = serializers.ChoiceField(choices=TravelDocumentType.choices)
    number = serializers.CharField(max_length=40)
    issued_by = serializers.CharField(max_length=160)
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()


class ExitAuthorizationInput(CaseInput):
    reference = serializers.CharField(max_length=80)
    judicial_decision_reference = serializers.CharField(max_length=80)
    authorised_on = serializers.DateField()


class IncidentInput(CaseInput):
    incident_type = serializers.ChoiceField(choices=IncidentType.choices)
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=4000)
    reported_to = serializers.ListField(child=serializers.CharField(), required=False)


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise serializers.ValidationError(_("This date cannot be in the future."))
    return value


class NotifyInput(StrictInputSerializer):
    """The note verbale that notified the home state of a claim (the claim page's "notify")."""

    notified_on = serializers.DateField(
        validators=[_not_in_future], label=_("home state notified on")
    )
    reference = serializers.CharField(max_length=80, label=_("note verbale"))


class CourtCaseInput(StrictInputSerializer):
    """Proceedings against a person: a juvenile (9 or more at the alleged act) or a mother."""

    defendant = serializers.UUIDField(label=_("defendant"))
    court = serializers.CharField(max_length=160, label=_("court"))
    jurisdiction = serializers.ChoiceField(
        choices=Jurisdiction.choices, default=Jurisdiction.FEDERAL, label=_("jurisdiction")
    )
    case_number = serializers.CharField(max_length=60, label=_("case number"))
    stage = serializers.ChoiceField(choices=CourtStage.choices, label=_("stage"))
    charges = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=50, default=list
    )
    alleged_act_on = serializers.DateField(
        required=False, allow_null=True, validators=[_not_in_future]
    )
    verdict_on = serializers.DateField(required=False, allow_null=True, validators=[_not_in_future])
