"""Documents under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from homeward.attachments.api.views import AttachmentDownloadViewSet, AttachmentViewSet

router = SimpleRouter()
router.register("attachments", AttachmentViewSet, basename="attachment")

urlpatterns = [
    path(
        "attachments/<uuid:pk>/download/",
        AttachmentDownloadViewSet.as_view({"get": "retrieve"}),
        name="attachment-download",
    ),
    *router.urls,
]
