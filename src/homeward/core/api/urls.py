"""The API under /api/v1/: each app's routes, the schema and its docs, in the "api" namespace."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from homeward.core.api.views import DocsView, HomeStateViewSet, SchemaView

app_name = "api"

router = SimpleRouter()
router.register("home-states", HomeStateViewSet, basename="homestate")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("", include("homeward.cases.api.urls")),
    path("", include("homeward.people.api.urls")),
    path("", include("homeward.attachments.api.urls")),
    path("", include("homeward.workflow.api.urls")),
    path("", include("homeward.evidence.api.urls")),
    path("", include("homeward.diplomacy.api.urls")),
    path("", include("homeward.operations.api.urls")),
    path("", include("homeward.exports.api.urls")),
    path("", include("homeward.imports.api.urls")),
    path("", include("homeward.disclosures.api.urls")),
    path("", include("homeward.adults.api.urls")),
    path("", include("homeward.judicial.api.urls")),
    path("", include("homeward.reports.api.urls")),
    path("", include("homeward.matching.api.urls")),
    path("", include("homeward.webhooks.api.urls")),
    path("", include("homeward.audit.api.urls")),
    path("", include("homeward.retention.api.urls")),
    *router.urls,
]
