"""Test-only routes: the project's URLs plus probes that deliberately skip ORM scoping (G11).

Used through `@pytest.mark.urls("tests.security.urls")`; never part of the product, so the
scope matrix and the authorization matrix (which read the product's URLconf) do not see them.
"""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.cases.models import Case
from homeward.people.models import Person
from homeward.security.api import RowScopeAPIMixin


def _everything() -> dict:
    """What an unscoped query returns: the bug row-level security exists to contain."""
    return {
        "case_states": sorted(Case.objects.all().values_list("home_state_id", flat=True)),
        "people": Person.objects.all().count(),
    }


def unscoped_page(request):
    return JsonResponse(_everything())


class UnscopedApi(RowScopeAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response(_everything())


urlpatterns = [
    path("rls-probe/page/", unscoped_page),
    path("rls-probe/api/", UnscopedApi.as_view()),
    path("", include("homeward.config.urls")),
]
