from django.urls import path

from homeward.cases.views import DashboardView

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
]
