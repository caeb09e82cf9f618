"""The evidence tracks over the API: scoped, audited reads; new records through the services.

Each viewset reads its track's records within the caller's scope (a consul sees its own
nationals' records only; anything else is the 404 of a missing record) and writes the
`evidence.record.listed` / `.viewed` events. `POST` calls the track's service, which checks
the capability and scope again. Sealed content (DNA results, security assessments) is in a
separate serializer chosen only for a caller holding the grant.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.cases.models import Case
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.evidence import events
from homeward.evidence import services as ev
from homeward.evidence.api import serializers as s
from homeward.evidence.choices import DECIDE_CAPABILITY
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAComparison,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    Incident,
    NationalityClaim,
    NationalityDetermination,
    TravelDocument,
)
from homeward.people.models import Person

__all__ = [
    "AssuranceViewSet",
    "BestInterestsAssessmentViewSet",
    "ClearanceViewSet",
    "ConsentViewSet",
    "CourtCaseViewSet",
    "DNAComparisonViewSet",
    "DNASampleViewSet",
    "ExitAuthorizationViewSet",
    "GuardianCandidateViewSet",
    "IncidentViewSet",
    "NationalityClaimViewSet",
    "NationalityDeterminationViewSet",
    "TravelDocumentViewSet",
]


def granted(view, capability: str) -> bool:
    """Whether the caller holds a sealed grant; the schema documents the sealed shape."""
    if getattr(view, "swagger_fake_view", False):
        return True
    user = getattr(view.request, "user", None)
    return bool(user and user.is_authenticated and user.has_capability(capability))


def case_filterset(model) -> type[django_filters.FilterSet]:
    """`?case=<uuid>`: a plain UUID filter, so an unseen case matches nothing (never a 400)."""
    meta = type("Meta", (), {"model": model, "fields": ["case"]})
    return type(
        f"{model.__name__}FilterSet",
        (django_filters.FilterSet,),
        {"case": django_filters.UUIDFilter(field_name="case_id", label=_("Case")), "Meta": meta},
    )


class EvidenceViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Base: list/retrieve scoped and audited; `create` validates `input_class`, calls `record`."""

    list_event = events.EVIDENCE_LISTED
    view_event = events.EVIDENCE_VIEWED
    input_class: type | None = None
    related: tuple[str, ...] = ("case", "recorded_by", "policy")
    prefetch: tuple = ()
    ordering = ("-recorded_at", "id")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(*self.related)
            .prefetch_related(*self.prefetch)
            .order_by(*self.ordering)
        )

    def get_serializer_class(self):
        if self.action in ("create",) and self.input_class is not None:
            return self.input_class
        return self.serializer_class

    def output(self, record, code=status.HTTP_201_CREATED) -> Response:
        record = self.get_queryset().get(pk=record.pk)
        serializer_class = self.get_output_class()
        return Response(
            serializer_class(record, context=self.get_serializer_context()).data, status=code
        )

    def get_output_class(self):
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        given = self.input_class(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        case = self.visible(Case, pk=data.pop("case")) if "case" in data else None
        return self.output(self.record(case, data))

    def record(self, case, data):  # pragma: no cover - each viewset defines it
        raise NotImplementedError


def _schema(name: str, input_class=None, output=None):
    views = {
        "list": extend_schema(summary=_("List %(name)s") % {"name": name}, tags=["evidence"]),
        "retrieve": extend_schema(
            summary=_("Read one of the %(name)s") % {"name": name}, tags=["evidence"]
        ),
    }
    if input_class is not None:
        views["create"] = extend_schema(
            summary=_("Record one of the %(name)s") % {"name": name},
            request=input_class,
            responses={201: output},
            tags=["evidence"],
        )
    return extend_schema_view(**views)


class CreateMixin:
    """Adds POST to the router's collection route."""

    http_method_names = ["get", "post", "head", "options"]


@_schema("nationality claims", s.NationalityClaimInput, s.NationalityClaimSerializer)
class NationalityClaimViewSet(CreateMixin, EvidenceViewSet):
    queryset = NationalityClaim.objects.all()
    serializer_class = s.NationalityClaimSerializer
    filterset_class = case_filterset(NationalityClaim)
    input_class = s.NationalityClaimInput

    @property
    def write_permission(self):
        return cap.ACKNOWLEDGE_CLAIM if self.action == "acknowledge" else cap.ADD_NATIONALITY_CLAIM

    def record(self, case, data):
        return self.call(ev.record_nationality_claim, case, claimed_state=case.home_state, **data)

    @extend_schema(
        summary=_("Notify the home state of a claim"),
        description=_(
            "Records the note verbale that notified the home state (its date and reference), "
            "as the claim page's notify does. 409 when the claim was already notified."
        ),
        request=s.NotifyInput,
        responses={
            200: s.NationalityClaimSerializer,
            409: OpenApiResponse(description=_("The claim was already notified.")),
        },
        tags=["evidence"],
    )
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        claim = self.get_object()
        given = s.NotifyInput(data=request.data)
        given.is_valid(raise_exception=True)
        if claim.notified_on is not None:
            detail = _("The home state was already notified of this claim.")
            return Response({"detail": str(detail)}, status=status.HTTP_409_CONFLICT)
        claim = self.call(ev.notify_home_state, claim, **given.validated_data)
        return self.output(claim, status.HTTP_200_OK)

    @extend_schema(
        summary=_("The home state acknowledges a claim"),
        request=s.AcknowledgeInput,
        responses={200: s.NationalityClaimSerializer},
        tags=["evidence"],
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        claim = self.get_object()
        given = s.AcknowledgeInput(data=request.data)
        given.is_valid(raise_exception=True)
        claim = self.call(ev.acknowledge_claim, claim, **given.validated_data)
        return self.output(claim, status.HTTP_200_OK)


@_schema("nationality determinations", s.DeterminationInput, s.NationalityDeterminationSerializer)
class NationalityDeterminationViewSet(CreateMixin, EvidenceViewSet):
    queryset = NationalityDetermination.objects.all()
    serializer_class = s.NationalityDeterminationSerializer
    filterset_class = case_filterset(NationalityDetermination)
    input_class = s.DeterminationInput
    write_permission = cap.ADD_DETERMINATION

    def record(self, case, data):
        claim = self.visible(NationalityClaim, pk=data.pop("claim"))
        return self.call(ev.record_home_state_determination, claim, **data)


@_schema("DNA samples", s.DNASampleInput, s.DNASampleSerializer)
class DNASampleViewSet(CreateMixin, EvidenceViewSet):
    queryset = DNASample.objects.all()
    serializer_class = s.DNASampleSerializer
    filterset_class = case_filterset(DNASample)
    input_class = s.DNASampleInput
    write_permission = cap.ADD_DNA_SAMPLE

    def record(self, case, data):
        donor = self.visible(Person, pk=data.pop("donor"))
        return self.call(ev.record_dna_sample, case, donor=donor, **data)


@_schema("DNA comparisons", s.DNAComparisonInput, s.DNAComparisonSerializer)
class DNAComparisonViewSet(CreateMixin, EvidenceViewSet):
    """The result (conclusion, statistic, report) only for holders of the DNA grant."""

    queryset = DNAComparison.objects.all()
    serializer_class = s.DNAComparisonSerializer
    filterset_class = case_filterset(DNAComparison)
    input_class = s.DNAComparisonInput
    write_permission = cap.ADD_DNA_COMPARISON
    prefetch = ("samples",)

    def sealed_granted(self) -> bool:
        return granted(self, cap.VIEW_DNA_RESULT)

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.select_related("sealed_result") if self.sealed_granted() else queryset

    def get_output_class(self):
        return (
            s.DNAComparisonSealedSerializer if self.sealed_granted() else s.DNAComparisonSerializer
        )

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_class
        return self.get_output_class()

    def record(self, case, data):
        samples = [self.visible(DNASample, pk=pk) for pk in data.pop("samples")]
        return self.call(ev.record_dna_comparison, case, samples=samples, **data)


@_schema("consents", s.ConsentInput, s.ConsentSerializer)
class ConsentViewSet(CreateMixin, EvidenceViewSet):
    queryset = Consent.objects.all()
    serializer_class = s.ConsentSerializer
    filterset_class = case_filterset(Consent)
    input_class = s.ConsentInput
    write_permission = cap.ADD_CONSENT
    prefetch = ("covered_cases",)

    def record(self, case, data):
        giver = self.visible(Person, pk=data.pop("giver"))
        return self.call(ev.record_consent, case, giver=giver, **data)


@_schema("guardian candidates", s.GuardianInput, s.GuardianCandidateSerializer)
class GuardianCandidateViewSet(CreateMixin, EvidenceViewSet):
    queryset = GuardianCandidate.objects.all()
    serializer_class = s.GuardianCandidateSerializer
    filterset_class = case_filterset(GuardianCandidate)
    input_class = s.GuardianInput

    @property
    def write_permission(self):
        return cap.VET_GUARDIAN if self.action == "vetting" else cap.ADD_GUARDIAN

    def record(self, case, data):
        return self.call(ev.propose_guardian, case, **data)

    @extend_schema(
        summary=_("The home state's vetting of a guardian"),
        request=s.VettingInput,
        responses={200: s.GuardianCandidateSerializer},
        tags=["evidence"],
    )
    @action(detail=True, methods=["post"])
    def vetting(self, request, pk=None):
        candidate = self.get_object()
        given = s.VettingInput(data=request.data)
        given.is_valid(raise_exception=True)
        candidate = self.call(ev.record_guardian_vetting, candidate, **given.validated_data)
        return self.output(candidate, status.HTTP_200_OK)


@_schema("assurances", s.AssuranceInput, s.AssuranceSerializer)
class AssuranceViewSet(CreateMixin, EvidenceViewSet):
    queryset = Assurance.objects.all()
    serializer_class = s.AssuranceSerializer
    filterset_class = case_filterset(Assurance)
    input_class = s.AssuranceInput
    write_permission = cap.ADD_ASSURANCE
    prefetch = ("covered_cases",)

    def record(self, case, data):
        covered = [self.visible(Case, pk=pk) for pk in data.pop("covered_cases", [])]
        return self.call(ev.record_assurance, case, covered_cases=covered, **data)


@_schema("best-interests assessments", s.BIAInput, s.BestInterestsAssessmentSerializer)
class BestInterestsAssessmentViewSet(CreateMixin, EvidenceViewSet):
    queryset = BestInterestsAssessment.objects.all()
    serializer_class = s.BestInterestsAssessmentSerializer
    filterset_class = case_filterset(BestInterestsAssessment)
    input_class = s.BIAInput
    write_permission = cap.ADD_BIA

    def record(self, case, data):
        return self.call(ev.record_bia, case, **data)


@_schema("clearances", s.ClearanceRequestInput, s.ClearanceSerializer)
class ClearanceViewSet(CreateMixin, EvidenceViewSet):
    """The security assessment only for holders of its grant; deciding is per type."""

    queryset = Clearance.objects.all()
    serializer_class = s.ClearanceSerializer
    filterset_class = case_filterset(Clearance)
    input_class = s.ClearanceRequestInput
    related = ("case", "recorded_by", "policy", "decided_by")
    ordering = ("-requested_at", "id")

    @property
    def write_permission(self):
        if self.action == "decision":
            held = [
                code
                for code in DECIDE_CAPABILITY.values()
                if self.request.user.has_capability(code)
            ]
            return held[0] if held else cap.DECIDE_JUDICIAL_CLEARANCE
        return cap.REQUEST_CLEARANCE

    def sealed_granted(self) -> bool:
        return granted(self, cap.VIEW_SECURITY_ASSESSMENT)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.sealed_granted():
            return queryset.prefetch_related(Prefetch("sealed_assessment"))
        return queryset

    def get_output_class(self):
        return s.ClearanceSealedSerializer if self.sealed_granted() else s.ClearanceSerializer

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_class
        return self.get_output_class()

    def record(self, case, data):
        return self.call(ev.request_clearance, case, **data)

    @extend_schema(
        summary=_("Decide a requested clearance"),
        description=_("Only the agency owning the clearance's type decides it (403 otherwise)."),
        request=s.ClearanceDecisionInput,
        responses={200: s.ClearanceSerializer},
        tags=["evidence"],
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        clearance = self.get_object()
        given = s.ClearanceDecisionInput(data=request.data)
        given.is_valid(raise_exception=True)
        clearance = self.call(ev.decide_clearance, clearance, **given.validated_data)
        return self.output(clearance, status.HTTP_200_OK)


@_schema("travel documents", s.TravelDocumentInput, s.TravelDocumentSerializer)
class TravelDocumentViewSet(CreateMixin, EvidenceViewSet):
    queryset = TravelDocument.objects.all()
    serializer_class = s.TravelDocumentSerializer
    filterset_class = case_filterset(TravelDocument)
    input_class = s.TravelDocumentInput
    write_permission = cap.ADD_TRAVEL_DOCUMENT

    def record(self, case, data):
        return self.call(ev.record_travel_document, case, **data)


@_schema("exit authorisations", s.ExitAuthorizationInput, s.ExitAuthorizationSerializer)
class ExitAuthorizationViewSet(CreateMixin, EvidenceViewSet):
    queryset = ExitAuthorization.objects.all()
    serializer_class = s.ExitAuthorizationSerializer
    filterset_class = case_filterset(ExitAuthorization)
    input_class = s.ExitAuthorizationInput
    write_permission = cap.ADD_EXIT_AUTHORIZATION

    def record(self, case, data):
        return self.call(ev.record_exit_authorization, case, **data)


@_schema("incidents", s.IncidentInput, s.IncidentSerializer)
class IncidentViewSet(CreateMixin, EvidenceViewSet):
    queryset = Incident.objects.all()
    serializer_class = s.IncidentSerializer
    filterset_class = case_filterset(Incident)
    input_class = s.IncidentInput
    write_permission = cap.ADD_INCIDENT

    def record(self, case, data):
        return self.call(ev.record_incident, case, **data)


class CourtCaseFilterSet(django_filters.FilterSet):
    defendant = django_filters.UUIDFilter(field_name="defendant_id", label=_("Defendant"))

    class Meta:
        model = CourtCase
        fields = ["defendant"]


@_schema("court cases", s.CourtCaseInput, s.CourtCaseSerializer)
class CourtCaseViewSet(CreateMixin, ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Mothers' and juveniles' proceedings, scoped through the defendant; POST records one
    (`record_court_case`, as the case page does), the defendant resolved in scope."""

    queryset = CourtCase.objects.all()
    serializer_class = s.CourtCaseSerializer
    filterset_class = CourtCaseFilterSet
    list_event = events.EVIDENCE_LISTED
    view_event = events.EVIDENCE_VIEWED
    write_permission = cap.ADD_COURT_CASE

    def get_queryset(self):
        return super().get_queryset().order_by("-recorded_at", "id")

    def create(self, request, *args, **kwargs):
        data = self.given(s.CourtCaseInput)
        defendant = self.scoped(Person, "defendant", _("Unknown person."), pk=data.pop("defendant"))
        court_case = self.call(ev.record_court_case, defendant, **data)
        court_case = self.get_queryset().get(pk=court_case.pk)
        body = s.CourtCaseSerializer(court_case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
