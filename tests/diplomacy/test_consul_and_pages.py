"""The consul's replies and documents; cancelling items, focal points, policy publishing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.diplomacy import events
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint
from homeward.workflow.models import RequirementsPolicy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%note\n%%EOF\n"


def test_consul_records_the_reply_to_its_states_note(client, users, pairs):
    # given the ministry's note to Tajikistan
    note = pairs[Engagement][1]
    client.force_login(users["consul.tj"])
    # when the consul records Tajikistan's answer
    response = client.post(
        reverse("diplomacy:reply_create", kwargs={"pk": note.pk}),
        {"date": "2026-03-20", "reference": "TJ-NV-12", "outcome": "Nationality confirmed"},
    )
    # then it is linked to the note, recorded by the consul, audited
    assert response.status_code == 302
    reply = Engagement.objects.get(in_reply_to=note)
    assert (reply.kind, reply.reference, reply.created_by) == (
        "note_verbale_in",
        "TJ-NV-12",
        users["consul.tj"],
    )
    event = AuditEvent.objects.get(event_type=events.REPLY_RECORDED)
    assert (event.actor, event.home_state, event.data["days_to_reply"]) == (
        users["consul.tj"],
        "TJ",
        19,
    )


def test_consul_cannot_reply_to_another_states_note(client, users, pairs):
    ru_note = pairs[Engagement][0]
    client.force_login(users["consul.tj"])
    response = client.post(
        reverse("diplomacy:reply_create", kwargs={"pk": ru_note.pk}), {"date": "2026-03-20"}
    )
    assert response.status_code == 404
    assert not Engagement.objects.filter(in_reply_to=ru_note).exists()


def test_consul_cannot_record_a_meeting(client, users, pairs):
    client.force_login(users["consul.tj"])
    response = client.post(
        reverse("diplomacy:engagement_create"),
        {"home_state": "TJ", "kind": "bilateral_meeting", "date": "2026-03-02"},
    )
    assert response.status_code == 403
    assert Engagement.objects.count() == 2


def test_consul_files_a_document_on_an_engagement_for_a_linked_child(
    client, users, registry, pairs
):
    # given the Tajik note, linked to the Tajik child's case
    note = pairs[Engagement][1]
    child = registry["tj_child"]
    client.force_login(users["consul.tj"])
    # when the consul files the scanned reply
    response = client.post(
        reverse("diplomacy:engagement_document", kwargs={"pk": note.pk}),
        {
            "person": child.pk,
            "kind": "correspondence",
            "title": "Reply of the embassy",
            "file": SimpleUploadedFile("reply.pdf", PDF),
        },
    )
    # then the document is the child's, documents the engagement, and shows on its page
    assert response.status_code == 302
    document = Attachment.objects.get()
    assert (document.person, document.document, document.uploaded_by) == (
        child,
        note,
        users["consul.tj"],
    )
    page = client.get(reverse("diplomacy:engagement_detail", kwargs={"pk": note.pk}))
    assert f'data-document="{document.pk}"'.encode() in page.content
    # and another state's consul neither sees it nor can file on that engagement
    client.force_login(users["consul.ru"])
    denied = client.post(
        reverse("diplomacy:engagement_document", kwargs={"pk": note.pk}),
        {
            "person": child.pk,
            "kind": "correspondence",
            "title": "x",
            "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%x\n%%EOF\n"),
        },
    )
    assert denied.status_code == 404
    assert Attachment.objects.count() == 1


def test_a_child_not_linked_to_the_engagement_is_refused(client, users, registry, pairs):
    note = pairs[Engagement][0]  # linked to the Russian girl only
    client.force_login(users["consul.ru"])
    response = client.post(
        reverse("diplomacy:engagement_document", kwargs={"pk": note.pk}),
        {
            "person": registry["ru_brother"].pk,
            "kind": "correspondence",
            "title": "Letter",
            "file": SimpleUploadedFile("l.pdf", PDF),
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Attachment.objects.exists()


def test_officer_cancels_an_action_item_with_a_reason(client, users, pairs):
    item = pairs[ActionItem][1]
    client.force_login(users["mfa.officer"])
    empty = client.post(reverse("diplomacy:action_item_cancel", kwargs={"pk": item.pk}), {})
    assert empty.status_code == 200
    assert ActionItem.objects.get(pk=item.pk).status == "open"
    response = client.post(
        reverse("diplomacy:action_item_cancel", kwargs={"pk": item.pk}),
        {"note": "Superseded by the new meeting"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.closing_note) == ("cancelled", "Superseded by the new meeting")
    event = AuditEvent.objects.get(event_type=events.ACTION_ITEM_CLOSED)
    assert event.data["status"] == "cancelled"


def test_consul_cannot_cancel_an_action_item(client, users, pairs):
    item = pairs[ActionItem][1]
    client.force_login(users["consul.tj"])
    response = client.post(
        reverse("diplomacy:action_item_cancel", kwargs={"pk": item.pk}), {"note": "no"}
    )
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=item.pk).status == "open"


def test_focal_points_are_added_edited_and_removed(client, users, pairs):
    client.force_login(users["mfa.officer"])
    added = client.post(
        reverse("diplomacy:focal_point_create", kwargs={"code": "TJ"}),
        {"name": "Rustam Nazarov", "role": "Consul", "email": "consul@example.org"},
    )
    assert added.status_code == 302
    point = FocalPoint.objects.get(name="Rustam Nazarov")
    edited = client.post(
        reverse("diplomacy:focal_point_edit", kwargs={"pk": point.pk}),
        {"name": "Rustam Nazarov", "role": "Consul general", "email": "consul@example.org"},
    )
    assert edited.status_code == 302
    assert FocalPoint.objects.get(pk=point.pk).role == "Consul general"
    changed = AuditEvent.objects.get(event_type=events.FOCAL_POINT_CHANGED)
    assert changed.data == {"changed": ["role"]}
    removed = client.post(
        reverse("diplomacy:focal_point_edit", kwargs={"pk": point.pk}), {"remove": "1"}
    )
    assert removed.status_code == 302
    assert not FocalPoint.objects.filter(pk=point.pk).exists()
    assert AuditEvent.objects.filter(event_type=events.FOCAL_POINT_REMOVED).count() == 1


def test_consul_cannot_edit_another_states_focal_point(client, users, pairs):
    tj_point = pairs[FocalPoint][1]
    client.force_login(users["consul.ru"])
    response = client.post(
        reverse("diplomacy:focal_point_edit", kwargs={"pk": tj_point.pk}), {"name": "X"}
    )
    assert response.status_code == 403  # no capability to edit at all
    assert FocalPoint.objects.get(pk=tj_point.pk).name == "Focal TJ"


def test_supervisor_publishes_a_new_policy_version_from_the_state_page(client, world, pairs):
    client.force_login(world["mfa.supervisor"])
    page = client.get(reverse("diplomacy:state_detail", kwargs={"code": "TJ"}))
    assert reverse("diplomacy:policy_publish", kwargs={"code": "TJ"}).encode() in page.content
    form = client.get(reverse("diplomacy:policy_publish", kwargs={"code": "TJ"}))
    assert form.status_code == 200
    initial = RequirementsPolicy.objects.get(home_state="TJ")
    data = {key: value for key, value in initial.rules().items() if value not in (False, None)}
    data.update(
        {
            "fee_amount": "300.00",
            "assurance_items": initial.assurance_items,
            "effective_from": datetime.date(2026, 4, 1).isoformat(),
            "reason": "Fee lowered at the March meeting",
        }
    )
    response = client.post(reverse("diplomacy:policy_publish", kwargs={"code": "TJ"}), data)
    assert response.status_code == 302
    latest = RequirementsPolicy.objects.filter(home_state="TJ").order_by("-version").first()
    assert (latest.version, str(latest.fee_amount), latest.created_by) == (
        2,
        "300.00",
        world["mfa.supervisor"],
    )
    assert latest.requires_mother_consent is True
    published = AuditEvent.objects.filter(event_type="workflow.policy.published")
    assert published.filter(actor=world["mfa.supervisor"]).count() == 1


def test_officer_cannot_publish_a_policy(client, users, pairs):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("diplomacy:policy_publish", kwargs={"code": "TJ"}))
    assert response.status_code == 403
