"""The project's routes plus one that always fails, to see the 500 page as a user would."""

from django.urls import path

from homeward.config.urls import urlpatterns as project_urlpatterns

SECRET_IN_ERROR = "CNRY-TRACEBACK-Хадижа-7731"


def explode(request):
    raise RuntimeError(f"failed while reading {SECRET_IN_ERROR}")


urlpatterns = [path("boom/", explode, name="boom"), *project_urlpatterns]
