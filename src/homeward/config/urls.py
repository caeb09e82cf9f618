from django.urls import path

from homeward.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
