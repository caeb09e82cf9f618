"""Legal holds under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.retention.api.views import LegalHoldViewSet

router = SimpleRouter()
router.register("legal-holds", LegalHoldViewSet, basename="legalhold")

urlpatterns = router.urls
