"""The audit trail over the API, for auditors: the same rows, scope and grant as its page;
and one person's access history, as the person's Access tab shows it.

Newest first, filterable like the page (event, user, person) and by case; `before_seq` /
`after_seq` bound the sequence numbers, so a reviewer's system can fetch what was appended
since its last read. A long trail is walked with `paginate=cursor`. Reading the trail is
itself audited (`audit.events.listed`, with the sequence numbers shown).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from homeward.accounts import capabilities as cap
from homeward.audit import events
from homeward.audit.models import AuditEvent
from homeward.audit.queries import EVENT_LABELS, event_label, person_access_history
from homeward.audit.services import record_view
from homeward.core.api.views import AuditedListMixin, DenialAuditMixin, ListPagination
from homeward.people import events as people_events
from homeward.people.models import Person
from homeward.security.api import RowScopeAPIMixin

__all__ = [
    "AccessEventSerializer",
    "AuditEventSerializer",
    "AuditEventViewSet",
    "PersonAccessHistoryViewSet",
]


class AuditEventSerializer(serializers.ModelSerializer):
    """One event of the chain, with its label in the reader's language and its links."""

    actor = serializers.CharField(source="actor_username", read_only=True, label=_("by"))
    label = serializers.SerializerMethodField(label=_("event"))
    case = serializers.UUIDField(source="case_id", read_only=True, allow_null=True)
    person = serializers.UUIDField(source="person_id", read_only=True, allow_null=True)
    home_state = serializers.CharField(read_only=True, allow_blank=True, label=_("home state"))

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor",
            "event_type",
            "label",
            "object_type",
            "object_id",
            "case",
            "person",
            "home_state",
            "channel",
            "data",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_label(self, event: AuditEvent) -> str:
        return str(event_label(event.event_type))


class AuditEventFilterSet(django_filters.FilterSet):
    event_type = django_filters.ChoiceFilter(
        label=_("Event"), choices=sorted(EVENT_LABELS.items(), key=lambda choice: choice[0])
    )
    actor = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="iexact", label=_("User name")
    )
    person = django_filters.UUIDFilter(field_name="person_id", label=_("Person id"))
    case = django_filters.UUIDFilter(field_name="case_id", label=_("Case id"))
    after_seq = django_filters.NumberFilter(
        field_name="seq", lookup_expr="gt", label=_("After sequence number")
    )
    before_seq = django_filters.NumberFilter(
        field_name="seq", lookup_expr="lt", label=_("Before sequence number")
    )

    class Meta:
        model = AuditEvent
        fields = ["event_type", "actor", "person", "case", "after_seq", "before_seq"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List audit events"),
        description=_(
            "The audit trail, newest first, within the caller's scope (a scoped auditor sees "
            "only the events of its home states). Needs the audit grant. Each read is itself "
            "audited."
        ),
        tags=["audit"],
    )
)
class AuditEventViewSet(
    AuditedListMixin, RowScopeAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """A list only: an event is read in its list (there is nothing more to one event)."""

    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission = cap.VIEW_AUDIT
    cursor_ordering = ("-seq",)
    list_event = events.EVENTS_LISTED

    def get_queryset(self):
        return self.queryset.for_user(self.request.user, "view").order_by("-seq")

    def audited_id(self, event):
        """Audit events are named by their sequence numbers."""
        return event.seq


class AccessEventSerializer(serializers.ModelSerializer):
    """One row of a person's access history: who, when, what and through which channel.

    As on the page, never the event's `data` (it can name a relative the reader may not
    see); the whole event is on /audit-events/ for whoever may read the trail."""

    actor = serializers.CharField(source="actor_username", read_only=True, label=_("by"))
    label = serializers.SerializerMethodField(label=_("event"))

    class Meta:
        model = AuditEvent
        fields = ["seq", "occurred_at", "actor", "event_type", "label", "channel"]
        read_only_fields = fields

    def get_label(self, event: AuditEvent) -> str:
        return str(event_label(event.event_type))


@extend_schema_view(
    list=extend_schema(
        summary=_("A person's access history"),
        description=_(
            "Everyone who opened, listed or changed this person's record, newest first, as "
            "the record's Access tab shows it: within the caller's audit scope, without the "
            "events' data. Needs the audit grant; a person outside the caller's scope is a "
            "404. Walk a long history with `paginate=cursor`. Each read is itself audited "
            "(`people.access_history.viewed`)."
        ),
        tags=["audit"],
    )
)
class PersonAccessHistoryViewSet(
    DenialAuditMixin, RowScopeAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The Access tab of a person's record (audit.views.AccessHistoryView) over the API.

    The person is found through the scoped Person queryset (404 out of scope, the probe
    recorded); the rows come from `audit.queries.person_access_history`, as on the page.
    """

    queryset = Person.objects.all()
    serializer_class = AccessEventSerializer
    permission = cap.VIEW_AUDIT
    pagination_class = ListPagination
    cursor_ordering = ("-seq",)

    def get_queryset(self):
        return self.queryset.for_user(self.request.user, "view")

    def list(self, request, *args, **kwargs):
        person = self.get_object()
        page = self.paginate_queryset(person_access_history(person, request.user))
        data = self.get_serializer(page, many=True).data
        record_view(people_events.ACCESS_HISTORY_VIEWED, actor=request.user, target=person)
        return self.get_paginated_response(data)
