"""Judicial cooperation pages under /judicial/."""

from django.urls import path

from homeward.judicial import views

app_name = "judicial"

urlpatterns = [
    path("requests/", views.EvidenceRequestListView.as_view(), name="request_list"),
    path("requests/new/", views.EvidenceRequestCreateView.as_view(), name="request_create"),
    path("requests/<uuid:pk>/", views.EvidenceRequestDetailView.as_view(), name="request_detail"),
    path("requests/<uuid:pk>/forward/", views.ForwardView.as_view(), name="request_forward"),
    path("requests/<uuid:pk>/decide/", views.DecisionView.as_view(), name="request_decide"),
    path(
        "requests/<uuid:pk>/send/",
        views.TransmissionCreateView.as_view(),
        name="transmission_create",
    ),
    path(
        "sent/<uuid:pk>/decide/",
        views.TransmissionDecisionView.as_view(),
        name="transmission_decide",
    ),
]
