"""People and facilities over the API: thin, scoped, audited reads.

Scope comes from ScopedReadOnlyViewSet (a person outside the caller's home states is not
in the queryset, so it is a 404 like a missing one); the read audit and the denial audit
come from core.api.views, exactly as on the pages.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from homeward.audit.services import record_list, without_names
from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.api.views import ApiPagination, AuditedReadMixin, DenialAuditMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.people import events, services
from homeward.people.api.serializers import (
    FacilitySerializer,
    PersonDetailSerializer,
    PersonSerializer,
    RevealedNameSerializer,
    RevealNameInput,
)
from homeward.people.api.writes import WRITE_ACTIONS, PersonWritesMixin
from homeward.people.choices import PersonKind
from homeward.people.filtersets import ChildFilterSet
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName

__all__ = [
    "FacilityViewSet",
    "PersonFilterSet",
    "PersonListFilterSet",
    "PersonSearchSerializer",
    "PersonViewSet",
]

# Actions that read by POST: the read capability is the one they need.
READS_BY_POST = ("search", "reveal_name")

# Query-string parameters that would carry a name: refused on GET (G22), see `search`.
NAME_TERMS = ("q", "search", "name")


class PersonFilterSet(ChildFilterSet):
    """The children list's filters, plus `kind`, over children and adults alike.

    Case filters (home state, status) and the current-facility filter only match children,
    since adults have no case and no custody episode of their own.
    """

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PersonKind.choices)

    class Meta(ChildFilterSet.Meta):
        fields = [*ChildFilterSet.Meta.fields, "kind"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_facility(self, queryset, name, value):
        # Same filter; the annotation only tells the schema that a facility is given by its id.
        return super().filter_facility(queryset, name, value)


class PersonListFilterSet(PersonFilterSet):
    """The filters a GET may carry: all but the name search, which goes by POST."""

    class Meta(PersonFilterSet.Meta):
        fields = [name for name in PersonFilterSet.Meta.fields if name not in NAME_TERMS]


del PersonListFilterSet.base_filters["q"]


class PersonSearchSerializer(StrictInputSerializer):
    """The body of a name search. Other filters go in the query string, as for the list."""

    q = serializers.CharField(
        max_length=100, label=_("Name (any script) or case reference"), trim_whitespace=True
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List people"),
        description=_(
            "Children and adults the caller may see, oldest record first. A home-state user sees "
            "only its own nationals and the adults linked to them; `count` counts only those."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one person"),
        description=_(
            "Biodata, names, relationships and custody history. Relatives and companions the "
            "caller may not see are left out. A person outside the caller's scope is a 404. "
            "A record merged into another is still answered, with `merged_into` set."
        ),
    ),
)
class PersonViewSet(PersonWritesMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Every read is audited (PERSON_VIEWED, PEOPLE_LISTED), as the person pages are; the
    writes are the registry pages' use cases (people.api.writes)."""

    queryset = (
        Person.objects.select_related("case")
        .prefetch_related(
            Prefetch("names", queryset=PersonName.objects.order_by("-is_primary", "created_at")),
            Prefetch(
                "custody_episodes",
                queryset=CustodyEpisode.objects.filter(ended_on__isnull=True).select_related(
                    "facility"
                ),
                to_attr="open_episodes",
            ),
        )
        .order_by("created_at", "id")
    )
    filterset_class = PersonListFilterSet
    cursor_ordering = ("created_at", "id")
    # Reads by POST store no answer to replay: each reveal is done, and audited, again.
    idempotency_exempt_actions = READS_BY_POST
    list_event = events.PEOPLE_LISTED
    view_event = events.PERSON_VIEWED
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action in WRITE_ACTIONS and self.action != "create":
            return self.writing_queryset()
        # A merged-away record is still read by its id, with `merged_into` naming the kept
        # one (lists and searches never show it).
        if self.action == "retrieve":
            return self.queryset.for_user(self.request.user, self.action_name, include_merged=True)
        return super().get_queryset()

    @property
    def write_permission(self) -> str | None:
        # The name search and a name's reveal are reads that travel by POST (they are
        # audited, so no link may trigger them): they need what the reads need.
        if self.action in READS_BY_POST:
            return self.permission
        return WRITE_ACTIONS.get(self.action)

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def list(self, request, *args, **kwargs):
        named = sorted(set(NAME_TERMS) & set(request.query_params))
        if named:
            message = _("Names are not accepted in a URL. POST the search to people/search/.")
            raise ValidationError({key: [message] for key in named})
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Search people by name"),
        description=_(
            "A name search, by POST so that the name stays out of URLs and access logs. The "
            "body holds `q` (a name in any script, or a case reference); the list's other "
            "filters may be given in the query string. Rows are masked as in the list."
        ),
        request=PersonSearchSerializer,
        responses=PersonSerializer(many=True),
        filters=True,
    )
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request):
        body = PersonSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = request.query_params.copy()
        data["q"] = body.validated_data["q"]
        filterset = PersonFilterSet(data, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        rows = self.get_serializer(page, many=True).data
        record_list(
            self.list_event,
            actor=request.user,
            ids=[person.pk for person in page],
            query=without_names({**request.query_params.dict(), "q": data["q"]}, ["q"]),
            total=self.paginator.total(),
        )
        return self.get_paginated_response(rows)

    @extend_schema(
        summary=_("Reveal a person's full name"),
        description=_(
            "A list row's Reveal: the full name of one person whom lists show masked, with the "
            "same name in other scripts. It is an audited read "
            "(`people.person.name_revealed`), so it travels by POST and takes no body. A "
            "person outside the caller's scope is a 404."
        ),
        request=RevealNameInput,
        responses={200: RevealedNameSerializer},
    )
    @action(detail=True, methods=["post"], url_path="reveal-name")
    def reveal_name(self, request, pk=None):
        person = self.get_object()
        self.given(RevealNameInput)
        names = self.call(services.reveal_name, person)
        body = {
            "id": person.pk,
            "name": names[0].full_text if names else None,
            "other_names": names[1:],
        }
        return Response(RevealedNameSerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List facilities"),
        description=_("Prisons, reform facilities, orphanages, camps and hospitals."),
    ),
    retrieve=extend_schema(summary=_("Read one facility")),
)
class FacilityViewSet(DenialAuditMixin, ScopedReadOnlyViewSet):
    """Reference data, not personal data: capability-checked, not read-audited."""

    queryset = Facility.objects.all()
    serializer_class = FacilitySerializer
    pagination_class = ApiPagination
