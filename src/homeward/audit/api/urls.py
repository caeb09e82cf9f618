"""Audit routes under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from homeward.audit.api.views import AuditEventViewSet, PersonAccessHistoryViewSet

router = SimpleRouter()
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path(
        "people/<uuid:pk>/access/",
        PersonAccessHistoryViewSet.as_view({"get": "list"}),
        name="person-access-history",
    ),
    *router.urls,
]
