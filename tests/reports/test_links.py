"""Every count on the dashboard links to the children behind it, and the list holds exactly
those children (issue 6, deliverable 4)."""

import datetime
import html
import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.people import events as people_events
from tests.conftest import register

LINK = re.compile(r'<a href="([^"]+)" data-behind="([^"]+)">(?:<span[^>]*>)?(\d+)<')


def _links(client):
    body = client.get(reverse("reports:dashboard")).content.decode()
    return [(html.unescape(href), figure, int(n)) for href, figure, n in LINK.findall(body)]


def _children(client, href):
    response = client.get(href)
    assert response.status_code == 200
    return response.context["total"], {person.pk for person, _episode in response.context["rows"]}


def _nine_in_ten_days(users):
    """A Russian child who turns 9 in ten days (the page counts from today)."""
    soon = timezone.localdate() + datetime.timedelta(days=10)
    return register(
        users["mfa.officer"], name="ليلى", state="RU", born=soon.replace(year=soon.year - 9)
    )


def test_every_count_links_to_as_many_children(client, users, world):
    _nine_in_ten_days(users)
    client.force_login(users["mfa.officer"])
    links = _links(client)
    figures = {figure for _href, figure, _n in links}
    assert figures == {
        "returned", "pending", "blocker", "limbo", "cycle", "turning", "juveniles", "mothers",
        "dna", "follow_up",
    }  # fmt: skip
    # in this world every counted record (sample, report, stay) is a different child
    for href, figure, n in links:
        total, _ids = _children(client, href)
        assert total == n, (figure, href)


def _link(client, figure, *fragments, without=()):
    return next(
        href
        for href, name, _n in _links(client)
        if name == figure
        and all(fragment in href for fragment in fragments)
        and not any(fragment in href for fragment in without)
    )


def test_links_resolve_to_exactly_the_counted_children(client, users, world, registry):
    client.force_login(users["mfa.officer"])
    ids = lambda people: {person.pk for person in people}  # noqa: E731
    returned_tj = _link(client, "returned", "state%3DTJ")
    assert _children(client, returned_tj) == (2, ids(world["returned_tj"]))
    pending_ru = _link(client, "pending", "state%3DRU", without=["status"])
    assert _children(client, pending_ru) == (
        3,
        ids([registry["ru_child"], registry["ru_brother"], world["ru_nine"]]),
    )
    limbo = _link(client, "limbo", "state%3DTJ", "band%3D3")
    # the page counts ages today: the two returned at 7, and tj_small (born April 2023)
    assert _children(client, limbo) == (3, ids([*world["returned_tj"], world["tj_small"]]))
    mothers = _link(client, "mothers")
    assert _children(client, mothers) == (1, ids([registry["ru_child"]]))
    # the list is audited like any other listing
    event = AuditEvent.objects.filter(event_type=people_events.PEOPLE_LISTED).latest("seq")
    assert event.data["total"] == 1


def test_the_watchlist_count_within_30_days_lists_the_child(client, users, world):
    nine = _nine_in_ten_days(users)
    client.force_login(users["mfa.officer"])
    href = _link(client, "turning", "threshold%3D9", "within%3D30")
    assert _children(client, href) == (1, {nine.pk})


def test_a_consul_following_a_crafted_link_sees_nothing_of_another_state(client, users, world):
    client.force_login(users["consul.ru"])
    assert {figure for _href, figure, _n in _links(client)} >= {"pending", "returned"}
    for _href, _figure, _n in _links(client):
        assert "TJ" not in _href
    crafted = reverse("people:child_list") + "?" + urlencode({"behind": "figure=returned&state=TJ"})
    assert _children(client, crafted) == (0, set())
    junk = reverse("people:child_list") + "?" + urlencode({"behind": "figure=nope&date_from=x"})
    assert _children(client, junk) == (0, set())


def test_a_reader_without_cases_gets_numbers_without_links(client, users, world):
    from homeward.reports.templatetags.reports_tags import behind

    filters = type("F", (), {"date_from": None, "date_to": None, "home_states": ()})()
    assert behind({"can_see_cases": False, "filters": filters}, 4, "pending") == 4
    assert behind({"can_see_cases": True, "filters": filters}, 0, "pending") == 0
