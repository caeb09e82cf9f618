"""People and facilities under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.people.api.views import FacilityViewSet, PersonViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("facilities", FacilityViewSet, basename="facility")

urlpatterns = router.urls
