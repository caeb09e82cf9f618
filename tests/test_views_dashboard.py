"""The dashboard counts only what the viewer may see, and every viewing is audited."""

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.cases import events
from homeward.cases.models import Case
from homeward.cases.queries import dashboard_figures

pytestmark = pytest.mark.django_db


def nationality_table(figures) -> dict:
    return {row.home_state.code: (row.cells, row.total) for row in figures.by_nationality}


def headline(figures) -> dict:
    return {
        "total": figures.total,
        "in_custody": figures.in_custody,
        "unaccompanied": figures.unaccompanied,
        "mother_sentenced": figures.mother_sentenced,
        "returned": figures.returned,
    }


@pytest.fixture
def spread(registry, users, orphanage):
    """The shared registry plus an unaccompanied Tajik orphan and a returned Russian child."""
    from tests.conftest import register

    officer = users["mfa.officer"]
    orphan = register(
        officer, name="عمر رحيموف", state="TJ", facility=orphanage, sex="male", unaccompanied=True
    )
    Case.objects.filter(child=registry["ru_brother"]).update(status="HANDED_OVER")
    Case.objects.filter(child=registry["tj_child"]).update(status="CLEARANCE")
    return {**registry, "tj_orphan": orphan}


def test_dashboard_opens_for_an_officer_and_is_audited(client, users, registry):
    # given
    client.force_login(users["mfa.officer"])
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert response.status_code == 200
    event = AuditEvent.objects.get(seq__gt=since)
    assert (event.event_type, event.actor_username) == (events.DASHBOARD_VIEWED, "mfa.officer")


def test_dashboard_needs_sign_in(client):
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert (response.status_code, response.url) == (302, redirect_to_login("/").url)


def test_officer_sees_every_state(users, spread):
    # when
    figures = dashboard_figures(users["mfa.officer"])
    # then
    assert headline(figures) == {
        "total": 4,
        "in_custody": 3,
        "unaccompanied": 1,
        "mother_sentenced": 1,
        "returned": 1,
    }
    assert nationality_table(figures) == {"RU": ([1, 0, 0, 0], 1), "TJ": ([1, 0, 1, 0], 2)}
    assert figures.by_status == [
        ("REGISTERED", "Registered", 2),
        ("CLEARANCE", "Clearance", 1),
        ("HANDED_OVER", "Handed over", 1),
    ]


def test_consul_sees_only_own_nationals_counts(client, users, spread):
    # given
    client.force_login(users["consul.ru"])
    # when
    response = client.get(reverse("dashboard"))
    # then
    figures = response.context["figures"]
    assert headline(figures) == {
        "total": 2,
        "in_custody": 1,
        "unaccompanied": 0,
        "mother_sentenced": 1,
        "returned": 1,
    }
    assert nationality_table(figures) == {"RU": ([1, 0, 0, 0], 1)}
    assert figures.by_status == [("REGISTERED", "Registered", 1), ("HANDED_OVER", "Handed over", 1)]
    html = response.content.decode()
    assert ("Tajikistan" in html, "home_state=TJ" in html, "Clearance" in html) == (
        False,
        False,
        False,
    )


def test_tajik_consul_sees_only_tajik_counts(users, spread):
    # when
    figures = dashboard_figures(users["consul.tj"])
    # then
    assert headline(figures) == {
        "total": 2,
        "in_custody": 2,
        "unaccompanied": 1,
        "mother_sentenced": 0,
        "returned": 0,
    }
    assert nationality_table(figures) == {"TJ": ([1, 0, 1, 0], 2)}


def test_dashboard_links_list_exactly_the_counted_children(client, users, spread):
    # given
    client.force_login(users["mfa.officer"])
    children = reverse("people:child_list")
    # when
    in_custody = client.get(children, {"stage": "in_custody"}).context["total"]
    unaccompanied = client.get(children, {"stage": "in_custody", "unaccompanied": "true"}).context[
        "total"
    ]
    sentenced = client.get(children, {"stage": "in_custody", "mother_sentenced": "true"}).context[
        "total"
    ]
    returned = client.get(children, {"stage": "returned"}).context["total"]
    tajik = client.get(children, {"stage": "in_custody", "home_state": "TJ"}).context["total"]
    # then
    assert (in_custody, unaccompanied, sentenced, returned, tajik) == (3, 1, 1, 1, 2)


def test_dashboard_with_nothing_in_scope_shows_zeros(client, users):
    # given
    client.force_login(users["consul.tj"])
    # when
    response = client.get(reverse("dashboard"))
    # then
    assert headline(response.context["figures"]) == {
        "total": 0,
        "in_custody": 0,
        "unaccompanied": 0,
        "mother_sentenced": 0,
        "returned": 0,
    }
    assert "No child in custody is recorded" in response.content.decode()
