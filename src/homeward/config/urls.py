"""URL map: each app owns its pages (`<app>/urls.py`) and its API (`<app>/api/urls.py`)."""

from django.urls import include, path

from homeward.core.views import healthz

# a JSON 404 under /api/ (schema conformance, issue 8)
handler400 = "homeward.core.api.views.bad_request"
handler404 = "homeward.core.api.views.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("homeward.core.api.urls")),
    path("", include("homeward.accounts.urls")),
    path("", include("homeward.cases.urls")),
    path("people/", include("homeward.people.urls")),
    path("audit/", include("homeward.audit.urls")),
    path("workflow/", include("homeward.workflow.urls")),
    path("evidence/", include("homeward.evidence.urls")),
    path("attachments/", include("homeward.attachments.urls")),
    path("matching/", include("homeward.matching.urls")),
    path("diplomacy/", include("homeward.diplomacy.urls")),
    path("exports/", include("homeward.exports.urls")),
    path("retention/", include("homeward.retention.urls")),
    path("imports/", include("homeward.imports.urls")),
    path("adults/", include("homeward.adults.urls")),
    path("judicial/", include("homeward.judicial.urls")),
    path("operations/", include("homeward.operations.urls")),
    path("reports/", include("homeward.reports.urls")),
]
