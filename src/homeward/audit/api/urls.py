"""Audit routes under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.audit.api.views import AuditEventViewSet

router = SimpleRouter()
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = router.urls
