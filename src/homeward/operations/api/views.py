"""Return operations over the API: scoped, audited reads, and every step through the services.

Each lifecycle step is a POST sub-resource taking `expected_version` (the operation's, or
the entry's for entry steps): 409 when someone changed it since. Records named in a body
(cases, people, entries) are resolved within the caller's scope; anything unseen is a 400
naming it, and the operation or entry in the path is a 404 like a missing one.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.models import HomeState
from homeward.operations import events, queries, services
from homeward.operations.api.serializers import (
    ArrivalInput,
    ArrivalSerializer,
    EntryConfirmInput,
    EntryRemoveInput,
    EntrySerializer,
    ExplanationInput,
    FollowUpInput,
    FollowUpReportSerializer,
    HandoverInput,
    ManifestAddInput,
    NotBoardedInput,
    OperationInput,
    OperationSerializer,
    OperationUpdateInput,
    PostponeInput,
    ReadinessSerializer,
    ReasonInput,
    Versioned,
)
from homeward.operations.exceptions import ManifestRefused, OperationStateError
from homeward.operations.models import (
    Arrival,
    FollowUpReport,
    ManifestEntry,
    Operation,
    OperationMember,
)
from homeward.people.models import Person
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed

TAGS = ["operations"]
REFUSED = {
    400: OpenApiResponse(description=_("Bad input, or a rule refused the step (in words).")),
    409: OpenApiResponse(description=_("Changed since it was read, or not possible now.")),
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This step is not possible in the operation's current status.")


class StepsMixin(ServiceCallMixin):
    """Service calls with the operations' refusals turned into answers, and scoped lookups."""

    def call(self, service, *args, **kwargs):
        try:
            return super().call(service, *args, **kwargs)
        except ManifestRefused as exc:
            raise exceptions.ValidationError({"refusals": exc.refusals}) from exc
        except GateNotMet as exc:
            raise exceptions.ValidationError({"requirements": exc.descriptions}) from exc
        except (OperationStateError, TransitionNotAllowed) as exc:
            raise Conflict(exc.message) from exc


@extend_schema_view(
    list=extend_schema(
        summary=_("List return operations"),
        description=_("Operations of the home states in the caller's scope."),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary=_("Read one return operation with its manifest and handover"), tags=TAGS
    ),
    create=extend_schema(
        summary=_("Propose a return operation"),
        request=OperationInput,
        responses={201: OperationSerializer, **REFUSED},
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary=_("Change an operation's details, team or fee"),
        request=OperationUpdateInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    ),
)
class OperationViewSet(StepsMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Return operations: each lifecycle step is a POST taking `expected_version`."""

    queryset = (
        Operation.objects.select_related("home_state", "handover", "reconciliation")
        .prefetch_related(
            "members",
            "date_changes",
            "entries__case",
            "entries__accompanies",
            "entries__handover_item",
        )
        .order_by("-planned_date", "reference")
    )
    serializer_class = OperationSerializer
    list_event = events.OPERATIONS_LISTED
    view_event = events.OPERATION_VIEWED
    http_method_names = ["get", "post", "patch", "head", "options"]

    WRITES = {
        "freeze": cap.FREEZE_MANIFEST,
        "start": cap.RECORD_OPERATION_HANDOVER,
        "handover": cap.RECORD_OPERATION_HANDOVER,
        "complete": cap.RECORD_OPERATION_HANDOVER,
    }

    @property
    def write_permission(self):
        return self.WRITES.get(self.action, cap.PLAN_OPERATION)

    def output(self, operation, code=status.HTTP_200_OK) -> Response:
        operation = self.get_queryset().get(pk=operation.pk)
        return Response(self.get_serializer(operation).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.given(OperationInput)
        state = HomeState.objects.filter(code=data.pop("home_state").upper()).first()
        if state is None:
            raise exceptions.ValidationError({"home_state": [_("Unknown home state.")]})
        return self.output(
            self.call(services.propose_operation, state, **data), status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        operation = self.get_object()
        data = self.given(OperationUpdateInput)
        version = data.pop("expected_version")
        return self.output(
            self.call(services.update_operation, operation, expected_version=version, **data)
        )

    @extend_schema(
        summary=_("Move the operation on (proposed → negotiating → confirmed)"),
        request=Versioned,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self.step(services.advance_operation, Versioned)

    @extend_schema(
        summary=_("Postpone the operation to a new date"),
        request=PostponeInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def postpone(self, request, pk=None):
        return self.step(services.postpone_operation, PostponeInput)

    @extend_schema(
        summary=_("Cancel the operation; its scheduled children go back to approved"),
        request=ReasonInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.step(services.cancel_operation, ReasonInput)

    @extend_schema(
        summary=_("Add children (and the adults travelling with them) to the manifest"),
        description=_(
            "All or none: any child refused by a manifest rule is a 400 listing, per child, "
            "every reason in words."
        ),
        request=ManifestAddInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def manifest(self, request, pk=None):
        operation = self.get_object()
        data = self.given(ManifestAddInput)
        cases = self.cases(data.pop("cases", []))
        adults = []
        for index, adult in enumerate(data.pop("adults", [])):
            person = Person.objects.for_user(request.user, "view").filter(pk=adult["person"])
            child = self.cases([adult["accompanies"]], field=f"adults.{index}.accompanies")
            if not person.exists():
                raise exceptions.ValidationError({f"adults.{index}.person": [_("Unknown person.")]})
            adults.append((person.get(), child[0]))
        return self.output(
            self.call(services.add_to_manifest, operation, cases, adults=adults, **data)
        )

    @extend_schema(
        summary=_("Freeze the manifest: every child is scheduled on this operation"),
        request=Versioned,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        return self.step(services.freeze_manifest, Versioned)

    @extend_schema(
        summary=_("Start the operation on the day"),
        request=Versioned,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self.step(services.start_execution, Versioned)

    @extend_schema(
        summary=_("Record the handover and, per child, what was checked and handed over"),
        request=HandoverInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        operation = self.get_object()
        data = self.given(HandoverInput)
        entries = {
            entry.pk: entry
            for entry in ManifestEntry.objects.filter(
                operation=operation, pk__in=[item["entry"] for item in data.get("items", [])]
            )
        }
        items = []
        for index, item in enumerate(data.pop("items", [])):
            if item["entry"] not in entries:
                raise exceptions.ValidationError({f"items.{index}.entry": [_("Unknown entry.")]})
            items.append({**item, "entry": entries[item["entry"]]})
        self.call(services.record_handover, operation, items=items, **data)
        return self.output(operation)

    @extend_schema(
        summary=_("Complete the operation: every boarded child is handed over, or none"),
        request=Versioned,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self.step(services.complete_operation, Versioned)

    @extend_schema(
        summary=_("Reconcile planned against actual"),
        request=ExplanationInput,
        responses={200: OperationSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reconcile(self, request, pk=None):
        return self.step(services.reconcile_operation, ExplanationInput)

    @extend_schema(
        summary=_("Readiness of each child still waiting on the manifest"),
        description=_("Ready, or what is missing at the operation's planned date, in words."),
        responses={200: ReadinessSerializer(many=True)},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def readiness(self, request, pk=None):
        operation = self.get_object()
        return Response(ReadinessSerializer(queries.operation_readiness(operation), many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("List manifest entries"), tags=TAGS),
    retrieve=extend_schema(summary=_("Read one manifest entry"), tags=TAGS),
)
class ManifestEntryViewSet(StepsMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """A person on a manifest; entry steps take the entry's `expected_version`."""

    queryset = ManifestEntry.objects.select_related(
        "operation", "case", "accompanies", "handover_item"
    ).order_by("operation", "created_at")
    serializer_class = EntrySerializer
    list_event = events.ENTRIES_LISTED
    view_event = events.ENTRY_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_permission(self):
        if self.action == "not_boarded":
            return cap.RECORD_OPERATION_HANDOVER
        return cap.PLAN_OPERATION

    def output(self, entry) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        summary=_("Confirm the entry, with medical needs and escort"),
        request=EntryConfirmInput,
        responses={200: EntrySerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        entry = self.get_object()
        data = self.given(EntryConfirmInput)
        if "escort" in data:
            data["escort"] = OperationMember.objects.filter(
                pk=data["escort"], operation_id=entry.operation_id
            ).first()
            if data["escort"] is None:
                raise exceptions.ValidationError({"escort": [_("Unknown escort.")]})
        return self.output(self.call(services.confirm_entry, entry, **data))

    @extend_schema(
        summary=_("Take the person off the manifest (a reason after the freeze)"),
        request=EntryRemoveInput,
        responses={204: None, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        entry = self.get_object()
        self.call(services.remove_from_manifest, entry, **self.given(EntryRemoveInput))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Record that the person did not board, and why"),
        request=NotBoardedInput,
        responses={200: EntrySerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="not-boarded")
    def not_boarded(self, request, pk=None):
        entry = self.get_object()
        return self.output(
            self.call(services.mark_not_boarded, entry, **self.given(NotBoardedInput))
        )


@extend_schema_view(
    list=extend_schema(summary=_("List arrivals confirmed by home states"), tags=TAGS),
    retrieve=extend_schema(summary=_("Read one arrival"), tags=TAGS),
    create=extend_schema(
        summary=_("Confirm a child's arrival and first placement (the home state)"),
        request=ArrivalInput,
        responses={201: ArrivalSerializer, **REFUSED},
        tags=TAGS,
    ),
)
class ArrivalViewSet(StepsMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Arrivals confirmed by the home state; `expected_version` is the case's."""

    queryset = Arrival.objects.select_related("case").order_by("-arrived_on")
    serializer_class = ArrivalSerializer
    list_event = events.ARRIVALS_LISTED
    view_event = events.ARRIVAL_VIEWED
    write_permission = cap.CONFIRM_OPERATION_ARRIVAL
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.given(ArrivalInput)
        [case] = self.cases([data.pop("case")], field="case")
        arrival = self.call(services.confirm_arrival, case, **data)
        arrival = self.get_queryset().get(pk=arrival.pk)
        return Response(self.get_serializer(arrival).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List follow-up reports"), tags=TAGS),
    retrieve=extend_schema(summary=_("Read one follow-up report"), tags=TAGS),
)
class FollowUpReportViewSet(StepsMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Follow-up reports due after a child's return, received or overdue."""

    queryset = FollowUpReport.objects.select_related("case").order_by("due_date")
    serializer_class = FollowUpReportSerializer
    list_event = events.FOLLOW_UPS_LISTED
    view_event = events.FOLLOW_UP_VIEWED
    write_permission = cap.RECORD_FOLLOW_UP
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        summary=_("Record a follow-up report received"),
        request=FollowUpInput,
        responses={200: FollowUpReportSerializer, **REFUSED},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        report = self.get_object()
        saved = self.call(services.record_follow_up_report, report, **self.given(FollowUpInput))
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data)


__all__ = ["ArrivalViewSet", "FollowUpReportViewSet", "ManifestEntryViewSet", "OperationViewSet"]
