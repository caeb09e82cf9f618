"""Diplomacy under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from homeward.diplomacy.api.views import (
    ActionItemViewSet,
    EngagementViewSet,
    FocalPointViewSet,
    HomeStateProfileViewSet,
    MeetingPackViewSet,
)

router = SimpleRouter()
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("home-state-profiles", HomeStateProfileViewSet, basename="homestateprofile")
router.register("focal-points", FocalPointViewSet, basename="focalpoint")

urlpatterns = [
    path(
        "home-states/<str:pk>/meeting-pack/",
        MeetingPackViewSet.as_view({"get": "retrieve"}),
        name="meeting-pack",
    ),
    *router.urls,
]
