"""Adult cases under /api/v1/."""

from rest_framework.routers import SimpleRouter

from homeward.adults.api.views import AdultCaseViewSet, ConsularVisitViewSet

router = SimpleRouter()
router.register("adult-cases", AdultCaseViewSet, basename="adultcase")
router.register("consular-visits", ConsularVisitViewSet, basename="consularvisit")

urlpatterns = router.urls
