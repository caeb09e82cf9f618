"""Adult cases pages under /adults/."""

from django.urls import path

from homeward.adults import views

app_name = "adults"

urlpatterns = [
    path("", views.AdultCaseListView.as_view(), name="adult_case_list"),
    path("new/", views.AdultCaseCreateView.as_view(), name="adult_case_create"),
    path("<uuid:pk>/", views.AdultCaseDetailView.as_view(), name="adult_case_detail"),
    path("<uuid:pk>/legal-status/", views.LegalStatusView.as_view(), name="legal_status"),
    path("<uuid:pk>/return-step/", views.ReturnStepView.as_view(), name="return_step"),
    path("<uuid:pk>/route-home/", views.RouteHomeView.as_view(), name="route_home"),
    path("<uuid:pk>/visits/new/", views.ConsularVisitCreateView.as_view(), name="visit_create"),
]
