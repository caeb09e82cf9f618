"""Cases over the API: thin, scoped, audited reads.

Scope comes from ScopedReadOnlyViewSet (a case of another home state is not in the
queryset, so it is a 404 like a missing one); the read and denial audit from core.api.views.
"""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.accounts.models import User
from homeward.accounts.services import record_denial
from homeward.cases import events
from homeward.cases.api.serializers import CaseListSerializer, CaseSerializer
from homeward.cases.casefile import case_file
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.core.api.filters import StrictFilterBackend
from homeward.core.api.preconditions import etag_for
from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.models import HomeState
from homeward.core.scoping import home_state_scope
from homeward.disclosures.choices import DataCategory, LegalBasis
from homeward.disclosures.services import record_case_file_export
from homeward.people.models import PersonName

__all__ = ["CaseFilterSet", "CaseViewSet"]


class CaseFilterSet(django_filters.FilterSet):
    """Filter cases by home state and status.

    The home-state choices are narrowed to the caller's scope, so asking a consul's token
    for another state's cases is an invalid choice (400), the same answer as for a code
    that is no country at all: it neither lists nor counts anything.
    """

    home_state = django_filters.ModelChoiceFilter(
        label=_("Home state"), queryset=HomeState.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Case status"), choices=CaseStatus.choices)

    class Meta:
        model = Case
        fields = ["home_state", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = home_state_scope(getattr(self.request, "user", None))
        states = HomeState.objects.all()
        self.filters["home_state"].queryset = (
            states if scope is None else states.filter(code__in=scope)
        )


class CaseFileInput(StrictInputSerializer):
    purpose = serializers.CharField(min_length=10, max_length=2000, label=_("Purpose"))
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, label=_("Legal basis"))
    approved_by = serializers.CharField(
        max_length=150,
        label=_("Approved by"),
        help_text=_("The username of who approved taking the file out (never the requester)."),
    )


# section of the file -> category of the disclosure log
FILE_CATEGORIES = {
    "child": DataCategory.IDENTITY,
    "history": DataCategory.CASE,
    "nationality_claims": DataCategory.NATIONALITY,
    "nationality_determinations": DataCategory.NATIONALITY,
    "dna_samples": DataCategory.DNA,
    "dna_comparisons": DataCategory.DNA,
    "consents": DataCategory.FAMILY,
    "guardians": DataCategory.FAMILY,
    "assurances": DataCategory.CASE,
    "best_interests_assessments": DataCategory.CASE,
    "clearances": DataCategory.LEGAL,
    "travel_documents": DataCategory.IDENTITY,
    "exit_authorizations": DataCategory.LEGAL,
    "incidents": DataCategory.HEALTH,
    "documents": DataCategory.CASE,
    "disclosures": DataCategory.CASE,
}


@extend_schema_view(
    list=extend_schema(
        summary=_("List cases"),
        description=_(
            "Cases the caller may see, by reference. A home-state user sees only its own "
            "nationals' cases; `count` counts only those."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one case"),
        description=_(
            "A case and its child's names. A case outside the caller's scope is a 404. The "
            "ETag header is the case's version: send it back in If-Match to change the case."
        ),
    ),
)
class CaseViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    """Every read is audited (CASE_VIEWED, CASES_LISTED), as the case pages are."""

    queryset = Case.objects.select_related("child", "owner").prefetch_related(
        Prefetch("child__names", queryset=PersonName.objects.order_by("-is_primary", "created_at"))
    )
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    filter_backends = [StrictFilterBackend, OrderingFilter]
    ordering_fields = ["reference"]
    ordering = ["reference"]
    cursor_ordering = ("reference",)
    list_event = events.CASES_LISTED
    view_event = events.CASE_VIEWED
    write_permission = cap.EXPORT_CASE_FILE  # the only write: taking the file out
    idempotency_exempt_actions = ("file",)  # a copy of the file is not stored to replay

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data["version"])
        return response

    @extend_schema(
        summary=_("Export a case's file as JSON"),
        description=_(
            "Everything about the case that the caller may see (the same scope, grants and "
            "sealing as the API; sections the caller has no grant for are listed in "
            "`omitted`), for a transfer of the child's file. Recorded in the disclosure log "
            "as a disclosure to the caller's agency, approved by `approved_by`; the "
            "disclosure's id is in the Homeward-Disclosure header."
        ),
        request=CaseFileInput,
        responses={200: OpenApiTypes.OBJECT},
        tags=["cases"],
    )
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request, pk=None):
        case = self.get_object()
        given = CaseFileInput(data=request.data)
        given.is_valid(raise_exception=True)
        approver = User.objects.filter(username=given.validated_data["approved_by"]).first()
        document = case_file(request, case)
        present = [name for name in FILE_CATEGORIES if document.get(name)]
        try:
            disclosure = record_case_file_export(
                case,
                actor=request.user,
                approved_by=approver,
                purpose=given.validated_data["purpose"],
                legal_basis=given.validated_data["legal_basis"],
                categories={FILE_CATEGORIES[name] for name in present} | {DataCategory.CASE},
                sections=present,
            )
        except DjangoPermissionDenied as exc:
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="capability"
            )
            raise exceptions.PermissionDenied() from exc
        document["disclosure"] = str(disclosure.pk)
        return Response(document, headers={"Homeward-Disclosure": str(disclosure.pk)})
