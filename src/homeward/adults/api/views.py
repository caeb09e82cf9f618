"""Adult cases and consular visits over the API: scoped by the adult's state, reads audited.

Writes are thin adapters over `adults.services`, which check capability and scope again:
each step is a POST sub-resource of the adult case taking `expected_version` (409 when
someone changed the case since). The adult case in the path is a 404 when outside the
caller's scope, like a missing one; records named in a body (the person, the home state, the
facility) are resolved within the caller's scope, and an unseen one is a 400 naming it.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from homeward.accounts import capabilities as cap
from homeward.adults import events, services
from homeward.adults.api.serializers import (
    AdultCaseInput,
    AdultCaseSerializer,
    ConsularVisitInput,
    ConsularVisitSerializer,
    JuvenileSentenceInput,
    LegalStatusInput,
    ReturnStepInput,
    RouteHomeInput,
)
from homeward.adults.choices import LegalStatus
from homeward.adults.models import AdultCase, ConsularVisit
from homeward.core.api.permissions import HasCapability
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.models import HomeState
from homeward.people.models import Facility, Person
from homeward.workflow.api.views import (
    IF_MATCH,
    TRANSITION_RESPONSES,
    CaseResolverMixin,
    answer_case_move,
)

__all__ = [
    "AdultCaseViewSet",
    "ConsularVisitViewSet",
    "JuvenileSentenceCompletedView",
    "ServiceCallMixin",
]

TAGS = ["adults"]
REFUSED = {
    400: OpenApiResponse(description=_("Bad input, or a rule refused the step (in words).")),
}
VERSIONED = {
    **REFUSED,
    409: OpenApiResponse(description=_("The adult case changed since it was read.")),
}


class AdultCaseFilterSet(django_filters.FilterSet):
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices)
    released_by = django_filters.DateFilter(
        field_name="expected_release_on",
        lookup_expr="lte",
        label=_("expected release by"),
        input_formats=["%Y-%m-%d"],  # ISO only, as the schema says: 10/11/2026 is ambiguous
    )

    class Meta:
        model = AdultCase
        fields = ["legal_status", "route_home", "released_by"]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary=_("List adult cases"),
        description=_(
            "Adults in custody (mothers and others) the caller may see, with their legal "
            "status and expected release. `released_by` lists releases due by a date."
        ),
    ),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one adult case")),
    create=extend_schema(
        tags=TAGS,
        summary=_("Open an adult case"),
        description=_(
            "For an adult of the registry in custody (a mother, a father, a relative), with "
            "her home state, legal status and, if convicted, the sentence."
        ),
        request=AdultCaseInput,
        responses={201: AdultCaseSerializer, **REFUSED},
    ),
)
class AdultCaseViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Adult cases; each step of the case is a POST taking `expected_version`."""

    queryset = AdultCase.objects.select_related("home_state").order_by("reference")
    serializer_class = AdultCaseSerializer
    filterset_class = AdultCaseFilterSet
    list_event = events.ADULT_CASES_LISTED
    view_event = events.ADULT_CASE_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    WRITES = {
        "create": cap.ADD_ADULT_CASE,
        "consular_visits": cap.ADD_CONSULAR_VISIT,
    }

    @property
    def write_permission(self):
        return self.WRITES.get(self.action, cap.CHANGE_ADULT_CASE)

    def output(self, adult_case, code=status.HTTP_200_OK) -> Response:
        adult_case = self.get_queryset().get(pk=adult_case.pk)
        return Response(self.get_serializer(adult_case).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.given(AdultCaseInput)
        person = self.scoped(Person, "person", _("Unknown person."), pk=data.pop("person"))
        home_state = self.scoped(
            HomeState, "home_state", _("Unknown home state."), code=data.pop("home_state").upper()
        )
        if data.get("facility") is not None:
            data["facility"] = self.scoped(
                Facility, "facility", _("Unknown facility."), pk=data["facility"]
            )
        data = {key: value for key, value in data.items() if value is not None}
        adult_case = self.call(services.open_adult_case, person, home_state=home_state, **data)
        return self.output(adult_case, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary=_("Record a step of the legal track"),
        description=_(
            "Conviction, appeal, commutation, pardon, release, departure… A conviction or "
            "commutation states the sentence (a fixed term its expected release); a departure "
            "(deported, transferred, handed over) passes the return gate first."
        ),
        request=LegalStatusInput,
        responses={200: AdultCaseSerializer, **VERSIONED},
    )
    @action(detail=True, methods=["post"], url_path="legal-status")
    def legal_status(self, request, pk=None):
        return self.step(services.record_legal_status, LegalStatusInput)

    @extend_schema(
        tags=TAGS,
        summary=_("Choose the route home"),
        description=_(
            "Deportation after the sentence, transfer of a sentenced person, or handover "
            "together with the children."
        ),
        request=RouteHomeInput,
        responses={200: AdultCaseSerializer, **VERSIONED},
    )
    @action(detail=True, methods=["post"], url_path="route-home")
    def route_home(self, request, pk=None):
        return self.step(services.choose_route_home, RouteHomeInput)

    @extend_schema(
        tags=TAGS,
        summary=_("Record a step towards the return"),
        description=_(
            "Nationality confirmed, transfer agreed, exit authorised or travel document issued."
        ),
        request=ReturnStepInput,
        responses={200: AdultCaseSerializer, **VERSIONED},
    )
    @action(detail=True, methods=["post"], url_path="return-step")
    def return_step(self, request, pk=None):
        return self.step(services.record_return_step, ReturnStepInput)

    @extend_schema(
        tags=TAGS,
        summary=_("Record a consular visit to this adult"),
        description=_(
            "Who visited, when, with which interpreter; what was discussed only as far as the "
            "detainee agreed to have it recorded."
        ),
        request=ConsularVisitInput,
        responses={201: ConsularVisitSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="consular-visits")
    def consular_visits(self, request, pk=None):
        adult_case = self.get_object()
        visit = self.call(
            services.record_consular_visit, adult_case, **self.given(ConsularVisitInput)
        )
        return Response(ConsularVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ConsularVisitFilterSet(django_filters.FilterSet):
    class Meta:
        model = ConsularVisit
        fields = ["adult_case"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("List consular visits")),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one consular visit")),
)
class ConsularVisitViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    """Consular visits to nationals in custody, in the caller's scope; recorded through
    the adult case (`POST /adult-cases/{id}/consular-visits/`)."""

    queryset = ConsularVisit.objects.select_related("adult_case").order_by("-visited_on", "id")
    serializer_class = ConsularVisitSerializer
    filterset_class = ConsularVisitFilterSet
    list_event = events.CONSULAR_VISITS_LISTED
    view_event = events.CONSULAR_VISIT_VIEWED


class AnyWriteCapability(HasCapability):
    """A write needs any one of the view's `write_capabilities` (the service accepts each)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return any(user.has_capability(code) for code in view.write_capabilities)

    def matrix_capabilities(self, request, view) -> set[str]:
        return set(view.write_capabilities)


class JuvenileSentenceCompletedView(CaseResolverMixin, GenericViewSet):
    """A juvenile served the sentence: the child's case leaves SERVING_SENTENCE (If-Match).

    A POST-only action (routed as {"post": "create"}), like the other write-only steps.
    """

    permission_classes = [AnyWriteCapability]
    write_capabilities = (cap.ADD_COURT_CASE, cap.MOVE_CASE)
    serializer_class = JuvenileSentenceInput
    http_method_names = ["post", "options"]

    @extend_schema(
        summary=_("A juvenile served the sentence: the case resumes"),
        description=_(
            "The child's serving sentences are marked completed and the case goes back from "
            "serving a sentence to the state it remembers, in one step. Needs If-Match with "
            "the case's ETag: 428 without it, 412 if the case changed since. 409 when the "
            "case cannot resume now."
        ),
        parameters=[IF_MATCH],
        request=JuvenileSentenceInput,
        responses=TRANSITION_RESPONSES,
        tags=["workflow"],
    )
    def create(self, request, *args, **kwargs):
        case = self.get_object()
        data = JuvenileSentenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        return answer_case_move(
            request,
            case,
            lambda version: services.complete_juvenile_sentence(
                case, actor=request.user, expected_version=version, **data.validated_data
            ),
        )
