from django.urls import path

from homeward.retention import views

app_name = "retention"

urlpatterns = [
    path("cases/<uuid:pk>/holds/", views.CaseHoldsView.as_view(), name="case_holds"),
    path("holds/<uuid:pk>/release/", views.ReleaseHoldView.as_view(), name="hold_release"),
]
