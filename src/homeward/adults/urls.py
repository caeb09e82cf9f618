"""Adult cases pages under /adults/."""

from django.urls import path

from homeward.adults import views

app_name = "adults"

urlpatterns = [
    path("", views.AdultCaseListView.as_view(), name="adult_case_list"),
    path("<uuid:pk>/", views.AdultCaseDetailView.as_view(), name="adult_case_detail"),
]
