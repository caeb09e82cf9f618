"""Releases due on "My desk": the ministry's and a home state's mission, each within its scope."""

import pytest
from django.urls import reverse

from homeward.adults import events
from homeward.adults.queries import desk_releases_due
from homeward.audit.models import AuditEvent
from homeward.people import events as people_events
from tests.adults.conftest import convicted_case, register_mother

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(users, registry):
    """A Russian mother released in 40 days (her child is RU), a Tajik one in 50, and a
    Tajik one in 200 days (beyond the desk's three months)."""
    officer = users["mfa.officer"]
    tj_mother = register_mother(officer, name="زرينة رحيموفا", child=registry["tj_child"])
    later = register_mother(officer, name="نيگينا كريموفا")
    return {
        "ru": convicted_case(officer, registry["ru_mother"], "RU", release_in_days=40),
        "tj": convicted_case(officer, tj_mother, "TJ", release_in_days=50),
        "later": convicted_case(officer, later, "TJ", release_in_days=200),
    }


def _desk(client, user):
    client.force_login(user)
    response = client.get(reverse("workflow:desk"))
    assert response.status_code == 200
    return response


def test_the_ministry_desk_lists_every_release_due_with_the_childrens_cases(
    client, users, registry, due
):
    officer = users["mfa.officer"]
    response = _desk(client, officer)
    rows = response.context["releases_due"]
    assert [row.adult_case for row in rows] == [due["ru"], due["tj"]]
    assert [row.days_left for row in rows] == [40, 50]
    assert [[case.reference for case in row.children] for row in rows] == [
        [registry["ru_child"].case.reference],
        [registry["tj_child"].case.reference],
    ]
    html = response.content.decode()
    assert 'id="releases-due"' in html
    assert due["ru"].reference in html and due["tj"].reference in html
    assert due["later"].reference not in html
    assert registry["ru_child"].case.reference in html
    # the read is audited: the adult cases shown, and the children's cases with the desk's
    listed = AuditEvent.objects.get(event_type=events.RELEASES_DUE_LISTED)
    assert listed.actor == officer
    assert listed.data == {
        "query": {"desk": "1", "months": "3"},
        "ids": [str(due["ru"].pk), str(due["tj"].pk)],
        "total": 2,
    }
    people = AuditEvent.objects.filter(event_type=people_events.PEOPLE_LISTED).latest("seq")
    assert {str(registry["ru_child"].case.pk), str(registry["tj_child"].case.pk)} <= set(
        people.data["ids"]
    )


def test_a_consul_sees_only_its_own_nationals_on_its_desk(client, users, registry, due):
    response = _desk(client, users["consul.ru"])
    assert [row.adult_case for row in response.context["releases_due"]] == [due["ru"]]
    html = response.content.decode()
    assert due["ru"].reference in html
    assert due["tj"].reference not in html
    assert registry["tj_child"].case.reference not in html
    listed = AuditEvent.objects.get(event_type=events.RELEASES_DUE_LISTED)
    assert listed.data["ids"] == [str(due["ru"].pk)]


def test_the_tajik_consul_plans_for_its_mothers_and_their_children(client, users, registry, due):
    rows = desk_releases_due(users["consul.tj"])
    assert [row.adult_case for row in rows] == [due["tj"]]
    assert [case.reference for case in rows[0].children] == [registry["tj_child"].case.reference]


@pytest.mark.parametrize("username", ["moj.registrar", "hjc.judge", "molsa.carer"])
def test_other_agencies_desks_have_no_release_panel(client, users, due, username):
    response = _desk(client, users[username])
    assert response.context["releases_due"] is None
    assert 'id="releases-due"' not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=events.RELEASES_DUE_LISTED).exists()


def test_the_panel_says_when_nothing_is_due(client, users, registry):
    response = _desk(client, users["consul.tj"])
    assert response.context["releases_due"] == []
    assert "No release is expected in this period." in response.content.decode()
