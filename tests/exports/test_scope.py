"""Who sees which export: its requester, and approvers whose scope covers its home states.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.exports.models import ExportRequest
from tests.exports.conftest import request

pytestmark = pytest.mark.django_db

EXPORTS_SCOPED_MODELS = {"exportrequest": ExportRequest}


@pytest.fixture
def exports(users, registry, supervisors):
    return {
        "ru": request(users["consul.ru"]),
        "tj": request(users["consul.tj"]),
        "all": request(users["mfa.officer"]),
        "supervisor": request(supervisors["first"]),
    }


# username -> (exports seen, exports decidable)
EXPECTED = {
    "consul.ru": ({"ru"}, set()),
    "consul.tj": ({"tj"}, set()),
    "mfa.officer": ({"all"}, set()),
    "moj.registrar": (set(), set()),
    "unicef.officer": (set(), set()),
    "auditor": (set(), set()),
    "mfa.supervisor": ({"ru", "tj", "all", "supervisor"}, {"ru", "tj", "all", "supervisor"}),
    "mfa.supervisor.ru": ({"ru"}, {"ru"}),
    "admin": ({"ru", "tj", "all", "supervisor"}, {"ru", "tj", "all", "supervisor"}),
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_user_sees_and_decides_exactly_the_expected_exports(
    users, supervisors, exports, username
):
    # given every user
    everyone = {**users, **{user.username: user for user in supervisors.values()}}
    user = everyone[username]
    names = {export.pk: name for name, export in exports.items()}
    # when exports are narrowed for viewing and for deciding
    seen = {
        names[pk]
        for pk in ExportRequest.objects.for_user(user, "view").values_list("pk", flat=True)
    }
    decidable = {
        names[pk]
        for pk in ExportRequest.objects.for_user(user, "approve").values_list("pk", flat=True)
    }
    # then exactly the expected ones, and counts agree
    assert (seen, decidable) == EXPECTED[username]
    assert ExportRequest.objects.for_user(user, "view").count() == len(EXPECTED[username][0])


def test_nobody_changes_an_export_through_the_scoped_queryset(users, supervisors, exports):
    for user in [*users.values(), *supervisors.values()]:
        if not user.is_superuser:
            assert ExportRequest.objects.for_user(user, "change").count() == 0
