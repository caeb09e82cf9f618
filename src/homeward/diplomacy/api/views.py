"""Diplomacy over the API: scoped, audited reads (writes go through the pages for now).

Linked cases are listed by reference only; a case is linked only to an engagement of its
own home state, so a caller who sees the engagement may see those references.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from homeward.core.api.views import AuditedReadMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.diplomacy import events
from homeward.diplomacy.api.serializers import (
    ActionItemSerializer,
    EngagementSerializer,
    HomeStateProfileSerializer,
)
from homeward.diplomacy.models import ActionItem, Engagement, HomeStateProfile


@extend_schema_view(
    list=extend_schema(
        summary=_("List home-state profiles"),
        description=_("Profiles of the home states in the caller's scope."),
    ),
    retrieve=extend_schema(
        summary=_("Read one home-state profile"), description=_("By ISO alpha-2 code, e.g. RU.")
    ),
)
class HomeStateProfileViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = HomeStateProfile.objects.prefetch_related("focal_points").order_by("home_state")
    serializer_class = HomeStateProfileSerializer
    list_event = events.PROFILES_LISTED
    view_event = events.PROFILE_VIEWED


@extend_schema_view(
    list=extend_schema(
        summary=_("List engagements"),
        description=_("Notes verbales, meetings and visits with the home states in scope."),
    ),
    retrieve=extend_schema(summary=_("Read one engagement")),
)
class EngagementViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = Engagement.objects.prefetch_related(
        "cases", Prefetch("replies", queryset=Engagement.objects.only("id", "in_reply_to"))
    ).order_by("-date", "-created_at")
    serializer_class = EngagementSerializer
    list_event = events.ENGAGEMENTS_LISTED
    view_event = events.ENGAGEMENT_VIEWED


@extend_schema_view(
    list=extend_schema(
        summary=_("List action items"),
        description=_("Action items agreed with the home states in scope, earliest due first."),
    ),
    retrieve=extend_schema(summary=_("Read one action item")),
)
class ActionItemViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = (
        ActionItem.objects.select_related("engagement", "owner_agency", "owner_user")
        .prefetch_related("cases")
        .order_by("due", "created_at")
    )
    serializer_class = ActionItemSerializer
    list_event = events.ACTION_ITEMS_LISTED
    view_event = events.ACTION_ITEM_VIEWED
