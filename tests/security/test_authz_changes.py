"""G13: a change of who may see what applies on the very next request of the same session.

Nothing is cached across requests: capabilities and scope are read per request (the user
object is loaded per request), and on PostgreSQL the row-level security scope is set per
request too. So on PostgreSQL these requests run as the application role (the request role
setting), proving that no stale database scope survives either.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.models import Role
from homeward.cases.services import change_case_home_state
from homeward.core.models import HomeState
from homeward.security.roles import APP_ROLE, ensure_app_role
from tests.security.conftest import on_postgres


@pytest.fixture
def second_wall(db, settings):
    """On PostgreSQL every request runs as the application role, under row-level security."""
    if on_postgres():
        ensure_app_role()
        settings.HOMEWARD_DB_REQUEST_ROLE = APP_ROLE
    return settings.HOMEWARD_DB_REQUEST_ROLE


def _views(client, api, child) -> dict:
    """What the user gets for the child's record, the children list and the API list/detail."""
    record = client.get(reverse("people:person_detail", kwargs={"pk": child.pk}))
    listing = client.get(reverse("people:child_list"))
    api_list = api.get(reverse("api:person-list"))
    api_detail = api.get(reverse("api:case-detail", kwargs={"pk": child.case.pk}))
    return {
        "record": record.status_code,
        "listed": listing.status_code == 200 and str(child.pk) in listing.content.decode(),
        "api_listed": api_list.status_code == 200 and str(child.pk) in api_list.content.decode(),
        "api_detail": api_detail.status_code,
        "list_status": listing.status_code,
    }


def _clients(user):
    client = APIClient()  # one session for pages and the API, as in a browser
    client.force_login(user)
    return client, client


def test_changing_a_childs_home_state_hides_it_from_the_old_state_at_once(
    users, registry, second_wall
):
    # given consul.ru and consul.tj, each signed in, and a Russian child
    child = registry["ru_child"]
    ru, tj = _clients(users["consul.ru"]), _clients(users["consul.tj"])
    before_ru, before_tj = _views(*ru, child), _views(*tj, child)
    # when the ministry changes the child's home state to Tajikistan
    change_case_home_state(
        child.case, actor=users["mfa.officer"], home_state=HomeState.objects.get(code="TJ")
    )
    # then consul.ru's very next requests answer 404 and list nothing; consul.tj sees it
    assert before_ru == {
        "record": 200, "listed": True, "api_listed": True, "api_detail": 200, "list_status": 200
    }  # fmt: skip
    assert before_tj["record"] == 404 and not before_tj["listed"]
    assert _views(*ru, child) == {
        "record": 404, "listed": False, "api_listed": False, "api_detail": 404, "list_status": 200
    }  # fmt: skip
    assert _views(*tj, child) == {
        "record": 200, "listed": True, "api_listed": True, "api_detail": 200, "list_status": 200
    }  # fmt: skip


def test_narrowing_a_users_home_states_applies_on_the_next_request(users, registry, second_wall):
    # given a registrar limited to Russia and Tajikistan, signed in
    registrar = users["moj.registrar"]
    registrar.all_home_states = False
    registrar.save(update_fields=["all_home_states"])
    registrar.home_states.set(["RU", "TJ"])
    session = _clients(registrar)
    child = registry["ru_child"]
    before = _views(*session, child)
    # when Russia is taken out of their scope
    registrar.home_states.remove("RU")
    # then the next request for the Russian child is 404 and no list shows it
    assert before == {
        "record": 200, "listed": True, "api_listed": True, "api_detail": 200, "list_status": 200
    }  # fmt: skip
    assert _views(*session, child) == {
        "record": 404, "listed": False, "api_listed": False, "api_detail": 404, "list_status": 200
    }  # fmt: skip


def test_revoking_a_role_applies_on_the_next_request(users, registry, second_wall):
    # given consul.ru signed in, seeing its child
    consul = users["consul.ru"]
    session = _clients(consul)
    child = registry["ru_child"]
    before = _views(*session, child)
    # when its consular role is revoked
    consul.roles.remove(Role.objects.get(code="home_state_consul"))
    # then the next requests are refused (no capability: 403) and nothing of the child shows
    assert before["record"] == 200 and before["listed"] and before["api_listed"]
    assert _views(*session, child) == {
        "record": 403, "listed": False, "api_listed": False, "api_detail": 403, "list_status": 403
    }  # fmt: skip
