"""Imports under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from homeward.imports.api.views import (
    ImportBatchViewSet,
    ImportOriginalView,
    ImportRowsView,
    ImportTemplateView,
)

router = SimpleRouter()
router.register("imports", ImportBatchViewSet, basename="importbatch")

urlpatterns = [
    path("imports/template/", ImportTemplateView.as_view(), name="importbatch-template"),
    path("imports/<uuid:pk>/rows/", ImportRowsView.as_view(), name="importbatch-rows"),
    path("imports/<uuid:pk>/original/", ImportOriginalView.as_view(), name="importbatch-original"),
    *router.urls,
]
