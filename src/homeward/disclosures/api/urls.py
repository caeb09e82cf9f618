"""The disclosure log under /api/v1/ ("api" namespace)."""

from rest_framework.routers import SimpleRouter

from homeward.disclosures.api.views import DisclosureViewSet

router = SimpleRouter()
router.register("disclosures", DisclosureViewSet, basename="disclosure")

urlpatterns = router.urls
