"""Write use cases for documents: attach, withdraw, and hand out verified bytes.

A document is two things that must agree: a file on disk and a row (with its audit event) in
the database. They cannot share one transaction, so the order is fixed:

1. the upload is streamed into a temporary file in the private directory, hashed and sized
   as it goes, then checked by its content (type, size, not empty);
2. the file is fsynced and renamed into place (atomic on one filesystem);
3. the row and the audit event are written in one durable transaction;
4. if step 3 fails for any reason, the file from step 2 is removed.

So a committed row always has its file, and a failure leaves neither a row nor a file. The
only leftover possible is a file without a row if the process dies between 2 and 3; such a
file is unreachable (no row names its random key) and `storage_key` is never reused.

Sealed at rest (G17): between 1 and 2, images lose their metadata (EXIF, GPS, text chunks)
and are refused beyond HOMEWARD_MAX_IMAGE_PIXELS, the configured scanner (if any) is called
and any failure of it refuses the file, and what is stored is the AES-256-GCM sealed file
(`homeward.crypto.aead`, purpose ``file``, bound to the storage key), never the clear bytes.
`sha256` and `size` describe the clear (stripped) content that is served.
"""

import hashlib
import io
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from homeward.accounts import capabilities as cap
from homeward.attachments import events
from homeward.attachments.choices import (
    ALLOWED_TYPES,
    HIGHLY_SENSITIVE_KINDS,
    AttachmentKind,
    Sensitivity,
)
from homeward.attachments.exceptions import IntegrityFailure
from homeward.attachments.models import Attachment, storage_path
from homeward.attachments.permissions import addable_kinds, can_download, can_withdraw
from homeward.audit.services import record_event
from homeward.core.exceptions import OutOfScopeError
from homeward.crypto.aead import DecryptionError, open_value, seal_value
from homeward.people.models import Person

__all__ = ["add_attachment", "open_verified", "withdraw_attachment"]

CHUNK = 64 * 1024
SNIFF_BYTES = 8192  # what `filetype` reads to recognise a type
SPOOL_IN_MEMORY = 1024 * 1024
# Embedding and override marks (LRE…RLO, LRI…PDI): they can make "gpj.exe" read as "exe.jpg".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
}


@dataclass
class _Staged:
    path: Path
    sha256: str
    size: int
    head: bytes


def _root() -> Path:
    root = Path(settings.HOMEWARD_ATTACHMENTS_DIR)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _stage(upload) -> _Staged:
    """Copy the upload into a private temporary file, hashing and counting as it goes.

    Stops as soon as the limit is passed, so an oversized file is never fully copied.
    """
    limit = settings.HOMEWARD_ATTACHMENT_MAX_BYTES
    fd, name = tempfile.mkstemp(prefix=".incoming-", dir=_root())
    path = Path(name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    break
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _Staged(path=path, sha256=digest.hexdigest(), size=size, head=head)


def detect_type(head: bytes) -> str | None:
    """The MIME type recognised from the first bytes, whatever the file is called."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def _check_content(staged: _Staged, filename: str) -> str:
    """The detected, accepted MIME type; or a ValidationError on `file` saying what is wrong."""
    limit = settings.HOMEWARD_ATTACHMENT_MAX_BYTES
    if staged.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    if staged.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    detected = detect_type(staged.head)
    if detected not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF documents and JPEG, PNG or TIFF images are accepted; "
                    "this file's content is none of them."
                )
            },
            code="type",
        )
    extension = Path(filename).suffix.lower().lstrip(".")
    if extension and extension not in ALLOWED_TYPES[detected][1]:
        raise ValidationError(
            {
                "file": _(
                    "The file is named “.%(extension)s” but its content is a %(type)s file. "
                    "Check that you chose the right file."
                )
                % {"extension": extension, "type": TYPE_NAMES[detected]}
            },
            code="mismatch",
        )
    return detected


HTML_MARKERS = (b"<html", b"<script", b"<body", b"<!doctype", b"<iframe", b"<svg")
FILE_TABLE = "attachments_attachment"


def _refuse(message, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _check_filename(filename: str) -> None:
    """Names carrying a path, a NUL or control character, or a direction override are refused.

    Browsers send base names only; anything else is a crafted request.
    """
    bad = (
        "/" in filename
        or "\\" in filename
        or ".." in filename
        or any(not ch.isprintable() or ch in BIDI_CONTROLS for ch in filename)
    )
    if bad:
        raise _refuse(
            _("The file name contains a path or hidden characters; rename the file."), "filename"
        )


def _check_polyglot(path: Path, content_type: str) -> None:
    """A PDF that is also an HTML page (or hides a script) is refused."""
    if content_type != "application/pdf":
        return
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES).lower()
    if any(marker in head for marker in HTML_MARKERS):
        raise _refuse(_("This PDF also contains web page code and is refused."), "polyglot")


def _strip_image(staged: _Staged, content_type: str) -> _Staged:
    """Images: refuse pixel floods; JPEG and PNG are rewritten without any metadata."""
    if not content_type.startswith("image/"):
        return staged
    limit = settings.HOMEWARD_MAX_IMAGE_PIXELS
    too_large = _("The image has more than %(limit)s pixels and is refused.") % {"limit": limit}
    try:
        with Image.open(staged.path) as image:
            if image.width * image.height > limit:
                raise _refuse(too_large, "pixels")
            if content_type not in ("image/jpeg", "image/png"):
                return staged
            image.load()
            out = io.BytesIO()
            if content_type == "image/jpeg":
                upright = ImageOps.exif_transpose(image)
                upright.save(out, format="JPEG", quality=95, exif=b"")
            else:
                clean = image.copy()
                clean.info = {}
                clean.save(out, format="PNG")
    except Image.DecompressionBombError:
        raise _refuse(too_large, "pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(_("The image is damaged and cannot be read."), "damaged") from None
    data = out.getvalue()
    with open(staged.path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return _Staged(
        path=staged.path,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        head=data[:SNIFF_BYTES],
    )


def _scan(path: Path, *, filename: str, content_type: str) -> None:
    """Call the configured scanner; any exception from it refuses the file (fails closed)."""
    dotted = settings.HOMEWARD_UPLOAD_SCANNER
    if not dotted:
        return
    try:
        import_string(dotted)(path, filename=filename, content_type=content_type)
    except Exception:  # noqa: BLE001 - whatever went wrong, the file is not accepted
        raise _refuse(
            _("The file could not be cleared by the virus scanner and was refused."), "scan"
        ) from None


def _write_sealed(staged: _Staged, final: Path, storage_key: str) -> None:
    """Store the sealed bytes at `final` (via a private temporary file and a rename)."""
    sealed = seal_value(
        staged.path.read_bytes(),
        table=FILE_TABLE,
        column="file",
        row_id=storage_key,
        purpose="file",
    )
    fd, name = tempfile.mkstemp(prefix=".sealing-", dir=final.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(sealed)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, 0o600)
        os.replace(name, final)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def read_clear(attachment: Attachment) -> bytes:
    """The clear bytes of a stored file (DecryptionError if they were tampered with)."""
    return open_value(
        attachment.path.read_bytes(),
        table=FILE_TABLE,
        column="file",
        row_id=attachment.storage_key,
    )


def _check_may_add(person: Person, *, actor, kind: str) -> None:
    """Capability and scope, checked again here: adapters are not the only callers."""
    allowed = addable_kinds(actor)
    if not allowed:
        raise PermissionDenied
    if not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise PermissionDenied
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose a kind of document.")})
    if kind not in allowed:
        raise ValidationError({"kind": _("You cannot attach this kind of document.")})


def _duplicate_error(existing: Attachment) -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "This file is already attached to this person as “%(title)s” "
                "(%(kind)s, uploaded %(date)s)."
            )
            % {
                "title": existing.title,
                "kind": existing.get_kind_display(),
                "date": date_format(timezone.localtime(existing.uploaded_at), "DATE_FORMAT"),
            }
        },
        code="duplicate",
    )


def _safe_display_name(filename: str) -> str:
    """The uploader's file name for display: base name only, no control characters."""
    base = Path(filename.replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable() and ch not in BIDI_CONTROLS)[:255]


def add_attachment(
    person: Person,
    *,
    actor,
    upload,
    kind: str,
    title: str,
    language: str = "",
    document=None,
    sensitive: bool = False,
) -> Attachment:
    """Attach an uploaded file to `person`, checked by content, hashed, stored privately.

    `upload` is a Django UploadedFile (or any File with `chunks()` and a `name`).
    `document` is the record the file is evidence for, if any. `sensitive` raises the
    document to L4; DNA reports, medical records and photos are L4 regardless. Raises
    ValidationError keyed by field (file, kind, title, language), PermissionDenied when
    the actor may not attach this to this person.
    """
    _check_may_add(person, actor=actor, kind=kind)
    filename = getattr(upload, "name", "") or ""
    _check_filename(filename)
    staged = _stage(upload)
    final: Path | None = None
    try:
        content_type = _check_content(staged, filename)
        _check_polyglot(staged.path, content_type)
        staged = _strip_image(staged, content_type)
        _scan(staged.path, filename=filename, content_type=content_type)
        attachment = Attachment(
            person=person,
            kind=kind,
            title=(title or "").strip(),
            language=language or "",
            original_filename=_safe_display_name(filename),
            content_type=content_type,
            size=staged.size,
            sha256=staged.sha256,
            storage_key=secrets.token_hex(16),
            sensitivity=(
                Sensitivity.HIGHLY_SENSITIVE
                if sensitive or kind in HIGHLY_SENSITIVE_KINDS
                else Sensitivity.PERSONAL
            ),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        if document is not None:
            attachment.document = document
        # the unique constraint is checked (with a better message) inside the transaction
        attachment.full_clean(validate_constraints=False)
        final = storage_path(attachment.storage_key)
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_sealed(staged, final, attachment.storage_key)
        return _commit_added(attachment, actor=actor)
    except BaseException:
        if final is not None:
            final.unlink(missing_ok=True)
        raise
    finally:
        staged.path.unlink(missing_ok=True)


def _commit_added(attachment: Attachment, *, actor) -> Attachment:
    """The row and its audit event, together or not at all."""
    try:
        with transaction.atomic(durable=True):
            existing = Attachment.objects.filter(
                person=attachment.person, sha256=attachment.sha256, is_withdrawn=False
            ).first()
            if existing is not None:
                raise _duplicate_error(existing)
            attachment.save(force_insert=True)
            record_event(
                events.ATTACHMENT_ADDED,
                actor=actor,
                target=attachment,
                data={
                    "kind": attachment.kind,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "sensitivity": attachment.sensitivity,
                    "document": _document_ref(attachment),
                },
            )
            if not Attachment.objects.for_user(actor, "view").filter(pk=attachment.pk).exists():
                raise OutOfScopeError()
    except IntegrityError:
        # Two identical uploads raced past the check above; the unique constraint decided.
        existing = Attachment.objects.filter(
            person=attachment.person, sha256=attachment.sha256, is_withdrawn=False
        ).first()
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return attachment


def _document_ref(attachment: Attachment) -> str:
    if not attachment.document_type_id:
        return ""
    kind = attachment.document_type
    return f"{kind.app_label}.{kind.model}:{attachment.document_id}"


@transaction.atomic(durable=True)
def withdraw_attachment(attachment: Attachment, *, actor, reason: str) -> Attachment:
    """Take a document off the record (wrong person, superseded, illegible), keeping the file.

    Withdrawn documents disappear from the lists of those who cannot withdraw, and are no
    longer downloadable by them; the same file may then be attached again.
    """
    if not actor.has_capability(cap.WITHDRAW_ATTACHMENT):
        raise PermissionDenied
    if not Attachment.objects.for_user(actor, "withdraw").filter(pk=attachment.pk).exists():
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if not can_withdraw(actor, locked):
        raise ValidationError({"reason": _("This document has already been withdrawn.")})
    now = timezone.now()
    Attachment.objects.filter(pk=locked.pk).update(
        is_withdrawn=True, withdrawn_by=actor, withdrawn_at=now, withdrawal_reason=reason
    )
    locked.refresh_from_db()
    record_event(
        events.ATTACHMENT_WITHDRAWN,
        actor=actor,
        target=locked,
        data={"kind": locked.kind, "sha256": locked.sha256, "reason": reason},
    )
    return locked


def open_verified(attachment: Attachment, *, actor):
    """The stored bytes, checked against the upload's hash, as an open file; the read audited.

    The bytes are copied while hashing into a private spooled file and that copy is what is
    served, so what the user receives is exactly what was verified, even if the stored file
    changes during the download. A mismatch or a missing file writes INTEGRITY_FAILED and
    raises IntegrityFailure; nothing is served. The caller must already have found
    `attachment` through the scoped queryset.
    """
    if not can_download(actor, attachment):
        raise PermissionDenied
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=_root())  # noqa: SIM115
    digest, size, problem = hashlib.sha256(), 0, ""
    try:
        clear = read_clear(attachment)
        digest.update(clear)
        size = len(clear)
        copy.write(clear)
        del clear
    except FileNotFoundError:
        problem = "missing"
    except OSError:
        problem = "unreadable"
    except DecryptionError:
        problem = "undecryptable"
    if not problem and (digest.hexdigest() != attachment.sha256 or size != attachment.size):
        problem = "hash_mismatch"
    if problem:
        copy.close()
        with transaction.atomic(durable=True):
            record_event(
                events.INTEGRITY_FAILED,
                actor=actor,
                target=attachment,
                data={
                    "problem": problem,
                    "expected_sha256": attachment.sha256,
                    "found_sha256": (digest.hexdigest() if problem == "hash_mismatch" else ""),
                    "expected_size": attachment.size,
                    "found_size": size,
                },
            )
        raise IntegrityFailure()
    try:
        with transaction.atomic(durable=True):
            record_event(
                events.ATTACHMENT_DOWNLOADED,
                actor=actor,
                target=attachment,
                data={"kind": attachment.kind, "sha256": attachment.sha256, "size": size},
            )
    except BaseException:
        copy.close()
        raise
    copy.seek(0)
    return copy
