"""The workflow over the API: a case's gate, its history, its transitions, and the desk.

Thin adapters: the case is resolved within the caller's scope (out of scope is the same 404
as missing, and the refusal is audited), the service does the work and its own checks.
A transition changes the case, so it needs `If-Match` with the case's ETag (its version):
428 without it, 412 when it is stale, and nothing is written either way.
"""

from collections.abc import Callable

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.audit.services import record_event, record_list, record_view
from homeward.cases.models import Case
from homeward.core.api.permissions import HasCapability
from homeward.core.api.preconditions import etag_for, expected_version, precondition_failed
from homeward.core.api.views import DenialAuditMixin, ListPagination
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.security.api import RowScopeAPIMixin
from homeward.workflow import events
from homeward.workflow.api.serializers import (
    DeskSerializer,
    GateSerializer,
    RequirementSerializer,
    StatusChangeSerializer,
    TransitionRequestSerializer,
    TransitionSerializer,
)
from homeward.workflow.api.transitions import TRANSITIONS
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed
from homeward.workflow.gates import next_state, requirements_for
from homeward.workflow.models import CaseTransition
from homeward.workflow.queries import desk_for

__all__ = [
    "CaseRequirementsView",
    "CaseTransitionsView",
    "DeskView",
    "StatusChangeFeedView",
    "TransitionPermission",
    "answer_case_move",
    "conflict",
    "move_refused",
]

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_('The case\'s ETag as last read, e.g. "3" (its version).'),
)
CONFLICT = inline_serializer(
    "TransitionConflict",
    {
        "detail": serializers.CharField(),
        "code": serializers.ChoiceField(choices=["gate_not_met", "transition_not_allowed"]),
        "unmet": RequirementSerializer(many=True, required=False),
    },
)
# What a move of a case by transition can answer (here and the juvenile's sentence completed).
TRANSITION_RESPONSES = {
    201: TransitionSerializer,
    400: OpenApiResponse(description=_("A field is missing or invalid.")),
    403: OpenApiResponse(description=_("The caller may not make this transition.")),
    404: OpenApiResponse(description=_("No such case.")),
    409: OpenApiResponse(CONFLICT, description=_("Not possible now: see `code`.")),
    412: OpenApiResponse(description=_("The case changed since it was read.")),
    428: OpenApiResponse(description=_("If-Match is missing.")),
}


class CaseResolverMixin(RowScopeAPIMixin, DenialAuditMixin):
    """`get_object()` is the case of the URL, within the caller's scope (else an audited 404)."""

    queryset = Case.objects.all()
    lookup_field = "pk"
    lookup_url_kwarg = "case_pk"
    permission = cap.VIEW_CASE

    def get_queryset(self):
        return Case.objects.for_user(self.request.user, "view").select_related(
            "home_state", "child"
        )


class TransitionPermission(HasCapability):
    """Reads need `cases.view_case`; a transition needs one of its service's capabilities.

    An unknown transition needs `workflow.move_case`, so that only someone who could move a
    case learns that the name is wrong (a 400 from the serializer).
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        name = request.data.get("transition") if hasattr(request.data, "get") else None
        spec = TRANSITIONS.get(name) if isinstance(name, str) else None
        needed = spec.capabilities if spec else (cap.MOVE_CASE,)
        return any(user.has_capability(code) for code in needed)

    def matrix_capabilities(self, request, view) -> set[str]:
        """Any of these lets a caller in, whatever the body names (the authorization matrix)."""
        if request.method in SAFE_METHODS:
            return {view.permission}
        return {cap.MOVE_CASE}.union(*(spec.capabilities for spec in TRANSITIONS.values()))


class CaseRequirementsView(CaseResolverMixin, GenericAPIView):
    """The gate of the case's next main state, with the case's version as ETag."""

    serializer_class = GateSerializer

    @extend_schema(
        summary=_("What the case still needs"),
        description=_(
            "Every requirement of the gate of the case's next main state (the state it returns "
            "to, for a case in a side state): its status, the agency that owes it, since when "
            "and for how many days it is waiting, and a plain-words description. DNA results "
            "stay sealed for callers without the DNA grant. The ETag is the case's version."
        ),
        responses={200: GateSerializer, 404: OpenApiResponse(description=_("No such case."))},
        tags=["workflow"],
    )
    def get(self, request, *args, **kwargs):
        case = self.get_object()
        requirements = requirements_for(case, viewer=request.user)
        body = GateSerializer(
            {
                "case": case.pk,
                "status": case.status,
                "next_state": next_state(case.status, case.return_status),
                "version": case.version,
                "ready": all(requirement.is_met for requirement in requirements),
                "requirements": requirements,
            }
        ).data
        record_view(events.REQUIREMENTS_VIEWED, actor=request.user, target=case)
        return Response(body, headers={"ETag": etag_for(case.version)})


class CaseTransitionsView(CaseResolverMixin, GenericAPIView):
    """The case's status history (GET) and a request to move it (POST, with If-Match)."""

    permission_classes = [TransitionPermission]
    serializer_class = TransitionSerializer
    pagination_class = ListPagination
    cursor_ordering = ("at", "id")

    def get_serializer_class(self):
        if self.request.method == "POST":
            return TransitionRequestSerializer
        return TransitionSerializer

    @extend_schema(
        summary=_("The case's status history"),
        description=_("Every status change of the case, oldest first, with the policy version."),
        responses={200: TransitionSerializer(many=True)},
        tags=["workflow"],
    )
    def get(self, request, *args, **kwargs):
        case = self.get_object()
        history = (
            CaseTransition.objects.filter(case=case)
            .select_related("actor", "policy")
            .order_by("at", "id")
        )
        page = self.paginate_queryset(history)
        data = TransitionSerializer(page, many=True).data
        record_event(
            events.TRANSITIONS_LISTED,
            actor=request.user,
            target=case,
            data={
                "ids": [str(row.pk) for row in page],
                "total": self.paginator.total(),
            },
        )
        response = self.get_paginated_response(data)
        response["ETag"] = etag_for(case.version)
        return response

    @extend_schema(
        summary=_("Move the case"),
        description=_(
            "Ask for a transition by name (`home_state_engaged`, `approved`, `put_on_hold`…) "
            "with what it needs (`decision_reference` for `approved`, `reason` for a side "
            "state…). Needs If-Match with the case's ETag: 428 without it, 412 if the case "
            "changed since. 409 when the case is not in a state the transition starts from, or "
            "when its gate is not met (`unmet` lists what is missing, in words). 403 without "
            "the transition's capability; 404 for a case outside the caller's scope."
        ),
        parameters=[IF_MATCH],
        request=TransitionRequestSerializer,
        responses=TRANSITION_RESPONSES,
        tags=["workflow"],
    )
    def post(self, request, *args, **kwargs):
        case = self.get_object()
        wanted = TransitionRequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        spec = TRANSITIONS[wanted.validated_data["transition"]]
        return answer_case_move(
            request,
            case,
            lambda version: spec.call(
                case, actor=request.user, expected_version=version, data=wanted.validated_data
            ),
        )


def stale(current: Case) -> Response:
    """412 with the case's current version and ETag, so the client can re-read and retry."""
    failed = precondition_failed(current.version)
    return Response(
        {"detail": str(failed.detail), "version": current.version},
        status=failed.status_code,
        headers={"ETag": etag_for(current.version)},
    )


def conflict(detail, code: str, **extra) -> Response:
    """409 with the reason in words and a machine-readable `code`."""
    return Response({"detail": str(detail), "code": code, **extra}, status=status.HTTP_409_CONFLICT)


def move_refused(exc: GateNotMet | TransitionNotAllowed) -> Response:
    """The 409 of a case move the workflow refused: a gate not met lists what is `unmet`."""
    if isinstance(exc, GateNotMet):
        unmet = RequirementSerializer(exc.requirements, many=True).data
        return conflict(exc.message, "gate_not_met", unmet=unmet)
    return conflict(exc.message, "transition_not_allowed")


def answer_case_move(request, case: Case, move: Callable[[int], Case | list[Case]]) -> Response:
    """Run `move(expected_version)` under the request's If-Match and answer as every case move
    does: 201 with the transition recorded and the new ETag; 428/412 for a missing or stale
    If-Match; 409 when the move is not allowed now, or its gate is not met (`unmet` lists
    what is missing); an audited 403 without the capability; 404 out of scope."""
    version = expected_version(request)
    if version != case.version:
        return stale(case)
    try:
        moved = move(version)
    except (GateNotMet, TransitionNotAllowed) as exc:
        return move_refused(exc)
    except StaleEditError:
        return stale(Case.objects.get(pk=case.pk))
    except OutOfScopeError as exc:
        raise Http404 from exc
    except DjangoPermissionDenied as exc:
        record_denial(
            actor=request.user, path=request.path, method=request.method, reason="capability"
        )
        raise exceptions.PermissionDenied() from exc
    moved = moved[0] if isinstance(moved, list) else moved
    row = (
        CaseTransition.objects.filter(case=moved)
        .select_related("actor", "policy")
        .order_by("-at", "-id")
        .first()
    )
    return Response(
        TransitionSerializer(row).data,
        status=status.HTTP_201_CREATED,
        headers={"ETag": etag_for(moved.version)},
    )


class DeskView(RowScopeAPIMixin, GenericAPIView):
    """What the caller's agency owes, oldest first, overdue flagged, within scope."""

    queryset = Case.objects.none()  # declares the model its items are about (scope matrix)
    permission = cap.VIEW_CASE
    serializer_class = DeskSerializer
    pagination_class = None

    @extend_schema(
        summary=_("My desk"),
        description=_(
            "The unmet requirements of visible cases that the caller's agency can act on, "
            "oldest first (the judge's judicial clearances, the lab's DNA comparisons, a "
            "consul's own nationals' confirmations…), and the agency's open tasks."
        ),
        responses={200: DeskSerializer},
        tags=["workflow"],
    )
    def get(self, request, *args, **kwargs):
        desk = desk_for(request.user)
        body = DeskSerializer(desk).data
        case_ids = list(dict.fromkeys(item.case.pk for item in desk.items))
        record_list(
            events.DESK_VIEWED, actor=request.user, ids=case_ids, query={}, total=len(case_ids)
        )
        return Response(body)


class StatusChangeFilterSet(django_filters.FilterSet):
    """`since`: changes after this moment (what a poller saw last); `home_state`: one state."""

    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gt", label=_("Changes after (ISO 8601)")
    )
    home_state = django_filters.CharFilter(
        field_name="case__home_state_id", method="_home_state", label=_("Home state (ISO code)")
    )

    class Meta:
        model = CaseTransition
        fields = ["since", "home_state"]

    def _home_state(self, queryset, name, value):
        return queryset.filter(**{name: value.strip().upper()})


@extend_schema(
    summary=_("Status changes across cases"),
    description=_(
        "Every status change of the cases the caller may see, oldest first: a home state's "
        "system polls its nationals' changes with `since` (or walks them with "
        "`paginate=cursor`), as webhooks push them. Each read is audited with the ids shown."
    ),
    tags=["workflow"],
)
class StatusChangeFeedView(RowScopeAPIMixin, DenialAuditMixin, ListAPIView):
    """The pull side of the `case.status_changed` webhook, scoped like the cases."""

    queryset = CaseTransition.objects.all()  # narrowed per caller in get_queryset
    permission_classes = [HasCapability]
    permission = cap.VIEW_CASE
    serializer_class = StatusChangeSerializer
    filterset_class = StatusChangeFilterSet
    pagination_class = ListPagination
    cursor_ordering = ("at", "id")

    def get_queryset(self):
        return (
            CaseTransition.objects.for_user(self.request.user, "view")
            .select_related("actor", "policy", "case")
            .order_by("at", "id")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(page, many=True).data
        record_list(
            events.STATUS_CHANGES_LISTED,
            actor=request.user,
            ids=[row.pk for row in page],
            query=request.query_params.dict(),
            total=self.paginator.total(),
        )
        return self.get_paginated_response(data)
