"""Return operations under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.operations.api.views import (
    ArrivalViewSet,
    FollowUpReportViewSet,
    ManifestEntryViewSet,
    OperationViewSet,
)

router = SimpleRouter()
router.register("operations", OperationViewSet, basename="operation")
router.register("manifest-entries", ManifestEntryViewSet, basename="manifestentry")
router.register("arrivals", ArrivalViewSet, basename="arrival")
router.register("follow-up-reports", FollowUpReportViewSet, basename="followupreport")

urlpatterns = router.urls
