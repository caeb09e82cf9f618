"""Judicial cooperation pages under /judicial/."""

from django.urls import path

from homeward.judicial import views

app_name = "judicial"

urlpatterns = [
    path("requests/", views.EvidenceRequestListView.as_view(), name="request_list"),
    path("requests/<uuid:pk>/", views.EvidenceRequestDetailView.as_view(), name="request_detail"),
]
