"""Requests for evidence over the API: a state sees its own requests only; reads audited.

Writes are thin adapters over `judicial.services` (which check capability and scope again):
record a request, forward it, record the decision (each step taking the request's
`expected_version`, 409 when stale), prepare the documents to send, and the second person's
approval (written to the disclosure log) or refusal. A request outside the caller's scope is
a 404 like a missing one; records named in a body are resolved within the caller's scope.
"""

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.attachments.models import Attachment
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.models import HomeState
from homeward.judicial import events, services
from homeward.judicial.api.serializers import (
    DecisionInput,
    EvidenceRequestInput,
    EvidenceRequestSerializer,
    EvidenceTransmissionSerializer,
    ForwardInput,
    TransmissionDecisionInput,
    TransmissionInput,
    TransmissionRefusalInput,
)
from homeward.judicial.choices import RequestStatus
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from homeward.people.models import Person

__all__ = ["EvidenceRequestViewSet"]

TAGS = ["judicial"]
REFUSED = {
    400: OpenApiResponse(description=_("Bad input, or a rule refused the step (in words).")),
}
VERSIONED = {
    **REFUSED,
    409: OpenApiResponse(description=_("The request changed since it was read.")),
}
TRANSMISSION = r"transmissions/(?P<transmission_pk>[0-9a-fA-F-]{36})"


class EvidenceRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = EvidenceRequest
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary=_("List requests for evidence"),
        description=_(
            "Requests for evidence and judicial records from home states, newest first; a "
            "home state's mission sees its own requests only."
        ),
    ),
    retrieve=extend_schema(tags=TAGS, summary=_("Read one request for evidence")),
    create=extend_schema(
        tags=TAGS,
        summary=_("Record a request for evidence"),
        description=_(
            "A home state's request for evidence or judicial records about one of its "
            "nationals (the person's case, child or adult, is of that state), received "
            "through its mission or its justice ministry."
        ),
        request=EvidenceRequestInput,
        responses={201: EvidenceRequestSerializer, **REFUSED},
    ),
)
class EvidenceRequestViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Requests for evidence; each step is a POST sub-resource of the request."""

    queryset = EvidenceRequest.objects.prefetch_related(
        Prefetch("transmissions", queryset=EvidenceTransmission.objects.order_by("recorded_at"))
    ).order_by("-received_on", "id")
    serializer_class = EvidenceRequestSerializer
    filterset_class = EvidenceRequestFilterSet
    list_event = events.REQUESTS_LISTED
    view_event = events.REQUEST_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_permission(self):
        if self.action in ("approve_transmission", "refuse_transmission"):
            return cap.APPROVE_EVIDENCE_TRANSMISSION
        return cap.ADD_EVIDENCE_REQUEST

    def output(self, evidence_request, code=status.HTTP_200_OK) -> Response:
        evidence_request = self.get_queryset().get(pk=evidence_request.pk)
        return Response(self.get_serializer(evidence_request).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.given(EvidenceRequestInput)
        home_state = self.scoped(
            HomeState, "home_state", _("Unknown home state."), code=data.pop("home_state").upper()
        )
        subject = self.scoped(Person, "subject", _("Unknown person."), pk=data.pop("subject"))
        evidence_request = self.call(
            services.record_evidence_request, home_state, subject=subject, **data
        )
        return self.output(evidence_request, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary=_("Forward the request to the authority that must answer"),
        request=ForwardInput,
        responses={200: EvidenceRequestSerializer, **VERSIONED},
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self.step(services.forward_evidence_request, ForwardInput)

    @extend_schema(
        tags=TAGS,
        summary=_("Record the decision on the request"),
        description=_("Granted, partly granted or refused; the last two give their reason."),
        request=DecisionInput,
        responses={200: EvidenceRequestSerializer, **VERSIONED},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.step(services.decide_evidence_request, DecisionInput)

    @extend_schema(
        tags=TAGS,
        summary=_("Prepare documents to send in answer to a granted request"),
        description=_(
            "Current documents of the person concerned, kept with their SHA-256; they wait "
            "for a second person's approval before anything is sent."
        ),
        request=TransmissionInput,
        responses={201: EvidenceTransmissionSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def transmissions(self, request, pk=None):
        evidence_request = self.get_object()
        data = self.given(TransmissionInput)
        wanted = set(data.pop("documents"))
        documents = list(Attachment.objects.for_user(request.user, "view").filter(pk__in=wanted))
        unknown = sorted(str(pk) for pk in wanted - {document.pk for document in documents})
        if unknown:
            raise exceptions.ValidationError(
                {"documents": [_("Unknown documents: %(ids)s") % {"ids": ", ".join(unknown)}]}
            )
        sent = self.call(
            services.record_transmission, evidence_request, documents=documents, **data
        )
        return Response(EvidenceTransmissionSerializer(sent).data, status=status.HTTP_201_CREATED)

    def decide_transmission(self, service, serializer_class, transmission_pk):
        evidence_request = self.get_object()
        transmission = EvidenceTransmission.objects.filter(
            request=evidence_request, pk=transmission_pk
        ).first()
        if transmission is None:
            raise Http404
        self.call(service, transmission, **self.given(serializer_class))
        return self.output(evidence_request)

    @extend_schema(
        tags=TAGS,
        summary=_("Approve the sending (a second person)"),
        description=_(
            "Never the person who prepared it. The sending is written to the disclosure log "
            "in the same transaction."
        ),
        request=TransmissionDecisionInput,
        responses={200: EvidenceRequestSerializer, **REFUSED},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{TRANSMISSION}/approve",
        url_name="approve-transmission",
    )
    def approve_transmission(self, request, pk=None, transmission_pk=None):
        return self.decide_transmission(
            services.approve_transmission, TransmissionDecisionInput, transmission_pk
        )

    @extend_schema(
        tags=TAGS,
        summary=_("Refuse the sending (a second person), with the reason"),
        description=_("Nothing is sent and nothing is written to the disclosure log."),
        request=TransmissionRefusalInput,
        responses={200: EvidenceRequestSerializer, **REFUSED},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{TRANSMISSION}/refuse",
        url_name="refuse-transmission",
    )
    def refuse_transmission(self, request, pk=None, transmission_pk=None):
        return self.decide_transmission(
            services.refuse_transmission, TransmissionRefusalInput, transmission_pk
        )
