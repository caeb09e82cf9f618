"""Documents over the API: scoped, audited metadata; multipart upload; verified download."""

import hashlib
import uuid

from rest_framework.test import APIClient

from homeward.accounts import events as account_events
from homeward.accounts.services import issue_api_token
from homeward.attachments import events
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent

from .conftest import LYING_NAME, MINIMAL_PDF, png_bytes, stored_files, upload


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def test_consul_lists_only_its_own_nationals_documents(
    users, ru_court_decision, tj_court_decision, ru_dna_report
):
    # when
    response = client_for(users["consul.ru"]).get("/api/v1/attachments/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [
        str(ru_dna_report.pk),
        str(ru_court_decision.pk),
    ]
    dna, decision = body["results"]
    assert dna["title"] is None  # highly sensitive: title withheld without the grant
    assert dna["download_url"] is None
    assert dna["sensitivity"] == "L4"
    assert decision["title"] == "Juvenile court decision 112/2024"
    assert (
        decision["download_url"]
        == f"http://testserver/api/v1/attachments/{ru_court_decision.pk}/download/"
    )
    assert decision["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert decision["uploaded_by"] == "mfa.officer"
    assert "original_filename" not in decision
    event = AuditEvent.objects.get(event_type=events.ATTACHMENTS_LISTED)
    assert event.data["ids"] == [str(ru_dna_report.pk), str(ru_court_decision.pk)]
    assert event.data["total"] == 2


def test_filter_by_a_person_out_of_scope_matches_nothing(users, registry, tj_court_decision):
    # when
    response = client_for(users["consul.ru"]).get(
        f"/api/v1/attachments/?person={registry['tj_child'].pk}"
    )
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_detail_is_audited_and_out_of_scope_is_a_404_like_missing(
    users, ru_court_decision, tj_court_decision
):
    # given
    client = client_for(users["consul.ru"])
    # when
    own = client.get(f"/api/v1/attachments/{ru_court_decision.pk}/")
    hidden = client.get(f"/api/v1/attachments/{tj_court_decision.pk}/")
    missing = client.get(f"/api/v1/attachments/{uuid.uuid4()}/")
    # then
    assert own.status_code == 200
    assert own.json()["kind"] == "court_decision"
    assert AuditEvent.objects.get(event_type=events.ATTACHMENT_VIEWED).object_id == str(
        ru_court_decision.pk
    )
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == missing.json()


def test_upload_over_the_api_goes_through_the_service(users, registry, attachments_dir):
    # given
    child = registry["ru_child"]
    # when
    response = client_for(users["consul.ru"]).post(
        "/api/v1/attachments/",
        {
            "person": str(child.pk),
            "file": upload("cert.png", png_bytes()),
            "kind": "travel_document",
            "title": "Certificate of return",
        },
        format="multipart",
    )
    # then
    assert response.status_code == 201
    row = Attachment.objects.get()
    assert response.json()["id"] == str(row.pk)
    assert (row.person, row.kind, row.content_type, row.uploaded_by) == (
        child,
        "travel_document",
        "image/png",
        users["consul.ru"],
    )
    assert stored_files(attachments_dir) == [row.path]
    assert AuditEvent.objects.get(event_type=events.ATTACHMENT_ADDED).channel == "api"


def test_upload_for_another_states_child_is_refused_like_a_missing_person(
    users, registry, attachments_dir
):
    # given
    client = client_for(users["consul.ru"])

    def post(person_id):
        return client.post(
            "/api/v1/attachments/",
            {
                "person": str(person_id),
                "file": upload("p.pdf", MINIMAL_PDF),
                "kind": "travel_document",
                "title": "P",
            },
            format="multipart",
        )

    # when
    hidden = post(registry["tj_child"].pk)
    missing_id = uuid.uuid4()
    missing = post(missing_id)
    # then
    assert (hidden.status_code, missing.status_code) == (400, 400)
    assert hidden.json()["errors"]["person"] == [
        f'Invalid pk "{registry["tj_child"].pk}" - object does not exist.'
    ]
    assert missing.json()["errors"]["person"] == [
        f'Invalid pk "{missing_id}" - object does not exist.'
    ]
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


def test_upload_with_a_lying_name_is_a_400_on_file(users, registry, attachments_dir):
    # when
    response = client_for(users["mfa.officer"]).post(
        "/api/v1/attachments/",
        {
            "person": str(registry["ru_child"].pk),
            "file": upload("d.pdf", png_bytes()),
            "kind": "court_decision",
            "title": "D",
        },
        format="multipart",
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [LYING_NAME]}
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


def test_oversized_upload_over_the_api_is_a_400_on_file(users, registry, attachments_dir, settings):
    # given
    settings.HOMEWARD_ATTACHMENT_MAX_BYTES = 1000
    # when
    response = client_for(users["mfa.officer"]).post(
        "/api/v1/attachments/",
        {
            "person": str(registry["ru_child"].pk),
            "file": upload("d.pdf", MINIMAL_PDF + b"%" * 3000),
            "kind": "other",
            "title": "D",
        },
        format="multipart",
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["The file is larger than the limit of 1000\xa0bytes."]
    }
    assert Attachment.objects.count() == 0


def test_upload_without_the_capability_is_403(users, registry):
    # when
    response = client_for(users["auditor"]).post(
        "/api/v1/attachments/",
        {
            "person": str(registry["ru_child"].pk),
            "file": upload("d.pdf", MINIMAL_PDF),
            "kind": "other",
            "title": "D",
        },
        format="multipart",
    )
    # then
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
    assert (
        AuditEvent.objects.get(event_type=account_events.ACCESS_DENIED).data["reason"]
        == "capability"
    )


def test_download_over_the_api_is_verified_and_audited(users, ru_court_decision):
    # when
    response = client_for(users["consul.ru"]).get(
        f"/api/v1/attachments/{ru_court_decision.pk}/download/"
    )
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"].startswith('attachment; filename="HW-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    event = AuditEvent.objects.get(event_type=events.ATTACHMENT_DOWNLOADED)
    assert (event.actor, event.channel) == (users["consul.ru"], "api")


def test_a_client_accepting_only_the_files_type_gets_it(
    users, ru_court_decision, tj_court_decision
):
    consul = client_for(users["consul.ru"])
    response = consul.get(
        f"/api/v1/attachments/{ru_court_decision.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    hidden = consul.get(
        f"/api/v1/attachments/{tj_court_decision.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert (hidden.status_code, hidden["Content-Type"]) == (404, "application/problem+json")


def test_api_download_rules_match_the_page(users, ru_dna_report, tj_court_decision):
    # given
    consul = client_for(users["consul.ru"])
    # when
    sensitive = consul.get(f"/api/v1/attachments/{ru_dna_report.pk}/download/")
    hidden = consul.get(f"/api/v1/attachments/{tj_court_decision.pk}/download/")
    missing = consul.get(f"/api/v1/attachments/{uuid.uuid4()}/download/")
    auditor = client_for(users["auditor"]).get(
        f"/api/v1/attachments/{tj_court_decision.pk}/download/"
    )
    # then
    assert sensitive.status_code == 403
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == missing.json()
    assert auditor.status_code == 403
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 0


def test_tampered_file_over_the_api_is_a_409_and_audited(users, ru_court_decision):
    # given
    ru_court_decision.path.write_bytes(b"%PDF-1.4 something else\n%%EOF\n")
    # when
    response = client_for(users["mfa.officer"]).get(
        f"/api/v1/attachments/{ru_court_decision.pk}/download/"
    )
    # then
    assert response.status_code == 409
    assert response.json()["detail"].startswith("This document failed its integrity check")
    assert AuditEvent.objects.filter(event_type=events.INTEGRITY_FAILED).count() == 1
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 0
