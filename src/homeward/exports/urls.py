"""Export pages under /exports/."""

from django.urls import path

from homeward.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.ExportListView.as_view(), name="list"),
    path("new/", views.ExportCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.ExportDetailView.as_view(), name="detail"),
    path("<uuid:pk>/review/", views.ExportReviewView.as_view(), name="review"),
    path("download/<str:token>/", views.ExportDownloadView.as_view(), name="download"),
]
