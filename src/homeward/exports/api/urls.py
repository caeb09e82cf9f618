"""Exports under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.exports.api.views import ExportRequestViewSet

router = SimpleRouter()
router.register("exports", ExportRequestViewSet, basename="exportrequest")

urlpatterns = router.urls
