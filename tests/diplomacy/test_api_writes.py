"""Diplomacy writes over the API: scoped, audited, profile changes with If-Match."""

import pytest
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.diplomacy import events
from homeward.diplomacy.models import ActionItem, Engagement, HomeStateProfile

pytestmark = pytest.mark.django_db


def test_officer_records_an_engagement(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.post(
        reverse("api:engagement-list"),
        {
            "home_state": "TJ",
            "kind": "bilateral_meeting",
            "date": "2026-03-02",
            "reference": "BM-3",
            "participants": [{"agency": "MFA", "role": "chair"}],
            "cases": [registry["tj_child"].case.reference],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["home_state"], body["kind"], body["cases"]) == (
        "TJ",
        "bilateral_meeting",
        [registry["tj_child"].case.reference],
    )
    event = AuditEvent.objects.get(event_type=events.ENGAGEMENT_RECORDED)
    assert event.data["reference"] == "BM-3"


def test_engagement_with_a_case_of_another_state_is_refused(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.post(
        reverse("api:engagement-list"),
        {
            "home_state": "TJ",
            "kind": "bilateral_meeting",
            "date": "2026-03-02",
            "cases": [registry["ru_child"].case.reference],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Engagement.objects.exists()


def test_consul_replies_over_the_api_but_not_for_another_state(client, users, pairs):
    ru_note, tj_note = pairs[Engagement]
    client.force_login(users["consul.tj"])
    denied = client.post(
        reverse("api:engagement-reply", kwargs={"pk": ru_note.pk}),
        {"date": "2026-03-05"},
        content_type="application/json",
    )
    assert denied.status_code == 404
    meeting = client.post(
        reverse("api:engagement-list"),
        {"home_state": "TJ", "kind": "bilateral_meeting", "date": "2026-03-02"},
        content_type="application/json",
    )
    assert meeting.status_code == 403
    response = client.post(
        reverse("api:engagement-reply", kwargs={"pk": tj_note.pk}),
        {"date": "2026-03-05", "reference": "TJ-1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["in_reply_to"] == str(tj_note.pk)
    assert Engagement.objects.filter(kind="note_verbale_in").count() == 1


def test_action_item_created_and_closed(client, users, pairs):
    note = pairs[Engagement][1]
    client.force_login(users["mfa.officer"])
    created = client.post(
        reverse("api:actionitem-list"),
        {
            "engagement": str(note.pk),
            "description": "Send DNA results",
            "owner_agency": users["consul.tj"].agency_id,
            "owner_user": "consul.tj",
            "due": "2026-04-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    item_id = created.json()["id"]
    assert created.json()["owner_user"] == "consul.tj"
    wrong_agency = client.post(
        reverse("api:actionitem-list"),
        {
            "engagement": str(note.pk),
            "description": "x",
            "owner_agency": users["consul.ru"].agency_id,
        },
        content_type="application/json",
    )
    assert wrong_agency.status_code == 400
    no_reason = client.post(
        reverse("api:actionitem-close", kwargs={"pk": item_id}),
        {"status": "cancelled"},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    done = client.post(
        reverse("api:actionitem-close", kwargs={"pk": item_id}),
        {"status": "done", "note": "Received"},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["closing_note"]) == ("done", "Received")
    assert ActionItem.objects.filter(status="open").count() == 2


def test_consul_cannot_close_an_action_item(client, users, pairs):
    item = pairs[ActionItem][1]
    client.force_login(users["consul.tj"])
    response = client.post(
        reverse("api:actionitem-close", kwargs={"pk": item.pk}),
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=item.pk).status == "open"


def test_profile_change_needs_if_match_and_refuses_a_stale_version(client, users, pairs):
    client.force_login(users["mfa.officer"])
    url = reverse("api:homestateprofile-detail", kwargs={"pk": "TJ"})
    etag = client.get(url)["ETag"]
    assert etag == '"1"'
    missing = client.patch(url, {"stance": "proactive"}, content_type="application/json")
    assert missing.status_code == 428
    changed = client.patch(
        url, {"stance": "proactive"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200
    assert (changed.json()["stance"], changed["ETag"]) == ("proactive", '"2"')
    stale = client.patch(
        url, {"stance": "refusing"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert HomeStateProfile.objects.get(pk="TJ").stance == "proactive"
    saved = AuditEvent.objects.filter(event_type=events.PROFILE_SAVED).order_by("-seq").first()
    assert saved.data == {"created": False, "changed": ["stance"]}


def test_consul_cannot_change_its_profile(client, users, pairs):
    client.force_login(users["consul.tj"])
    response = client.patch(
        reverse("api:homestateprofile-detail", kwargs={"pk": "TJ"}),
        {"stance": "proactive"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 403
    assert HomeStateProfile.objects.get(pk="TJ").stance == "case_by_case"
