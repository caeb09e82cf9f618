"""Identity resolution over the API: tracing requests and their candidates, duplicate pairs,
merges and their undoing — the same services, scope and audit as the pages.

Reads are audited like the pages' (list and view events). A tracing match or a duplicate
pair is visible only when the caller sees every record it names; out of scope is a 404.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.core.api.filters import IdFilter
from homeward.core.api.views import AuditedReadMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.matching import events, services
from homeward.matching.api.serializers import (
    DuplicateDecisionSerializer,
    DuplicateSerializer,
    MergeInputSerializer,
    MergeRecordSerializer,
    TracingCloseSerializer,
    TracingMatchDecisionSerializer,
    TracingMatchSerializer,
    TracingRequestCreateSerializer,
    TracingRequestSerializer,
    UnmergeInputSerializer,
)
from homeward.matching.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    TracingMatch,
    TracingMatchStatus,
    TracingRequest,
    TracingRole,
    TracingStatus,
)

__all__ = ["DuplicateViewSet", "MergeViewSet", "TracingMatchViewSet", "TracingRequestViewSet"]


class _RuleRefusals:
    """A service's PermissionDenied (a rule, not a capability) is audited, then a 403."""

    def _run(self, perform):
        try:
            return perform()
        except PermissionDenied:
            record_denial(
                actor=self.request.user,
                path=self.request.path,
                method=self.request.method,
                reason="rule",
            )
            raise


class TracingRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TracingStatus.choices)

    class Meta:
        model = TracingRequest
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List tracing requests"),
        description=_(
            "Requests about the home states in the caller's scope; a humanitarian partner "
            "sees only those its agency filed or partners."
        ),
    ),
    retrieve=extend_schema(summary=_("Read one tracing request")),
    create=extend_schema(
        summary=_("File a tracing request"),
        description=_(
            "Names as the relative wrote them, in any script. The registry's best candidate "
            "children and mothers are proposed at once (see tracing-matches)."
        ),
        request=TracingRequestCreateSerializer,
        responses={201: TracingRequestSerializer},
    ),
)
class TracingRequestViewSet(
    _RuleRefusals, AuditedReadMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet
):
    queryset = TracingRequest.objects.select_related("filed_by").order_by("-filed_at", "id")
    serializer_class = TracingRequestSerializer
    filterset_class = TracingRequestFilterSet
    list_event = events.TRACING_LISTED
    view_event = events.TRACING_VIEWED

    @property
    def write_permission(self) -> str:
        return cap.ADD_TRACING if self.action == "create" else cap.REVIEW_TRACING

    def create(self, request, *args, **kwargs):
        form = TracingRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = self._run(
            lambda: services.create_tracing_request(actor=request.user, **form.validated_data)
        )
        return Response(TracingRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Look for candidates again"),
        description=_("Proposes registry records not yet proposed; answers the new ones."),
        request=None,
        responses={200: TracingMatchSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def refresh(self, request, pk=None):
        tracing = self.get_object()
        found = services.refresh_tracing_matches(tracing, actor=request.user)
        visible = TracingMatch.objects.for_user(request.user, "view").filter(
            pk__in=[match.pk for match in found]
        )
        return Response(TracingMatchSerializer(visible, many=True).data)

    @extend_schema(
        summary=_("Close a tracing request"),
        request=TracingCloseSerializer,
        responses={200: TracingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        tracing = self.get_object()
        form = TracingCloseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        closed = services.close_tracing_request(
            tracing, actor=request.user, reason=form.validated_data["reason"]
        )
        return Response(TracingRequestSerializer(closed).data)


class TracingMatchFilterSet(django_filters.FilterSet):
    request = IdFilter(field_name="request_id", label=_("tracing request"))
    role = django_filters.ChoiceFilter(choices=TracingRole.choices)
    status = django_filters.ChoiceFilter(choices=TracingMatchStatus.choices)

    class Meta:
        model = TracingMatch
        fields = ["request", "role", "status"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List tracing candidates"),
        description=_(
            "Proposed children and mothers with the field comparison, best first. Only "
            "candidates the caller may see: never a child of another state for a consul."
        ),
    ),
    retrieve=extend_schema(summary=_("Read one tracing candidate")),
)
class TracingMatchViewSet(_RuleRefusals, AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = TracingMatch.objects.select_related("reviewed_by").order_by(
        "request_id", "role", "-score", "id"
    )
    serializer_class = TracingMatchSerializer
    filterset_class = TracingMatchFilterSet
    list_event = events.TRACING_MATCHES_LISTED
    view_event = events.TRACING_MATCH_VIEWED
    write_permission = cap.REVIEW_TRACING

    @extend_schema(
        summary=_("Confirm or reject a tracing candidate"),
        description=_(
            "Confirming a child may register the relative as a guardian candidate "
            "(`link_guardian`) and open a nationality claim (`open_claim`); each needs its "
            "own grant (403). A decided candidate answers 400."
        ),
        request=TracingMatchDecisionSerializer,
        responses={200: TracingMatchSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        match = self.get_object()
        form = TracingMatchDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decided = self._run(
            lambda: services.decide_tracing_match(match, actor=request.user, **form.validated_data)
        )
        return Response(TracingMatchSerializer(decided).data)


class DuplicateFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DuplicateStatus.choices)

    class Meta:
        model = DuplicateCandidate
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List possible duplicates"),
        description=_("Pairs proposed by `homeward find_duplicates` whose both records you see."),
    ),
    retrieve=extend_schema(summary=_("Read one possible duplicate")),
)
class DuplicateViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = DuplicateCandidate.objects.select_related("reviewed_by").order_by(
        "-score", "proposed_at", "id"
    )
    serializer_class = DuplicateSerializer
    filterset_class = DuplicateFilterSet
    list_event = events.DUPLICATES_LISTED
    view_event = events.DUPLICATE_VIEWED
    write_permission = cap.CHANGE_PERSON

    @extend_schema(
        summary=_("Decide a possible duplicate"),
        request=DuplicateDecisionSerializer,
        responses={200: DuplicateSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        pair = self.get_object()
        form = DuplicateDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decided = self.call(
            services.decide_duplicate, pair, confirmed=form.validated_data["confirmed"]
        )
        return Response(DuplicateSerializer(decided).data)

    @extend_schema(
        summary=_("Merge the two records of a pair"),
        description=_(
            "Keeps every name, document, relationship and history of both; the merged "
            "record then reads with `merged_into` set. Records of cases of different home "
            "states are refused (400)."
        ),
        request=MergeInputSerializer,
        responses={201: MergeRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        pair = self.get_object()
        form = MergeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        survivor, duplicate = (
            (pair.left, pair.right) if data["survivor"] == "left" else (pair.right, pair.left)
        )
        merge = self.call(
            services.merge_people, survivor, duplicate, reason=data["reason"], candidate=pair
        )
        return Response(MergeRecordSerializer(merge).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List merges")),
    retrieve=extend_schema(summary=_("Read one merge")),
)
class MergeViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = MergeRecord.objects.select_related("performed_by", "undone_by").order_by(
        "-performed_at", "id"
    )
    serializer_class = MergeRecordSerializer
    list_event = events.MERGES_LISTED
    view_event = events.MERGE_VIEWED
    write_permission = cap.CHANGE_PERSON

    @extend_schema(
        summary=_("Undo a merge"),
        description=_(
            "Moves back exactly what the merge moved. Refused (400) when a moved row has "
            "changed since or the merge was already undone."
        ),
        request=UnmergeInputSerializer,
        responses={200: MergeRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def unmerge(self, request, pk=None):
        merge = self.get_object()
        form = UnmergeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        undone = self.call(services.unmerge_people, merge, reason=form.validated_data["reason"])
        return Response(MergeRecordSerializer(undone).data)
