"""Statistics pages under /reports/."""

from django.urls import path

from homeward.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("public/", views.PublicStatisticsView.as_view(), name="public"),
    path("public/statistics.csv", views.PublicCSVView.as_view(), name="public_csv"),
    path("public/statistics.xlsx", views.PublicXLSXView.as_view(), name="public_xlsx"),
    path("public/statistics.json", views.PublicJSONView.as_view(), name="public_json"),
    path("public/statistics.pdf", views.PublicPDFView.as_view(), name="public_pdf"),
]
