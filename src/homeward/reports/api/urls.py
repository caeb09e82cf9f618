"""Statistics under /api/v1/stats/ (names in the "api" namespace of core.api.urls)."""

from django.urls import path

from homeward.reports.api.views import FIGURE_VIEWS, PublicStatisticsView

urlpatterns = [
    path("stats/public/", PublicStatisticsView.as_view(), name="stats-public"),
    *(
        path(
            f"stats/{name.replace('_', '-')}/",
            view.as_view(),
            name=f"stats-{name.replace('_', '-')}",
        )
        for name, view in FIGURE_VIEWS.items()
    ),
]
