"""The manifest and the handover record as PDFs: names, counts, scope, photo, audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from homeward.attachments import services as attachments
from homeward.audit.models import AuditEvent
from homeward.operations import services as ops
from tests.attachments.conftest import JPEG
from tests.operations_ui.conftest import frozen_with, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(world, flight):
    return frozen_with(world, flight["operation"], [flight["amina"], flight["yusuf"]])


def _manifest(operation, lang):
    return reverse("operations:manifest_pdf", kwargs={"pk": operation.pk}) + f"?lang={lang}"


def _record(entry, lang="en"):
    return reverse("operations:handover_record_pdf", kwargs={"pk": entry.pk}) + f"?lang={lang}"


def test_english_manifest_lists_every_person_numbered(client, world, flight, frozen):
    client.force_login(world["mfa.officer"])
    text = pdf_text(client.get(_manifest(frozen, "en")))
    assert f"Manifest of operation {frozen.reference}" in text
    assert "أمينة" in text and "يوسف" in text
    assert f"P-{flight['amina'].reference}" in text  # travel document number
    assert "2 children, 0 accompanying adults" in text
    assert "Handed over by (for the Republic of Iraq)" in text
    event = AuditEvent.objects.get(event_type="operations.manifest.printed")
    assert event.data["count"] == 2 and event.data["language"] == "en"
    assert sorted(event.data["persons"]) == sorted(
        [str(flight["amina"].child_id), str(flight["yusuf"].child_id)]
    )


def test_arabic_manifest_keeps_arabic_in_logical_order(client, world, frozen):
    client.force_login(world["mfa.officer"])
    text = pdf_text(client.get(_manifest(frozen, "ar")))
    assert "أمينة" in text
    assert "الجنس" in text  # "Sex", from the catalog, shaped and not reversed


def test_out_of_scope_consul_gets_404_for_both_papers(client, world, frozen):
    entry = frozen.entries.first()
    client.force_login(world["consul.tj"])
    assert client.get(_manifest(frozen, "en")).status_code == 404
    assert client.get(_record(entry)).status_code == 404
    assert not AuditEvent.objects.filter(event_type__endswith=".printed").exists()
    client.force_login(world["molsa.carer"])
    assert client.get(_manifest(frozen, "en")).status_code == 403


def test_handover_record_with_checks_and_officials(client, world, flight, frozen):
    protocol = world["mfa.protocol"]
    frozen = ops.start_execution(frozen, actor=protocol, expected_version=frozen.version)
    entry = frozen.entries.get(case=flight["amina"])
    ops.record_handover(
        frozen,
        actor=protocol,
        expected_version=frozen.version,
        handed_over_at=timezone.now(),
        location="Baghdad International Airport",
        receiving_officials=[{"name": "I. Petrov", "role": "Consul", "organisation": "Embassy"}],
        witnesses=[{"name": "M. Haddad", "role": "Observer", "organisation": "UNICEF"}],
        items=[
            {
                "entry": entry,
                "identity_checked_by": "A. Kareem, protocol",
                "identity_method": "document",
                "documents_handed": ["passport"],
                "belongings": "One bag of clothes",
            }
        ],
    )
    client.force_login(protocol)
    text = pdf_text(client.get(_record(entry)))
    assert "Handover record" in text
    assert "أمينة" in text
    assert flight["amina"].reference in text
    assert "A. Kareem, protocol" in text and "One bag of clothes" in text
    assert "I. Petrov" in text and "M. Haddad" in text


def test_photo_only_for_who_may_see_it(client, world, flight, frozen, settings, tmp_path):
    settings.HOMEWARD_ATTACHMENTS_DIR = tmp_path / "attachments"
    attachments.add_attachment(
        flight["amina"].child,
        actor=world["mfa.officer"],
        upload=SimpleUploadedFile("amina.jpg", JPEG),
        kind="photo",
        title="Photo",
    )
    entry = frozen.entries.get(case=flight["amina"])
    client.force_login(world["mfa.officer"])  # holds the sensitive-documents grant
    with_photo = client.get(_record(entry))
    client.force_login(world["mfa.protocol"])  # may not open highly sensitive documents
    without = client.get(_record(entry))
    assert b"/Subtype /Image" in with_photo.content
    assert b"/Subtype /Image" not in without.content
    events = AuditEvent.objects.filter(event_type="operations.handover_record.printed")
    assert sorted(e.data["photo"] for e in events) == [False, True]
