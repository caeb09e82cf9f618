"""Diplomacy under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.diplomacy.api.views import (
    ActionItemViewSet,
    EngagementViewSet,
    FocalPointViewSet,
    HomeStateProfileViewSet,
)

router = SimpleRouter()
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("home-state-profiles", HomeStateProfileViewSet, basename="homestateprofile")
router.register("focal-points", FocalPointViewSet, basename="focalpoint")

urlpatterns = router.urls
