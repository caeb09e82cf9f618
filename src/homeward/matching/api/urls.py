"""Identity resolution under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.matching.api.views import (
    DuplicateViewSet,
    MergeViewSet,
    TracingMatchViewSet,
    TracingRequestViewSet,
)

router = SimpleRouter()
router.register("tracing-requests", TracingRequestViewSet, basename="tracingrequest")
router.register("tracing-matches", TracingMatchViewSet, basename="tracingmatch")
router.register("duplicates", DuplicateViewSet, basename="duplicatecandidate")
router.register("merges", MergeViewSet, basename="mergerecord")

urlpatterns = router.urls
