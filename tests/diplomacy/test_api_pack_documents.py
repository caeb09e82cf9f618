"""The meeting pack PDF and an engagement's documents over the API (issue 9).

The same code as the pages: the pack is `queries.meeting_pack` rendered by `pack.py` and
audited by `services.record_pack_printed`; documents are filed by `services.attach_document`
and listed by `queries.engagement_documents`. Out of scope is the 404 of a missing record;
a role without the capability gets a 403; neither writes anything.
"""

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from rest_framework.test import APIClient

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.services import issue_api_token
from homeward.attachments import events as attachment_events
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.diplomacy import events
from homeward.diplomacy.models import Engagement, HomeStateProfile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%note\n%%EOF\n"


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def _events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("seq"))


def _pack_url(code: str) -> str:
    return f"/api/v1/home-states/{code}/meeting-pack/"


def _documents_url(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/documents/"


def _upload(child, **overrides) -> dict:
    return {
        "person": str(child.pk),
        "kind": "correspondence",
        "title": "Reply of the embassy",
        "file": SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf"),
        **overrides,
    }


# -- meeting pack --------------------------------------------------------------------------------


def test_consul_downloads_its_states_meeting_pack(users, registry, pairs):
    # given the Russian consul
    consul = users["consul.ru"]
    # when it downloads Russia's meeting pack in English
    response = _api(consul).get(_pack_url("RU"), HTTP_ACCEPT_LANGUAGE="en")
    # then a PDF listing its national's case, not the Tajik one
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="meeting-pack-RU-')
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Meeting pack: Russia" in text
    assert registry["ru_child"].case.reference in text
    assert registry["tj_child"].case.reference not in text
    # and the printing is audited as on the page: on the profile, with the cases it listed
    [event] = _events(events.MEETING_PACK_PRINTED)
    assert (event.actor, event.object_id, event.home_state) == (
        consul,
        str(pairs[HomeStateProfile][0].pk),
        "RU",
    )
    assert event.data == {
        "language": "en",
        "cases": sorted(registry[name].case.reference for name in ("ru_child", "ru_brother")),
        "names_masked": False,
    }


def test_a_client_asking_for_a_pdf_gets_the_pdf_and_errors_as_problems(users, registry, pairs):
    # given the Russian consul's client, which accepts only PDF
    api = _api(users["consul.ru"])
    # when it asks for its state's pack and for another state's
    pack = api.get(_pack_url("RU"), HTTP_ACCEPT="application/pdf")
    hidden = api.get(_pack_url("TJ"), HTTP_ACCEPT="application/pdf")
    # then the PDF (it was refused with 406 before the view ran), and the 404 is the same
    # problem document as for a client accepting JSON
    assert (pack.status_code, pack["Content-Type"]) == (200, "application/pdf")
    assert pack.content.startswith(b"%PDF-")
    assert (hidden.status_code, hidden["Content-Type"]) == (404, "application/problem+json")
    assert json.loads(hidden.content) == api.get(_pack_url("TJ")).json()
    # and a type the pack is not offered in is still refused
    assert api.get(_pack_url("RU"), HTTP_ACCEPT="text/csv").status_code == 406


def test_another_states_pack_is_404_like_a_missing_one(users, registry, pairs):
    # given the Russian consul
    api = _api(users["consul.ru"])
    # when it asks for Tajikistan's pack, and for a state that does not exist
    hidden = api.get(_pack_url("TJ"))
    missing = api.get(_pack_url("XX"))
    # then the same 404, and no pack printed
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert _events(events.MEETING_PACK_PRINTED) == []


def test_a_role_without_the_profile_grant_gets_403(users, registry, pairs):
    # given the auditor (reads the registry, not home-state profiles)
    auditor = users["auditor"]
    # when it asks for a pack
    response = _api(auditor).get(_pack_url("RU"))
    # then 403, the denial audited, and nothing printed
    assert response.status_code == 403
    assert _events(events.MEETING_PACK_PRINTED) == []
    assert [event.actor for event in _events(ACCESS_DENIED)] == [auditor]


# -- engagement documents --------------------------------------------------------------------------


def test_consul_files_a_document_and_lists_it(users, registry, pairs):
    # given the Tajik note verbale, linked to the Tajik child's case
    note = pairs[Engagement][1]
    child = registry["tj_child"]
    consul = users["consul.tj"]
    api = _api(consul)
    # when the consul files the scanned reply
    response = api.post(_documents_url(note), _upload(child), format="multipart")
    # then the document is the child's, documents the engagement, and is audited
    assert response.status_code == 201, response.content
    document = Attachment.objects.get()
    assert (document.person, document.document, document.uploaded_by, document.kind) == (
        child,
        note,
        consul,
        "correspondence",
    )
    body = response.json()
    assert (body["id"], body["person"], body["title"], body["document"]) == (
        str(document.pk),
        str(child.pk),
        "Reply of the embassy",
        f"diplomacy.engagement:{note.pk}",
    )
    [added] = _events(attachment_events.ATTACHMENT_ADDED)
    assert (added.actor, added.object_id) == (consul, str(document.pk))
    # and the engagement's documents list it, as its page does, audited
    listed = api.get(_documents_url(note))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [str(document.pk)]
    [event] = _events(attachment_events.ATTACHMENTS_LISTED)
    assert (event.actor, event.data["ids"], event.data["query"]) == (
        consul,
        [str(document.pk)],
        {"engagement": str(note.pk)},
    )


def test_a_retried_upload_with_the_same_key_files_one_document(users, registry, pairs):
    # given the consul and its note
    note = pairs[Engagement][1]
    api = _api(users["consul.tj"])
    headers = {"HTTP_IDEMPOTENCY_KEY": "file-reply-1"}
    # when the same upload is sent twice with one Idempotency-Key
    first = api.post(
        _documents_url(note), _upload(registry["tj_child"]), format="multipart", **headers
    )
    again = api.post(
        _documents_url(note), _upload(registry["tj_child"]), format="multipart", **headers
    )
    # then one document, the second answer a replay of the first
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Attachment.objects.count() == 1


def test_a_child_not_linked_to_the_engagement_is_a_field_error(users, registry, pairs):
    # given the Russian note, linked to the Russian girl only
    note = pairs[Engagement][0]
    # when the consul files a document for her brother
    response = _api(users["consul.ru"]).post(
        _documents_url(note), _upload(registry["ru_brother"]), format="multipart"
    )
    # then a 400 on `person`, and nothing filed
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["person"]
    assert not Attachment.objects.exists()
    assert _events(attachment_events.ATTACHMENT_ADDED) == []


def test_another_states_consul_gets_404_and_nothing_is_filed(users, registry, pairs):
    # given the Tajik note and the Russian consul
    note = pairs[Engagement][1]
    api = _api(users["consul.ru"])
    # when it files on that note, lists its documents, and tries an id that exists nowhere
    filed = api.post(_documents_url(note), _upload(registry["tj_child"]), format="multipart")
    listed = api.get(_documents_url(note))
    missing = api.get(f"/api/v1/engagements/{uuid.uuid4()}/documents/")
    # then the same 404 for all, and nothing filed or listed
    assert filed.status_code == listed.status_code == missing.status_code == 404
    assert listed.json() == missing.json()
    assert not Attachment.objects.exists()
    assert _events(attachment_events.ATTACHMENTS_LISTED) == []


def test_a_role_without_the_reply_grant_cannot_file(users, registry, pairs):
    # given the judge, who reads engagements but does not record replies
    note = pairs[Engagement][1]
    judge = users["hjc.judge"]
    api = _api(judge)
    # when it files a document
    response = api.post(_documents_url(note), _upload(registry["tj_child"]), format="multipart")
    # then 403, the denial audited, nothing filed; reading the list is allowed
    assert response.status_code == 403
    assert not Attachment.objects.exists()
    assert [event.actor for event in _events(ACCESS_DENIED)] == [judge]
    assert api.get(_documents_url(note)).json() == []
