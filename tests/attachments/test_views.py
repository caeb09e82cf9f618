"""Document pages: upload, the person page's list, the scoped and audited download, withdrawal."""

import hashlib
import uuid

from django.urls import reverse

from homeward.accounts import events as account_events
from homeward.attachments import events
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent

from .conftest import LYING_NAME, MINIMAL_PDF, png_bytes, stored_files, upload


def download_url(attachment) -> str:
    return reverse("attachments:attachment_download", kwargs={"pk": attachment.pk})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def names_of(person) -> list[str]:
    return list(person.names.values_list("full_text", flat=True))


# -- upload --------------------------------------------------------------------------------


def test_officer_attaches_a_pdf_from_the_page(client, users, registry, attachments_dir):
    # given
    child = registry["ru_child"]
    client.force_login(users["mfa.officer"])
    url = reverse("attachments:attachment_create", kwargs={"person_pk": child.pk})
    # when
    response = client.post(
        url,
        {
            "file": upload("decision.pdf", MINIMAL_PDF),
            "kind": "court_decision",
            "title": "Decision 112/2024",
            "language": "ar",
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", kwargs={"pk": child.pk})
    row = Attachment.objects.get()
    assert (row.person, row.kind, row.title, row.language) == (
        child,
        "court_decision",
        "Decision 112/2024",
        "ar",
    )
    assert row.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert stored_files(attachments_dir) == [row.path]
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_ADDED).count() == 1


def test_pdf_name_with_png_bytes_is_a_field_error(client, users, registry, attachments_dir):
    # given
    child = registry["ru_child"]
    client.force_login(users["mfa.officer"])
    # when
    response = client.post(
        reverse("attachments:attachment_create", kwargs={"person_pk": child.pk}),
        {
            "file": upload("decision.pdf", png_bytes()),
            "kind": "court_decision",
            "title": "Decision",
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [LYING_NAME]}
    assert Attachment.objects.count() == 0
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_ADDED).count() == 0
    assert stored_files(attachments_dir) == []


def test_oversized_upload_is_dropped_on_arrival_with_a_field_error(
    client, users, registry, attachments_dir, settings
):
    # given a limit of 1000 bytes
    settings.HOMEWARD_ATTACHMENT_MAX_BYTES = 1000
    child = registry["ru_child"]
    client.force_login(users["mfa.officer"])
    # when a 5000-byte PDF is posted
    response = client.post(
        reverse("attachments:attachment_create", kwargs={"person_pk": child.pk}),
        {
            "file": upload("big.pdf", MINIMAL_PDF + b"%" * 5000),
            "kind": "court_decision",
            "title": "Big",
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than the limit of 1000\xa0bytes."]
    }
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


def test_consul_form_offers_only_a_home_states_kinds(client, users, registry):
    # given
    client.force_login(users["consul.ru"])
    # when
    response = client.get(
        reverse("attachments:attachment_create", kwargs={"person_pk": registry["ru_child"].pk})
    )
    # then
    assert response.status_code == 200
    assert [value for value, _label in response.context["form"].fields["kind"].choices] == [
        "",
        "assurance_letter",
        "travel_document",
        "identity_document",
        "correspondence",
    ]


def test_upload_page_for_another_states_child_is_404(client, users, registry):
    # given
    client.force_login(users["consul.ru"])
    url = reverse("attachments:attachment_create", kwargs={"person_pk": registry["tj_child"].pk})
    # when
    response = client.post(
        url, {"file": upload("p.pdf", MINIMAL_PDF), "kind": "travel_document", "title": "P"}
    )
    # then
    assert response.status_code == 404
    assert Attachment.objects.count() == 0


# -- download ------------------------------------------------------------------------------


def test_consul_downloads_its_own_nationals_document(client, users, registry, ru_court_decision):
    # given
    client.force_login(users["consul.ru"])
    # when
    response = client.get(download_url(ru_court_decision))
    # then the bytes come with safe headers
    assert response.status_code == 200
    assert body(response) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(MINIMAL_PDF))
    reference = registry["ru_child"].case.reference
    expected_name = f"{reference}-court_decision-{str(ru_court_decision.pk)[:8]}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    # and the file name says nothing about the child
    for name in names_of(registry["ru_child"]):
        assert name not in response["Content-Disposition"]
    # and the download is audited against the child
    event = AuditEvent.objects.get(event_type=events.ATTACHMENT_DOWNLOADED)
    assert (event.actor, event.object_id, event.person_id, event.home_state) == (
        users["consul.ru"],
        str(ru_court_decision.pk),
        registry["ru_child"].pk,
        "RU",
    )
    assert event.data == {
        "kind": "court_decision",
        "sha256": ru_court_decision.sha256,
        "size": len(MINIMAL_PDF),
    }


def test_another_states_document_is_a_404_identical_to_a_missing_one(
    client, users, tj_court_decision
):
    # given
    client.force_login(users["consul.ru"])
    # when
    hidden = client.get(download_url(tj_court_decision))
    missing = client.get(reverse("attachments:attachment_download", kwargs={"pk": uuid.uuid4()}))
    # then
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.content == missing.content
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 0
    denial = AuditEvent.objects.get(event_type=account_events.ACCESS_DENIED)
    assert denial.data["reason"] == "scope"


def test_sensitive_document_without_the_grant_is_403(client, users, ru_dna_report):
    # given consul.ru, who may download ordinary documents of Russian children
    client.force_login(users["consul.ru"])
    # when
    response = client.get(download_url(ru_dna_report))
    # then
    assert response.status_code == 403
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 0
    assert (
        AuditEvent.objects.get(event_type=account_events.ACCESS_DENIED).data["reason"]
        == "sensitivity"
    )


def test_lab_downloads_the_dna_report(client, users, ru_dna_report):
    # given
    client.force_login(users["moh.lab"])
    # when
    response = client.get(download_url(ru_dna_report))
    # then
    assert response.status_code == 200
    assert body(response) == MINIMAL_PDF + b"% dna\n"
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 1


def test_auditor_sees_metadata_but_cannot_download(client, users, ru_court_decision):
    # given
    client.force_login(users["auditor"])
    # when
    response = client.get(download_url(ru_court_decision))
    # then
    assert response.status_code == 403


def test_tampered_file_is_not_served_and_the_failure_is_audited(client, users, ru_court_decision):
    # given someone changed the stored bytes
    ru_court_decision.path.write_bytes(MINIMAL_PDF.replace(b"Count 0", b"Count 9"))
    client.force_login(users["mfa.officer"])
    # when
    response = client.get(download_url(ru_court_decision))
    # then
    assert response.status_code == 409
    assert b"failed its integrity check" in response.content
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_DOWNLOADED).count() == 0
    event = AuditEvent.objects.get(event_type=events.INTEGRITY_FAILED)
    assert event.data["problem"] == "undecryptable"  # the sealed file no longer opens
    assert event.data["expected_sha256"] == ru_court_decision.sha256
    assert event.data["found_sha256"] == ""
    assert event.home_state == "RU"


def test_missing_file_is_not_served_and_the_failure_is_audited(client, users, ru_court_decision):
    # given
    ru_court_decision.path.unlink()
    client.force_login(users["mfa.officer"])
    # when
    response = client.get(download_url(ru_court_decision))
    # then
    assert response.status_code == 409
    assert AuditEvent.objects.get(event_type=events.INTEGRITY_FAILED).data["problem"] == "missing"


def test_anonymous_download_goes_to_sign_in(client, ru_court_decision):
    # when
    response = client.get(download_url(ru_court_decision))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- the person page -----------------------------------------------------------------------


def test_person_page_lists_documents_with_download_links(
    client, users, registry, ru_court_decision, ru_dna_report
):
    # given
    client.force_login(users["mfa.officer"])
    # when
    response = client.get(reverse("people:person_detail", kwargs={"pk": registry["ru_child"].pk}))
    # then
    text = response.content.decode()
    assert response.status_code == 200
    rows = response.context["attachments"].rows
    assert [(row.attachment, row.show_title, row.may_download) for row in rows] == [
        (ru_dna_report, True, True),
        (ru_court_decision, True, True),
    ]
    assert "Juvenile court decision 112/2024" in text
    assert "Maternity confirmed (99.99%)" in text
    assert download_url(ru_dna_report) in text
    assert (
        reverse("attachments:attachment_create", kwargs={"person_pk": registry["ru_child"].pk})
        in text
    )


def test_consul_sees_a_sensitive_document_marked_without_title_or_link(
    client, users, registry, ru_court_decision, ru_dna_report
):
    # given
    client.force_login(users["consul.ru"])
    # when
    response = client.get(reverse("people:person_detail", kwargs={"pk": registry["ru_child"].pk}))
    # then
    text = response.content.decode()
    assert "Maternity confirmed" not in text
    assert download_url(ru_dna_report) not in text
    assert "(title withheld: highly sensitive)" in text
    assert download_url(ru_court_decision) in text


def test_person_page_without_the_capability_shows_no_documents_card(
    client, users, registry, ru_court_decision
):
    # given a user who may see people but not documents
    user = users["unicef.officer"]
    role = user.roles.get()
    role.capabilities = [code for code in role.capabilities if not code.startswith("attachments.")]
    role.save(update_fields=["capabilities"])
    client.force_login(user)
    # when
    response = client.get(reverse("people:person_detail", kwargs={"pk": registry["ru_child"].pk}))
    # then
    assert response.status_code == 200
    assert response.context["attachments"] is None
    assert "Juvenile court decision" not in response.content.decode()


# -- withdrawal ----------------------------------------------------------------------------


def test_officer_withdraws_and_the_consul_no_longer_finds_it(
    client, users, registry, ru_court_decision
):
    # given
    client.force_login(users["mfa.officer"])
    # when
    response = client.post(
        reverse("attachments:attachment_withdraw", kwargs={"pk": ru_court_decision.pk}),
        {"reason": "Wrong child"},
    )
    # then
    assert response.status_code == 302
    assert Attachment.objects.get().is_withdrawn is True
    client.force_login(users["consul.ru"])
    assert client.get(download_url(ru_court_decision)).status_code == 404
    page = client.get(reverse("people:person_detail", kwargs={"pk": registry["ru_child"].pk}))
    assert page.context["attachments"].rows == []


def test_withdrawal_without_a_reason_is_a_field_error(client, users, ru_court_decision):
    # given
    client.force_login(users["mfa.officer"])
    # when
    response = client.post(
        reverse("attachments:attachment_withdraw", kwargs={"pk": ru_court_decision.pk}),
        {"reason": ""},
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert Attachment.objects.get().is_withdrawn is False
