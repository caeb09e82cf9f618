"""Diplomacy pages and API: scope, audit, desk section."""

import pytest
from django.urls import reverse

from homeward.diplomacy.models import ActionItem, Engagement

pytestmark = pytest.mark.django_db


def test_state_page_shows_figures_and_history_to_officer(client, users, pairs):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("diplomacy:state_detail", kwargs={"code": "RU"}))
    assert response.status_code == 200
    assert b'data-figure="open-items"' in response.content


def test_consul_gets_404_for_other_state(client, users, pairs):
    client.force_login(users["consul.ru"])
    tj_note = pairs[Engagement][1]
    assert client.get(reverse("diplomacy:state_detail", kwargs={"code": "TJ"})).status_code == 404
    assert (
        client.get(reverse("diplomacy:engagement_detail", kwargs={"pk": tj_note.pk})).status_code
        == 404
    )
    listed = client.get(reverse("api:engagement-list")).json()
    assert [row["home_state"] for row in listed["results"]] == ["RU"]


def test_officer_records_an_engagement_through_the_page(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.post(
        reverse("diplomacy:engagement_create"),
        {
            "home_state": "TJ",
            "kind": "bilateral_meeting",
            "date": "2026-03-02",
            "participants": "MFA — chair\nEmbassy of Tajikistan — consul",
            "cases": [registry["tj_child"].case.pk],
        },
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert engagement.participants[1] == {"agency": "Embassy of Tajikistan", "role": "consul"}


def test_desk_lists_the_consuls_action_items(client, users, pairs):
    client.force_login(users["consul.tj"])
    response = client.get(reverse("workflow:desk"))
    assert str(pairs[ActionItem][1].pk).encode() in response.content
    assert str(pairs[ActionItem][0].pk).encode() not in response.content
