"""Browser tests run on a transactional database, which is flushed after each test.

The flush also removes the reference data a migration loaded (every ISO country as a
HomeState), so the next browser test could not register a child. Reload it before each one.
"""

import pytest

from homeward.core.countries import iso_countries
from homeward.core.models import HomeState
from tests.workflow.conftest import policies, supervisor, world  # noqa: F401  (the workflow's world)


@pytest.fixture(autouse=True)
def iso_home_states(request):
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("transactional_db")
    HomeState.objects.bulk_create(
        [HomeState(code=a2, alpha_3=a3, name=name) for a2, a3, name in iso_countries()],
        ignore_conflicts=True,
    )
