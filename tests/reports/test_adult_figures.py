"""Issue 10's figures on the statistics dashboard: adults and requests for evidence, scoped."""

import pytest
from django.urls import reverse

from tests.adults.conftest import adults, days_ahead  # noqa: F401  (the fixture)
from tests.judicial.conftest import granted_request

pytestmark = pytest.mark.django_db


def _figures(client, user, **query):
    client.force_login(user)
    context = client.get(reverse("reports:dashboard"), query).context
    return (
        context.get("adults_pending"),
        [(month, n) for month, n in context.get("releases_by_month") or [] if n],
        [
            (f.home_state, f.pending, f.answered, f.granted, f.refused, f.median_days_to_answer)
            for f in context.get("evidence_requests") or []
        ],
    )


def test_the_officer_sees_adults_releases_and_requests_of_every_state(client, users, adults):  # noqa: F811
    # given a Russian and a Tajik mother serving sentences and a granted Russian request
    granted_request(users, adults["ru"])
    ru_month, tj_month = days_ahead(40).strftime("%Y-%m"), days_ahead(200).strftime("%Y-%m")
    # then the officer's dashboard counts both mothers, both releases and the request
    pending, releases, requests = _figures(client, users["mfa.officer"])
    assert pending == [("RU", "convicted", 1), ("TJ", "convicted", 1)]
    assert sorted(releases) == sorted(
        [(ru_month, 1), (tj_month, 1)] if ru_month != tj_month else [(ru_month, 2)]
    )
    assert requests == [("RU", 0, 1, 1, 0, 20)]
    # and narrowed to Tajikistan, only the Tajik mother
    pending, releases, requests = _figures(client, users["mfa.officer"], home_state="TJ")
    assert (pending, releases, requests) == ([("TJ", "convicted", 1)], [(tj_month, 1)], [])


def test_a_consul_sees_only_their_own_nationals_and_requests(client, users, adults):  # noqa: F811
    granted_request(users, adults["ru"])
    pending, releases, requests = _figures(client, users["consul.tj"])
    assert pending == [("TJ", "convicted", 1)]
    assert releases == [(days_ahead(200).strftime("%Y-%m"), 1)]
    assert requests == []
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-figure="adults-pending"' in page


def test_the_sections_are_left_out_for_who_may_not_see_them(client, users, adults):  # noqa: F811
    client.force_login(users["unicef.officer"])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "adults_pending" not in response.context
    assert 'data-figure="evidence-requests"' not in response.content.decode()
