"""Write use cases of an export: request, approve or refuse, generate, link, download, end.

The file's life, step by step:

1. `request_export` fixes the rows (the ids the requester may see now, under the filters)
   and asks for a second person's approval when the export is larger than
   HOMEWARD_EXPORT_APPROVAL_THRESHOLD rows (default 0: every export with a row is approved
   by a second person).
2. `approve_export` / `reject_export`: a holder of `exports.approve_exportrequest` whose scope
   covers the export, never the requester. A conditional UPDATE decides: of two approvers
   acting at once, exactly one wins and the other gets ExportStateError.
3. `generate_export` (the requester): builds the file in memory from the rows still in the
   requester's scope, encrypts it with age (scrypt) under a one-time passphrase that is
   returned once and stored nowhere, and writes only the ciphertext, under a random name
   in the private exports directory. Returns the passphrase and a first download link.
4. `issue_download_link` / `consume_download_link`: a link is a random token (only its
   hash is stored), valid HOMEWARD_EXPORT_LINK_MINUTES (≤ 10) and good for one download.
5. `delete_export` (the requester) and `purge_expired_exports` (retention, after
   HOMEWARD_EXPORT_KEEP_DAYS) remove the file and end the export. The list's stored filters
   go with it: they can hold a name the requester searched for (the children list's `q`).

A name search is never written to the audit trail: the request's event records that one was
given (NAME_GIVEN), not its text.

Every step writes its audit event inside its own transaction.
"""

import datetime
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event, without_names
from homeward.core.scoping import home_state_scope
from homeward.exports import events, queries
from homeward.exports.choices import (
    FILE_STATES,
    OPEN_STATES,
    Dataset,
    ExportFormat,
    ExportState,
    PurposeCategory,
)
from homeward.exports.exceptions import ExportStateError, LinkGone
from homeward.exports.files import Watermark, render_csv, render_xlsx
from homeward.exports.lists import list_dataset
from homeward.exports.models import ExportDownloadLink, ExportRequest, export_path

__all__ = [
    "approve_export",
    "consume_download_link",
    "delete_export",
    "generate_export",
    "issue_download_link",
    "purge_expired_exports",
    "reject_export",
    "request_export",
]

PASSPHRASE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105  (no 0/o, 1/l/i)
PASSPHRASE_GROUPS, PASSPHRASE_GROUP_LENGTH = 5, 5  # 25 characters, about 124 bits
PURPOSE_MIN_LENGTH = 10


def new_passphrase() -> str:
    """A one-time passphrase a person can read out and type: five groups of five."""
    return "-".join(
        "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(PASSPHRASE_GROUP_LENGTH))
        for _ in range(PASSPHRASE_GROUPS)
    )


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- 1. request -----------------------------------------------------------------------------


def _check_manifest_request(actor, operation, errors: dict) -> None:
    """A manifest file goes to a receiving state: its maker records the disclosure."""
    from homeward.operations.models import Operation

    if not actor.has_capability(cap.ADD_DISCLOSURE):
        errors["dataset"] = [
            _("Only a user who records disclosures may export a manifest for a home state.")
        ]
    elif operation is None or not (
        Operation.objects.for_user(actor, "view").filter(pk=operation.pk).exists()
    ):
        errors["operation"] = [_("Choose the operation whose manifest you export.")]


# Filters that carry a name typed by the requester (the children list's search, G22); the
# audit trail keeps them as NAME_GIVEN (audit.services.without_names).
NAME_FILTERS = ("q",)


def _check_list_request(actor, dataset: str, filters, errors: dict) -> dict:
    """A list's export: the requester may open the list, and its filters are the list's.

    Returns the filters checked and normalised (as they are stored and audited).
    """
    spec = list_dataset(dataset)
    if not actor.has_capability(spec.capability):
        errors["dataset"] = [_("You cannot open this list, so you cannot export it.")]
        return {}
    if filters is not None and not isinstance(filters, dict):
        errors["filters"] = [_("The list's filters are not valid.")]
        return {}
    try:
        return spec.filters(actor, {str(k): str(v) for k, v in (filters or {}).items()})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return {}


def _check_request(
    *,
    actor,
    dataset,
    file_format,
    purpose_category,
    purpose,
    home_state,
    status,
    operation=None,
    filters=None,
) -> dict:
    from homeward.cases.choices import CaseStatus

    if not actor.has_capability(cap.REQUEST_EXPORT):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if dataset not in Dataset.values:
        errors["dataset"] = [_("Choose what to export.")]
    if file_format not in ExportFormat.values:
        errors["file_format"] = [_("Choose a file format.")]
    if purpose_category not in PurposeCategory.values:
        errors["purpose_category"] = [_("Choose the kind of purpose.")]
    if len((purpose or "").strip()) < PURPOSE_MIN_LENGTH:
        errors["purpose"] = [
            _("Say why you need this export (at least %(count)d characters).")
            % {"count": PURPOSE_MIN_LENGTH}
        ]
    if status and status not in CaseStatus.values:
        errors["status"] = [_("Choose a case status from the list.")]
    if (
        home_state is not None
        and not queries.exportable_home_states(actor).filter(pk=home_state.pk).exists()
    ):
        errors["home_state"] = [_("Choose one of the home states you work on.")]
    if dataset == Dataset.OPERATION_MANIFEST:
        _check_manifest_request(actor, operation, errors)
    checked = {}
    if dataset == Dataset.CHILDREN and filters:
        try:
            checked = queries.child_list_filters(
                actor, {str(k): str(v) for k, v in filters.items()}
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif list_dataset(dataset) is not None:
        if home_state is not None or status or operation is not None:
            errors["dataset"] = [_("A list's export takes the list's own filters.")]
        checked = _check_list_request(actor, dataset, filters, errors)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic(durable=True)
def request_export(
    *,
    actor,
    dataset: str,
    file_format: str,
    purpose_category: str,
    purpose: str,
    home_state=None,
    status: str = "",
    operation=None,
    filters: dict | None = None,
) -> ExportRequest:
    """Ask for an export of what `actor` may see, for a stated purpose.

    A list's export (exports/lists.py) takes the list's `filters` (its querystring) instead
    of a home state and status: the file holds the rows the list shows, on every page.
    The rows are fixed now. An export above the approval threshold waits for a second
    person; one at or below it is approved automatically (and says so in the audit trail).
    An operation's manifest (for the receiving state) always waits for a second person.
    """
    filters = _check_request(
        actor=actor,
        dataset=dataset,
        file_format=file_format,
        purpose_category=purpose_category,
        purpose=purpose,
        home_state=home_state,
        status=status,
        operation=operation,
        filters=filters,
    )
    manifest = dataset == Dataset.OPERATION_MANIFEST
    if manifest:
        home_state, status = operation.home_state, ""
    else:
        operation = None
    ids = queries.candidates(
        actor, dataset, home_state=home_state, status=status, operation=operation, filters=filters
    )
    scope = home_state_scope(actor)
    now = timezone.now()
    needs_approval = manifest or len(ids) > settings.HOMEWARD_EXPORT_APPROVAL_THRESHOLD
    export = ExportRequest.objects.create(
        requester=actor,
        requested_at=now,
        purpose_category=purpose_category,
        purpose=purpose.strip(),
        dataset=dataset,
        file_format=file_format,
        filter_home_state=home_state,
        filter_status=status or "",
        filter_operation=operation,
        filters=filters,
        all_home_states=home_state is None and scope is None,
        record_ids=ids,
        row_count=len(ids),
        needs_approval=needs_approval,
        state=ExportState.REQUESTED if needs_approval else ExportState.APPROVED,
        decided_at=None if needs_approval else now,
    )
    if home_state is not None:
        export.home_states.set([home_state.pk])
    elif scope is not None:
        export.home_states.set(sorted(scope))
    record_event(
        events.EXPORT_REQUESTED,
        actor=actor,
        target=export,
        data={
            "dataset": dataset,
            "format": file_format,
            "purpose_category": purpose_category,
            "purpose": export.purpose,
            "home_state": home_state.pk if home_state is not None else None,
            "status": status or None,
            "operation": operation.reference if operation is not None else None,
            "filters": without_names(filters, NAME_FILTERS),
            "rows": len(ids),
            "needs_approval": needs_approval,
        },
    )
    if not needs_approval:
        record_event(
            events.EXPORT_APPROVED,
            actor=actor,
            target=export,
            data={
                "automatic": True,
                "rows": len(ids),
                "threshold": settings.HOMEWARD_EXPORT_APPROVAL_THRESHOLD,
            },
        )
    return export


# -- 2. four-eyes decision ------------------------------------------------------------------


def _check_may_decide(export: ExportRequest, actor) -> None:
    """The approver holds the grant, covers the export's states, and is not the requester."""
    if not ExportRequest.objects.for_user(actor, "approve").filter(pk=export.pk).exists():
        raise PermissionDenied
    if export.requester_id == actor.pk:
        raise PermissionDenied(_("You cannot approve or refuse your own export."))


def _decide(export: ExportRequest, *, actor, state: str, note: str, event: str) -> ExportRequest:
    _check_may_decide(export, actor)
    now = timezone.now()
    # The conditional UPDATE is the lock: of two deciders, exactly one finds it REQUESTED.
    won = (
        ExportRequest.objects.filter(pk=export.pk, state=ExportState.REQUESTED)
        .exclude(requester=actor)
        .update(state=state, decided_by=actor, decided_at=now, decision_note=note)
    )
    if won != 1:
        raise ExportStateError
    export.refresh_from_db()
    record_event(
        event,
        actor=actor,
        target=export,
        data={"requester": export.requester.get_username(), "rows": export.row_count, "note": note},
    )
    return export


@transaction.atomic(durable=True)
def approve_export(export: ExportRequest, *, actor, note: str = "") -> ExportRequest:
    """Approve a requested export (four-eyes). Raises PermissionDenied, ExportStateError."""
    return _decide(
        export,
        actor=actor,
        state=ExportState.APPROVED,
        note=(note or "").strip(),
        event=events.EXPORT_APPROVED,
    )


@transaction.atomic(durable=True)
def reject_export(export: ExportRequest, *, actor, note: str) -> ExportRequest:
    """Refuse a requested export, saying why. Raises PermissionDenied, ExportStateError."""
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the export is refused.")]})
    return _decide(
        export,
        actor=actor,
        state=ExportState.REJECTED,
        note=note.strip(),
        event=events.EXPORT_REJECTED,
    )


# -- 3. the file ----------------------------------------------------------------------------


def _root() -> Path:
    root = Path(settings.HOMEWARD_EXPORTS_DIR)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def build_plaintext(export: ExportRequest, *, created: datetime.datetime) -> tuple[bytes, int]:
    """The file's bytes before encryption, and how many rows it holds."""
    columns = queries.columns(export.requester, export.dataset)
    header = [str(title) for _key, title in columns]
    records = [
        [row[key] for key, _title in columns]
        for row in queries.rows(export.requester, export.dataset, export.record_ids)
    ]
    mark = Watermark(
        export_id=str(export.pk),
        requester=export.requester.get_username(),
        created=created.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        dataset=export.get_dataset_display(),
    )
    render = render_xlsx if export.file_format == ExportFormat.XLSX else render_csv
    return render(header, records, mark), len(records)


def _write_private(data: bytes) -> tuple[str, Path]:
    """Write `data` under a fresh random name (0600, fsynced); return (key, path)."""
    key = secrets.token_hex(16)
    path = export_path(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return key, path


@dataclass(frozen=True)
class Prepared:
    """What the requester is shown once: the passphrase and the first link's token."""

    export: ExportRequest
    passphrase: str
    token: str
    expires_at: datetime.datetime


def _check_requester(export: ExportRequest, actor) -> None:
    if not actor.is_authenticated or export.requester_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked for this export can do this."))
    if not actor.has_capability(cap.REQUEST_EXPORT):
        raise PermissionDenied


def generate_export(export: ExportRequest, *, actor) -> Prepared:
    """Make the approved export's encrypted file; return the one-time passphrase and a link.

    The encryption (scrypt) is slow on purpose, so it runs before the transaction; the file
    is kept only if the export is still APPROVED when the row is updated, and removed if
    anything after the write fails.
    """
    _check_requester(export, actor)
    if export.state != ExportState.APPROVED:
        raise ExportStateError
    now = timezone.now()
    plaintext, written = build_plaintext(export, created=now)
    passphrase = new_passphrase()
    ciphertext = pyrage.passphrase.encrypt(plaintext, passphrase)
    del plaintext
    key, path = _write_private(ciphertext)
    try:
        with transaction.atomic(durable=True):
            won = ExportRequest.objects.filter(pk=export.pk, state=ExportState.APPROVED).update(
                state=ExportState.GENERATED,
                generated_at=now,
                storage_key=key,
                size=len(ciphertext),
                sha256=hashlib.sha256(ciphertext).hexdigest(),
            )
            if won != 1:
                raise ExportStateError
            export.refresh_from_db()
            shown = export.record_ids[: settings.HOMEWARD_AUDIT_LIST_ID_LIMIT]
            record_event(
                events.EXPORT_GENERATED,
                actor=actor,
                target=export,
                data={
                    "rows": written,
                    "rows_requested": export.row_count,
                    "ids": shown,
                    "sha256": export.sha256,
                    "size": export.size,
                },
            )
            if export.dataset == Dataset.OPERATION_MANIFEST:
                _record_manifest_disclosures(export, actor=actor)
            token, expires_at = _issue_link(export, actor=actor)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Prepared(export=export, passphrase=passphrase, token=token, expires_at=expires_at)


def _record_manifest_disclosures(export: ExportRequest, *, actor) -> None:
    """The manifest file goes to the receiving state: one disclosure per child it names,
    approved by the export's approver, in the transaction that keeps the file."""
    from homeward.disclosures.choices import DataCategory, LegalBasis, RecipientKind
    from homeward.disclosures.services import record_disclosure
    from homeward.operations.documents import disclosed_cases

    operation = export.filter_operation
    for case in disclosed_cases(export.record_ids):
        record_disclosure(
            case,
            actor=actor,
            approved_by=export.decided_by,
            recipient_kind=RecipientKind.EMBASSY,
            recipient=f"{operation.home_state.display_name} ({operation.reference})",
            recipient_state=operation.home_state,
            legal_basis=LegalBasis.PUBLIC_INTEREST,
            categories=[DataCategory.IDENTITY, DataCategory.CASE],
            purpose=export.purpose,
            legal_reference=operation.reference,
        )


# -- 4. links and downloads -----------------------------------------------------------------


def _issue_link(export: ExportRequest, *, actor) -> tuple[str, datetime.datetime]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = now + datetime.timedelta(minutes=settings.HOMEWARD_EXPORT_LINK_MINUTES)
    link = ExportDownloadLink.objects.create(
        export=export, token_hash=_hash_token(token), issued_at=now, expires_at=expires_at
    )
    record_event(
        events.EXPORT_LINK_ISSUED,
        actor=actor,
        target=export,
        data={"link": link.pk, "expires_at": expires_at},
    )
    return token, expires_at


@transaction.atomic(durable=True)
def issue_download_link(export: ExportRequest, *, actor) -> tuple[str, datetime.datetime]:
    """A new single-use link to the file (the requester only, while the file is kept)."""
    _check_requester(export, actor)
    locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
    if not locked.has_file:
        raise ExportStateError
    return _issue_link(locked, actor=actor)


def find_link(token: str, *, actor) -> ExportDownloadLink | None:
    """The link behind `token` if it belongs to `actor`'s own export; None otherwise."""
    if not token or len(token) > 100:
        return None
    link = (
        ExportDownloadLink.objects.select_related("export")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if link is None or link.export.requester_id != actor.pk:
        return None
    return link


def consume_download_link(link: ExportDownloadLink, *, actor) -> tuple[ExportRequest, bytes]:
    """Spend the link and return the encrypted bytes. Raises LinkGone if used or expired.

    The conditional UPDATE spends the link: of two requests with one link, exactly one gets
    the file. The bytes are read inside the transaction so that a failure leaves the link
    unspent.
    """
    _check_requester(link.export, actor)
    now = timezone.now()
    with transaction.atomic(durable=True):
        spent = ExportDownloadLink.objects.filter(
            pk=link.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if spent != 1:
            raise LinkGone
        export = ExportRequest.objects.select_for_update().get(pk=link.export_id)
        if not export.has_file:
            raise LinkGone
        data = export.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != export.sha256:
            raise LinkGone
        first = export.state == ExportState.GENERATED
        if first:
            ExportRequest.objects.filter(pk=export.pk).update(
                state=ExportState.DOWNLOADED, downloaded_at=now
            )
            export.refresh_from_db()
        record_event(
            events.EXPORT_DOWNLOADED,
            actor=actor,
            target=export,
            data={"link": link.pk, "first": first, "sha256": export.sha256},
        )
    return export, data


# -- 5. the end -----------------------------------------------------------------------------


def _end(export: ExportRequest, *, state: str, now) -> bool:
    """Remove the file and mark the export ended; False if it had ended already.

    The list's filters are cleared with the file: a name searched for must not outlive the
    export (what was asked stays in the request's audit event, the name as NAME_GIVEN).
    """
    locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
    if locked.state not in OPEN_STATES:
        return False
    if locked.storage_key:
        # The file goes first: if it cannot be removed, the transaction rolls back and the
        # export stays open for the next run, rather than claiming a deletion that did not happen.
        export_path(locked.storage_key).unlink(missing_ok=True)
    ExportRequest.objects.filter(pk=locked.pk).update(
        state=state, storage_key="", ended_at=now, filters={}
    )
    ExportDownloadLink.objects.filter(export=locked, used_at__isnull=True).update(expires_at=now)
    return True


@transaction.atomic(durable=True)
def delete_export(export: ExportRequest, *, actor) -> ExportRequest:
    """The requester ends an export now: the file is deleted, open links die."""
    _check_requester(export, actor)
    previous = export.state
    if not _end(export, state=ExportState.DELETED, now=timezone.now()):
        raise ExportStateError
    export.refresh_from_db()
    record_event(
        events.EXPORT_DELETED, actor=actor, target=export, data={"previous_state": previous}
    )
    return export


def purge_expired_exports(now: datetime.datetime | None = None) -> list[str]:
    """End every open export older than HOMEWARD_EXPORT_KEEP_DAYS; return their ids.

    Then clear the list filters still held by ended ones (see `_clear_ended_filters`).

    Age counts from the file's making, or from the request for one never made. One
    transaction and one audit event (ids only) per export, so a failure stops at one export
    and the next run resumes.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.HOMEWARD_EXPORT_KEEP_DAYS)
    due = (
        ExportRequest.objects.filter(state__in=OPEN_STATES)
        .annotate(since=Coalesce("generated_at", "requested_at"))
        .filter(Q(since__lt=cutoff))
        .order_by("since")
    )
    purged = []
    for export in due:
        with transaction.atomic(durable=True):
            previous = export.state
            if not _end(export, state=ExportState.EXPIRED, now=now):
                continue
            record_event(
                events.EXPORT_EXPIRED,
                actor=None,
                actor_username="system",
                target=export,
                data={"previous_state": previous, "had_file": previous in FILE_STATES},
            )
        purged.append(str(export.pk))
    _clear_ended_filters(cutoff)
    return purged


def _clear_ended_filters(cutoff: datetime.datetime) -> None:
    """Clear the list filters that ended exports still hold: a refused export once as old as
    an expired one, and any export that ended before its end cleared them. One transaction
    and one audit event (ids only) per export."""
    kept = (
        ExportRequest.objects.exclude(state__in=OPEN_STATES)
        .exclude(filters={})
        .annotate(since=Coalesce("decided_at", "requested_at"))
        .filter(~Q(state=ExportState.REJECTED) | Q(since__lt=cutoff))
        .order_by("requested_at")
    )
    for export in kept:
        with transaction.atomic(durable=True):
            cleared = (
                ExportRequest.objects.filter(pk=export.pk)
                .exclude(state__in=OPEN_STATES)
                .update(filters={})
            )
            if cleared:
                record_event(
                    events.EXPORT_FILTERS_CLEARED,
                    actor=None,
                    actor_username="system",
                    target=export,
                    data={"state": export.state},
                )
