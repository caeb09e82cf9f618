"""Adult cases under /api/v1/, and a juvenile's completed sentence on the child's case."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from homeward.adults.api.views import (
    AdultCaseViewSet,
    ConsularVisitViewSet,
    JuvenileSentenceCompletedView,
)

router = SimpleRouter()
router.register("adult-cases", AdultCaseViewSet, basename="adultcase")
router.register("consular-visits", ConsularVisitViewSet, basename="consularvisit")

urlpatterns = [
    *router.urls,
    path(
        "cases/<uuid:case_pk>/sentence-completed/",
        JuvenileSentenceCompletedView.as_view({"post": "create"}),
        name="case-sentence-completed",
    ),
]
