"""Judicial cooperation under /api/v1/."""

from rest_framework.routers import SimpleRouter

from homeward.judicial.api.views import EvidenceRequestViewSet

router = SimpleRouter()
router.register("evidence-requests", EvidenceRequestViewSet, basename="evidencerequest")

urlpatterns = router.urls
