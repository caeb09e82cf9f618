"""Attaching and withdrawing documents: content checks, private storage, audit, all-or-nothing."""

import hashlib
import os
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from homeward.attachments import events, services
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent

from .conftest import (
    EXE,
    JPEG,
    LYING_NAME,
    MINIMAL_PDF,
    NOT_ACCEPTED,
    png_bytes,
    stored_files,
    upload,
)


def added_events():
    return AuditEvent.objects.filter(event_type=events.ATTACHMENT_ADDED)


def test_pdf_is_stored_privately_under_a_random_name_with_its_hash(
    users, registry, attachments_dir
):
    # given
    child = registry["ru_child"]
    # when
    attachment = services.add_attachment(
        child,
        actor=users["mfa.officer"],
        upload=upload("Khadija Husseinova decision.pdf", MINIMAL_PDF),
        kind="court_decision",
        title="Juvenile court decision 112/2024",
        language="ar",
    )
    # then the row describes the bytes
    row = Attachment.objects.get()
    assert row == attachment
    assert row.person_id == child.pk
    assert row.content_type == "application/pdf"
    assert row.size == len(MINIMAL_PDF)
    assert row.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert row.sensitivity == "L3"
    assert row.original_filename == "Khadija Husseinova decision.pdf"
    assert row.uploaded_by == users["mfa.officer"]
    # and the file lies in the private directory under its random key, nothing else there
    expected = attachments_dir / row.storage_key[:2] / row.storage_key
    assert stored_files(attachments_dir) == [expected]
    on_disk = expected.read_bytes()
    assert not on_disk.startswith(b"%PDF") and b"Catalog" not in on_disk  # sealed at rest
    assert services.read_clear(row) == MINIMAL_PDF
    assert "Khadija" not in str(expected)
    assert oct(expected.stat().st_mode & 0o777) == "0o600"
    # and one audit event, about the child, without the title or the file name
    event = added_events().get()
    assert event.object_id == str(row.pk)
    assert event.person_id == child.pk
    assert event.case_id == child.case.pk
    assert event.home_state == "RU"
    assert event.data == {
        "kind": "court_decision",
        "content_type": "application/pdf",
        "size": len(MINIMAL_PDF),
        "sha256": row.sha256,
        "sensitivity": "L3",
        "document": "",
    }


def test_default_store_is_in_the_data_directory_outside_media_and_static():
    # given the settings as loaded (before any test override)
    from homeward.config import settings as loaded

    # then the documents live in DATA_DIR/private/attachments, under no public root
    root = loaded.HOMEWARD_ATTACHMENTS_DIR
    assert root == loaded.DATA_DIR / "private" / "attachments"
    for public in (loaded.MEDIA_ROOT, loaded.STATIC_ROOT):
        assert public not in root.parents
        assert root != public
    assert loaded.HOMEWARD_ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024
    assert loaded.FILE_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert loaded.FILE_UPLOAD_TEMP_DIR == loaded.DATA_DIR / "private" / "incoming"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.png", png_bytes(2, 2), "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("scan", MINIMAL_PDF, "application/pdf"),
    ],
)
def test_type_is_detected_from_the_content(users, registry, name, content, content_type):
    # given a file whose name agrees with its content (or has no extension)
    # when
    attachment = services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload(name, content),
        kind="other",
        title="Scan",
    )
    # then
    assert attachment.content_type == content_type


BAD_FILES = [
    (
        "decision.pdf",
        png_bytes(),
        LYING_NAME,
    ),
    (
        "setup.exe",
        EXE,
        NOT_ACCEPTED,
    ),
    (
        "decision.pdf",
        EXE,
        NOT_ACCEPTED,
    ),
    (
        "notes.txt",
        b"just some text\n",
        NOT_ACCEPTED,
    ),
    ("empty.pdf", b"", "The file is empty."),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_file_is_refused_on_the_file_field_leaving_nothing(
    users, registry, attachments_dir, name, content, message
):
    # given
    child = registry["ru_child"]
    # when
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            child,
            actor=users["mfa.officer"],
            upload=upload(name, content),
            kind="court_decision",
            title="X",
        )
    # then
    assert refused.value.message_dict == {"file": [message]}
    assert Attachment.objects.count() == 0
    assert added_events().count() == 0
    assert stored_files(attachments_dir) == []


def test_oversized_file_is_refused_leaving_nothing(users, registry, attachments_dir, settings):
    # given a limit of 1000 bytes and a 1001-byte PDF
    settings.HOMEWARD_ATTACHMENT_MAX_BYTES = 1000
    content = MINIMAL_PDF + b"%" * (1001 - len(MINIMAL_PDF))
    # when
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            registry["ru_child"],
            actor=users["mfa.officer"],
            upload=upload("big.pdf", content),
            kind="other",
            title="Big",
        )
    # then
    assert refused.value.message_dict == {
        "file": ["The file is larger than the limit of 1000\xa0bytes."]
    }
    assert Attachment.objects.count() == 0
    assert added_events().count() == 0
    assert stored_files(attachments_dir) == []


def test_file_of_exactly_the_limit_is_accepted(users, registry, settings):
    # given
    settings.HOMEWARD_ATTACHMENT_MAX_BYTES = 1000
    content = MINIMAL_PDF + b"%" * (1000 - len(MINIMAL_PDF))
    # when
    attachment = services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload("a.pdf", content),
        kind="other",
        title="Edge",
    )
    # then
    assert attachment.size == 1000


def test_same_file_twice_for_one_person_is_refused_naming_the_first(
    users, registry, ru_court_decision, attachments_dir
):
    # given the decision already attached to the Russian child
    # when the same bytes are attached again under another name
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            registry["ru_child"],
            actor=users["moj.registrar"],
            upload=upload("copy.pdf", MINIMAL_PDF),
            kind="other",
            title="Copy",
        )
    # then
    date = date_format(timezone.localtime(ru_court_decision.uploaded_at), "DATE_FORMAT")
    assert refused.value.message_dict == {
        "file": [
            "This file is already attached to this person as “Juvenile court decision 112/2024” "
            f"(Court decision, uploaded {date})."
        ]
    }
    assert Attachment.objects.count() == 1
    assert len(stored_files(attachments_dir)) == 1


def test_same_file_may_be_attached_to_another_person(users, registry, ru_court_decision):
    # when
    other = services.add_attachment(
        registry["ru_brother"],
        actor=users["mfa.officer"],
        upload=upload("d.pdf", MINIMAL_PDF),
        kind="court_decision",
        title="Same",
    )
    # then
    assert other.sha256 == ru_court_decision.sha256
    assert Attachment.objects.count() == 2


def test_database_failure_after_the_file_is_written_leaves_no_orphan(
    users, registry, attachments_dir
):
    # given the audit trail refuses to write
    # when
    with (
        mock.patch("homeward.attachments.services.record_event", side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        services.add_attachment(
            registry["ru_child"],
            actor=users["mfa.officer"],
            upload=upload("d.pdf", MINIMAL_PDF),
            kind="court_decision",
            title="D",
        )
    # then neither the row nor the file survives
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


def test_failed_file_write_commits_nothing(users, registry, attachments_dir):
    # given the rename into place fails (disk full, permissions)
    # when
    with (
        mock.patch("homeward.attachments.services.os.replace", side_effect=OSError(28, "full")),
        pytest.raises(OSError),
    ):
        services.add_attachment(
            registry["ru_child"],
            actor=users["mfa.officer"],
            upload=upload("d.pdf", MINIMAL_PDF),
            kind="court_decision",
            title="D",
        )
    # then
    assert Attachment.objects.count() == 0
    assert added_events().count() == 0
    assert stored_files(attachments_dir) == []


@pytest.mark.parametrize(
    ("kind", "sensitive", "expected"),
    [
        ("dna_report", False, "L4"),
        ("medical", False, "L4"),
        ("photo", False, "L4"),
        ("court_decision", True, "L4"),
        ("court_decision", False, "L3"),
        ("travel_document", False, "L3"),
    ],
)
def test_sensitivity_follows_the_kind_or_the_uploader(users, registry, kind, sensitive, expected):
    # when
    attachment = services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload("a.png", png_bytes()),
        kind=kind,
        title="T",
        sensitive=sensitive,
    )
    # then
    assert attachment.sensitivity == expected


def test_consul_attaches_a_travel_document_for_its_own_national(users, registry):
    # when
    attachment = services.add_attachment(
        registry["ru_child"],
        actor=users["consul.ru"],
        upload=upload("passport.pdf", MINIMAL_PDF),
        kind="travel_document",
        title="Certificate of return",
    )
    # then
    assert attachment.uploaded_by == users["consul.ru"]
    assert added_events().get().actor == users["consul.ru"]


def test_consul_cannot_attach_an_iraqi_court_decision(users, registry, attachments_dir):
    # when
    with pytest.raises(ValidationError) as refused:
        services.add_attachment(
            registry["ru_child"],
            actor=users["consul.ru"],
            upload=upload("d.pdf", MINIMAL_PDF),
            kind="court_decision",
            title="D",
        )
    # then
    assert refused.value.message_dict == {"kind": ["You cannot attach this kind of document."]}
    assert Attachment.objects.count() == 0
    assert stored_files(attachments_dir) == []


@pytest.mark.parametrize(
    ("username", "child"), [("consul.ru", "tj_child"), ("auditor", "ru_child")]
)
def test_out_of_scope_or_without_capability_is_refused(
    users, registry, attachments_dir, username, child
):
    # when
    with pytest.raises(PermissionDenied):
        services.add_attachment(
            registry[child],
            actor=users[username],
            upload=upload("p.pdf", MINIMAL_PDF),
            kind="travel_document",
            title="P",
        )
    # then
    assert Attachment.objects.count() == 0
    assert added_events().count() == 0
    assert stored_files(attachments_dir) == []


def test_withdrawal_is_audited_and_keeps_the_file(users, ru_court_decision):
    # when
    withdrawn = services.withdraw_attachment(
        ru_court_decision, actor=users["mfa.officer"], reason="Wrong child"
    )
    # then
    row = Attachment.objects.get()
    assert row == withdrawn
    assert (row.is_withdrawn, row.withdrawn_by, row.withdrawal_reason) == (
        True,
        users["mfa.officer"],
        "Wrong child",
    )
    assert services.read_clear(row) == MINIMAL_PDF
    event = AuditEvent.objects.get(event_type=events.ATTACHMENT_WITHDRAWN)
    assert event.data == {"kind": "court_decision", "sha256": row.sha256, "reason": "Wrong child"}
    assert event.home_state == "RU"


def test_withdrawal_needs_a_reason_and_happens_once(users, ru_court_decision):
    # when / then
    with pytest.raises(ValidationError) as no_reason:
        services.withdraw_attachment(ru_court_decision, actor=users["mfa.officer"], reason="  ")
    assert no_reason.value.message_dict == {"reason": ["Say why the document is withdrawn."]}
    services.withdraw_attachment(ru_court_decision, actor=users["mfa.officer"], reason="Superseded")
    with pytest.raises(ValidationError) as twice:
        services.withdraw_attachment(ru_court_decision, actor=users["mfa.officer"], reason="Again")
    assert twice.value.message_dict == {"reason": ["This document has already been withdrawn."]}
    assert AuditEvent.objects.filter(event_type=events.ATTACHMENT_WITHDRAWN).count() == 1


def test_consul_cannot_withdraw(users, ru_court_decision):
    # when / then
    with pytest.raises(PermissionDenied):
        services.withdraw_attachment(ru_court_decision, actor=users["consul.ru"], reason="No")
    assert Attachment.objects.get().is_withdrawn is False


def test_withdrawn_file_may_be_attached_again(users, registry, ru_court_decision):
    # given
    services.withdraw_attachment(
        ru_court_decision, actor=users["mfa.officer"], reason="Illegible scan"
    )
    # when
    again = services.add_attachment(
        registry["ru_child"],
        actor=users["mfa.officer"],
        upload=upload("d.pdf", MINIMAL_PDF),
        kind="court_decision",
        title="Again",
    )
    # then
    assert again.sha256 == ru_court_decision.sha256
    assert Attachment.objects.filter(is_withdrawn=False).get() == again


def test_storage_path_refuses_anything_but_a_key(settings):
    # when / then
    for bad in ["../../etc/passwd", "a" * 31, "A" * 32, "g" * 32]:
        with pytest.raises(ValueError):
            services.storage_path(bad)
    assert services.storage_path("ab" + "0" * 30) == Path(
        settings.HOMEWARD_ATTACHMENTS_DIR
    ) / "ab" / ("ab" + "0" * 30)


def test_staging_files_are_created_in_the_private_directory(users, registry, attachments_dir):
    # given a spy on where the service stages the upload
    staged_dirs = []
    real_mkstemp = services.tempfile.mkstemp

    def spy(**kwargs):
        staged_dirs.append(Path(kwargs["dir"]))
        return real_mkstemp(**kwargs)

    # when
    with mock.patch.object(services.tempfile, "mkstemp", side_effect=spy):
        services.add_attachment(
            registry["ru_child"],
            actor=users["mfa.officer"],
            upload=upload("d.pdf", MINIMAL_PDF),
            kind="other",
            title="D",
        )
    # then
    # (the clear upload, then the sealed copy beside its final place, both private)
    assert staged_dirs[0] == attachments_dir
    assert [d.parent for d in staged_dirs[1:]] == [attachments_dir]
    assert os.path.commonpath([django_settings.HOMEWARD_ATTACHMENTS_DIR, staged_dirs[0]]) == str(
        attachments_dir
    )
