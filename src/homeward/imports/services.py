"""Import use cases: upload a file, dry-run it row by row, commit it all or nothing.

- `create_batch` keeps the original file, sealed at rest (AES-GCM, like attachments), and
  writes the batch row with its audit event. The file is written first and removed if the
  row cannot be, so a row always has its file.
- `analyse_batch` is the dry run. It writes nothing outside the batch's own report: each
  row's values, action, errors and look-alikes are staged as ImportRow in chunks, each chunk
  its own transaction, so a dry run that was stopped resumes after its last chunk.
- `commit_batch` promotes the staged rows in ONE durable transaction, through the apps' own
  services (their non-durable `_verb_noun` steps), linking every created object to its row.
  Each chunk of COMMIT_CHUNK rows first reads what its rows look up (`Kind.prefetch`), then
  stages each row (validated at once, so an error names its row); kinds that write many rows
  write the chunk in bulk (people.services.BulkRegistration for children and Primero cases,
  BulkCustody for custody moves: one INSERT per table through core.bulk, the per-record
  audit events appended to the chain in one batch); see bench/imports for the throughput.
  On SQLite the commit runs with a page cache of COMMIT_PAGE_CACHE_MIB (core.bulk.page_cache):
  with SQLite's 2 MiB the transaction spilled index pages to the write-ahead log and read them
  back, so each chunk cost more than the one before (issue 9); its statement journals are
  kept in memory (core.bulk.journals_in_memory), not written. The garbage collector runs
  once per chunk (core.bulk.collecting_per_chunk), not whenever a chunk's objects pile up.
  Any error, or a killed process, rolls back everything: the batch is then FAILED (or still
  COMMITTING, and `homeward run_imports` retries it). Progress during the commit cannot be
  read from inside the transaction, so it is written to a small file beside the original.
- `dry_run` is the CLI's `--dry-run`: the same checks, in memory, writing nothing at all.
"""

import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from homeward.audit.services import record_event
from homeward.core.bulk import (
    collecting_per_chunk,
    insert,
    insert_rows,
    journals_in_memory,
    page_cache,
)
from homeward.core.exceptions import OutOfScopeError
from homeward.crypto.aead import open_value, seal_value
from homeward.imports import events
from homeward.imports.choices import BatchStatus, RowAction
from homeward.imports.dates import vote
from homeward.imports.kinds import KINDS, Context, Kind, RowResult, importable_kinds
from homeward.imports.models import ImportBatch, ImportedRecord, ImportRow, imports_dir
from homeward.imports.reading import FileError, Table, formula_cells, max_bytes, read_table
from homeward.imports.reasons import reason
from homeward.people.models import pinned_today

__all__ = [
    "Report",
    "analyse_batch",
    "commit_batch",
    "commit_progress",
    "create_batch",
    "download_original",
    "dry_run",
    "queue_commit",
    "read_original",
    "record_report_read",
    "set_batch_options",
]

FILE_TABLE = "imports_importbatch"
CHUNK = 500
COMMIT_CHUNK = 2000  # rows staged before a bulk write: fewer statements, bounded memory
COMMIT_PAGE_CACHE_MIB = 512  # SQLite: a 100,000-row commit's indexes (~330 MB) stay cached
ProgressCallback = Callable[[int, int], None] | None


# -- the original file ------------------------------------------------------------------------


def _write_sealed(data: bytes, storage_key: str) -> Path:
    final = imports_dir() / storage_key[:2] / storage_key
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    sealed = seal_value(data, table=FILE_TABLE, column="file", row_id=storage_key, purpose="file")
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
    return final


def read_original(batch: ImportBatch) -> bytes:
    """The clear bytes of the uploaded file (DecryptionError if tampered with)."""
    return open_value(
        batch.path.read_bytes(), table=FILE_TABLE, column="file", row_id=batch.storage_key
    )


@transaction.atomic(durable=True)
def download_original(batch: ImportBatch, *, actor) -> bytes:
    """The original file for a user who sees the batch; every download is audited."""
    if not ImportBatch.objects.for_user(actor, "view").filter(pk=batch.pk).exists():
        raise OutOfScopeError()
    record_event(
        events.BATCH_FILE_DOWNLOADED,
        actor=actor,
        target=batch,
        data={"filename": batch.filename, "sha256": batch.sha256},
    )
    return read_original(batch)


@transaction.atomic(durable=True)
def record_report_read(batch: ImportBatch, *, actor, numbers: list[int], query: dict) -> None:
    """Audit a read of the dry-run report: its rows hold the file's names and dates, personal
    data like a child's record. The row numbers shown are kept (up to the list limit)."""
    limit = settings.HOMEWARD_AUDIT_LIST_ID_LIMIT
    record_event(
        events.BATCH_REPORT_VIEWED,
        actor=actor,
        target=batch,
        data={"query": query, "rows": numbers[:limit], "total": len(numbers)},
    )


def _progress_path(batch: ImportBatch) -> Path:
    return imports_dir() / "progress" / str(batch.pk)


def _write_progress(batch: ImportBatch, done: int, total: int) -> None:
    path = _progress_path(batch)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(f"{done} {total}")


def commit_progress(batch: ImportBatch) -> int:
    """Rows committed so far by a running commit (0 when none is running)."""
    try:
        return int(_progress_path(batch).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


# -- checking rows ----------------------------------------------------------------------------


def _kind_for(actor, code: str) -> Kind:
    kind = KINDS.get(code)
    if kind is None:
        raise ValidationError({"kind": _("Unknown kind of import.")})
    if kind not in importable_kinds(actor):
        raise PermissionDenied
    return kind


def _mission_state(actor):
    agency = getattr(actor, "agency", None)
    return agency.country if agency is not None and agency.is_mission else None


@dataclass
class Prepared:
    table: Table
    mapping: dict[str, int]
    unmapped: list[str]
    order: str | None
    file_errors: list[dict] = field(default_factory=list)


def _prepare(kind: Kind, data: bytes, *, encoding: str, date_order: str) -> Prepared:
    """Read the file, map its headers, settle the date order (FileError for the whole file)."""
    table = read_table(data, encoding=encoding or None)
    mapping, unmapped, missing = kind.map_headers(table.headers)
    if missing:
        columns = {column.key: column for column in kind.columns}
        with translation.override(None):  # the headers a file may carry: English and Arabic
            names = ", ".join(f"{columns[key].en} / {columns[key].ar}" for key in missing)
        raise FileError(gettext_noop("Required columns are missing: %(columns)s."), columns=names)
    if table.rows and kind.is_second_header(table.rows[0][1], mapping):
        table.rows.pop(0)
    ballot = vote(
        text for _number, cells in table.rows for text in kind.date_texts(_cells(cells, mapping))
    )
    order = date_order or ballot.order()
    return Prepared(table=table, mapping=mapping, unmapped=unmapped, order=order)


def _cells(cells: list[str], mapping: dict[str, int]) -> dict[str, str]:
    return {key: (cells[i] if i < len(cells) else "") or "" for key, i in mapping.items()}


def _check_rows(
    kind: Kind, prepared: Prepared, ctx: Context, *, start: int = 0
) -> Iterator[tuple[int, dict, RowResult]]:
    for index, (number, raw) in enumerate(prepared.table.rows):
        ctx.skip_duplicates = index < start
        refused = formula_cells(raw)
        cells = _cells(raw, prepared.mapping)
        result = kind.check(number, cells, ctx)
        for i in refused:
            header = prepared.table.headers[i] if i < len(prepared.table.headers) else str(i + 1)
            result.error(
                header,
                gettext_noop("A cell starting with =, +, -, @, a tab or a line break is "
                             "refused (spreadsheet formula)."),
            )  # fmt: skip
        if result.rejected:
            result.action = RowAction.REJECT
            result.duplicates = []
        yield index, cells, result


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- use cases --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def _save_batch(batch: ImportBatch, *, actor) -> ImportBatch:
    batch.full_clean()
    batch.save(force_insert=True)
    record_event(
        events.BATCH_UPLOADED,
        actor=actor,
        target=batch,
        data={"kind": batch.kind, "filename": batch.filename, "size": batch.size,
              "sha256": batch.sha256},
    )  # fmt: skip
    return batch


def create_batch(
    *, actor, kind: str, filename: str, data: bytes, encoding: str = "", date_order: str = ""
) -> ImportBatch:
    """Keep the uploaded file (sealed) and open its batch; the dry run comes next."""
    _kind_for(actor, kind)
    if _mission_state(actor) is None and actor.home_state_scope() is not None:
        # a registry-wide import is seen by users who see every home state only: its
        # uploader could never read the report nor commit it
        raise ValidationError(
            {"kind": _("Registry-wide imports are for users who see every home state; this "
                       "one would be hidden from you once uploaded. Ask an administrator.")}
        )  # fmt: skip
    if len(data) > max_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s MB.") % {"limit": max_bytes() // 2**20}}
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    storage_key = secrets.token_hex(16)
    path = _write_sealed(data, storage_key)
    batch = ImportBatch(
        kind=kind,
        created_by=actor,
        home_state=_mission_state(actor),
        language=translation.get_language() or "",
        filename=os.path.basename(filename or "import")[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage_key,
        encoding_override=encoding,
        date_order_override=date_order,
    )
    try:
        return _save_batch(batch, actor=actor)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@transaction.atomic(durable=True)
def set_batch_options(batch: ImportBatch, *, actor, encoding: str = "", date_order: str = ""):
    """Re-run the dry run with the encoding or day/month order the user chose."""
    _kind_for(actor, batch.kind)
    current = ImportBatch.objects.for_user(actor, "add").select_for_update().get(pk=batch.pk)
    if current.status in (BatchStatus.COMMITTED, BatchStatus.COMMITTING):
        raise ValidationError({"status": _("This import was already committed.")})
    current.rows.all().delete()
    current.encoding_override, current.date_order_override = encoding, date_order
    current.status, current.analysed_rows = BatchStatus.UPLOADED, 0
    current.rejected_rows = current.duplicate_rows = 0
    current.file_errors = []
    current.save()
    return current


def _update(batch: ImportBatch, **values) -> None:
    for name, value in values.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(**values)


def _finish_analysis(batch: ImportBatch, status: str) -> ImportBatch:
    with transaction.atomic(durable=True):
        _update(batch, status=status)
        record_event(
            events.BATCH_ANALYSED,
            actor=batch.created_by,
            target=batch,
            data={"status": status, "rows": batch.total_rows, "rejected": batch.rejected_rows,
                  "duplicates": batch.duplicate_rows, "file_errors": batch.file_errors,
                  "encoding": batch.encoding, "date_order": batch.date_order},
        )  # fmt: skip
    return batch


def analyse_batch(batch: ImportBatch, *, progress: ProgressCallback = None) -> ImportBatch:
    """The dry run of a batch (see `_analyse`) in the uploader's language, in which a cell
    may name a choice; its reasons are stored unworded (imports.reasons)."""
    with translation.override(batch.language or None), collecting_per_chunk() as collect:
        return _analyse(batch, progress=progress, collect=collect)


def _analyse(
    batch: ImportBatch, *, progress: ProgressCallback = None, collect: Callable[[], None]
) -> ImportBatch:
    """The dry run of a batch, staged row by row; resumes after the rows already staged.

    Not one transaction on purpose: the report is the batch's own bookkeeping, written in
    chunks so that a long file shows progress and survives an interrupted run. Nothing
    outside the batch is written.
    """
    actor = batch.created_by
    kind = _kind_for(actor, batch.kind)
    _update(batch, status=BatchStatus.ANALYSING)
    try:
        prepared = _prepare(
            kind,
            read_original(batch),
            encoding=batch.encoding_override,
            date_order=batch.date_order_override,
        )
    except FileError as error:
        _update(batch, file_errors=[error.reason], total_rows=0)
        return _finish_analysis(batch, BatchStatus.REJECTED)
    total = len(prepared.table.rows)
    _update(
        batch,
        encoding=prepared.table.encoding,
        date_order=prepared.order or "",
        unmapped_columns=prepared.unmapped,
        total_rows=total,
        file_errors=[],
    )
    if prepared.order is None:
        return _finish_analysis(batch, BatchStatus.NEEDS_DATE_ORDER)
    start = ImportRow.objects.filter(batch=batch).count()
    ctx = Context(actor=actor, batch=batch, date_order=prepared.order, home_state=batch.home_state)
    staged: list[ImportRow] = []

    def flush(done: int) -> None:
        with transaction.atomic(durable=True):
            insert(ImportRow, staged)  # core.bulk: bulk_create's rows, less Python per row
            rejected = sum(1 for row in staged if row.action == RowAction.REJECT)
            looks_like = sum(1 for row in staged if row.duplicates)
            _update(
                batch,
                analysed_rows=done,
                rejected_rows=batch.rejected_rows + rejected,
                duplicate_rows=batch.duplicate_rows + looks_like,
            )
        staged.clear()
        collect()  # the chunk's garbage (core.bulk.collecting_per_chunk: the file's rows stay)
        if progress:
            progress(done, total)

    for index, cells, result in _check_rows(kind, prepared, ctx, start=start):
        if index < start:
            continue
        staged.append(
            ImportRow(
                batch=batch,
                number=prepared.table.rows[index][0],
                action=result.action,
                values=result.values,
                cells=cells,
                errors=result.errors,
                duplicates=result.duplicates,
            )
        )
        if len(staged) >= CHUNK:
            flush(index + 1)
    flush(total)
    status = BatchStatus.REJECTED if batch.rejected_rows else BatchStatus.READY
    if not total:
        _update(batch, file_errors=[reason(gettext_noop("The file has no data rows."))])
        status = BatchStatus.REJECTED
    return _finish_analysis(batch, status)


@transaction.atomic(durable=True)
def queue_commit(batch: ImportBatch, *, actor) -> ImportBatch:
    """Ask for the commit of a clean dry run (a worker or the CLI carries it out)."""
    _kind_for(actor, batch.kind)
    current = ImportBatch.objects.for_user(actor, "add").select_for_update().filter(pk=batch.pk)
    current = current.first()
    if current is None:
        raise OutOfScopeError()
    if current.status != BatchStatus.READY:
        raise ValidationError(
            {"status": _("Only an import whose dry run found no errors can be committed.")}
        )
    _update(current, status=BatchStatus.COMMIT_QUEUED, committed_by=actor)
    return current


def commit_batch(
    batch: ImportBatch, *, actor=None, progress: ProgressCallback = None
) -> ImportBatch:
    """Write every staged row, all or nothing; the batch says COMMITTED or FAILED and why."""
    with translation.override(batch.language or None):
        return _commit(batch, actor=actor, progress=progress)


def _commit(batch: ImportBatch, *, actor, progress: ProgressCallback) -> ImportBatch:
    actor = actor or batch.committed_by or batch.created_by
    kind = _kind_for(actor, batch.kind)
    if batch.status not in (BatchStatus.READY, BatchStatus.COMMIT_QUEUED, BatchStatus.COMMITTING):
        raise ValidationError(
            {"status": _("Only an import whose dry run found no errors can be committed.")}
        )
    if ImportRow.objects.filter(batch=batch, action=RowAction.REJECT).exists():
        raise ValidationError({"status": _("The dry run rejected rows; nothing is committed.")})
    _update(batch, status=BatchStatus.COMMITTING, committed_by=actor, failure="")
    total = batch.total_rows
    ctx = Context(
        actor=actor, batch=batch, date_order=batch.date_order, home_state=batch.home_state
    )
    source = _("Import %(id)s, row %(row)s")
    number = None
    try:
        with (
            page_cache(COMMIT_PAGE_CACHE_MIB),
            journals_in_memory(),
            collecting_per_chunk() as collect,
            transaction.atomic(durable=True),
        ):
            staged: list[tuple] = []  # (row, the objects it created)

            def flush() -> None:
                kind.flush(ctx)  # a bulk kind writes what it staged; then every pk is known
                links = [
                    (batch.pk, row.pk, obj._meta.label_lower, str(obj.pk))
                    for row, objects in staged
                    for obj in objects
                ]
                insert_rows(ImportedRecord, ["batch_id", "row_id", "model", "object_id"], links)
                staged.clear()

            # (pk, number, values) tuples, not model instances: the rows are only read
            rows = (
                ImportRow.objects.filter(batch=batch)
                .order_by("number")
                .values_list("pk", "number", "values", named=True)
            )
            done = 0
            for chunk in _chunks(rows.iterator(chunk_size=COMMIT_CHUNK), COMMIT_CHUNK):
                number = None  # a lookup or write of the chunk fails the chunk, not a row
                kind.prefetch([row.values for row in chunk], ctx)
                with pinned_today():  # the models' "not in the future" checks, per chunk
                    for row in chunk:
                        done += 1
                        number = row.number
                        label = source % {"id": batch.short_id, "row": row.number}
                        staged.append((row, kind.commit(row.values, ctx, source=label)))
                        if progress or done % 100 == 0 or done == total:
                            _write_progress(batch, done, total)
                        if progress:
                            progress(done, total)
                    number = None
                    flush()
                collect()  # what the chunk made and let go of (core.bulk.collecting_per_chunk)
            now = timezone.now()
            _update(batch, status=BatchStatus.COMMITTED, committed_rows=total, committed_at=now)
            record_event(
                events.BATCH_COMMITTED,
                actor=actor,
                target=batch,
                data={"kind": batch.kind, "rows": total, "filename": batch.filename,
                      "sha256": batch.sha256,
                      "records": ImportedRecord.objects.filter(batch=batch).count()},
            )  # fmt: skip
    except (
        ValidationError, PermissionDenied, OutOfScopeError, ValueError, IntegrityError,
        ObjectDoesNotExist,
    ) as error:  # fmt: skip
        reason = _failure_text(error)
        if number is None:
            message = _("The import could not be written: %(reason)s") % {"reason": reason}
        else:
            message = _("Row %(row)s: %(reason)s") % {"row": number, "reason": reason}
        with transaction.atomic(durable=True):
            _update(batch, status=BatchStatus.FAILED, failure=message, committed_rows=0)
            record_event(
                events.BATCH_COMMIT_FAILED,
                actor=actor,
                target=batch,
                data={"kind": batch.kind, "row": number, "reason": reason},
            )
    finally:
        _progress_path(batch).unlink(missing_ok=True)
    return batch


def _failure_text(error: Exception) -> str:
    if isinstance(error, IntegrityError):
        return _("a record clashes with one already registered (for example a case reference).")
    if isinstance(error, ObjectDoesNotExist):
        return _("a home state or facility named in the file no longer exists.")
    if isinstance(error, ValidationError):
        return "; ".join(str(message) for message in error.messages)
    if isinstance(error, OutOfScopeError):
        return _("A record named in this row is not visible to you.")
    if isinstance(error, PermissionDenied):
        return _("You may not record this.")
    return str(error)


# -- the CLI's dry run ------------------------------------------------------------------------


@dataclass
class Report:
    kind: str
    encoding: str = ""
    date_order: str | None = None
    unmapped: list[str] = field(default_factory=list)
    file_errors: list[dict] = field(default_factory=list)  # reasons (imports.reasons)
    rows: list[tuple[int, RowResult]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(1 for _number, result in self.rows if result.rejected)

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.date_order is not None and not self.rejected


def dry_run(
    kind: str,
    data: bytes,
    *,
    actor,
    encoding: str = "",
    date_order: str = "",
    progress: ProgressCallback = None,
) -> Report:
    """Every check of the import, in memory: nothing is written, not even a batch."""
    found = _kind_for(actor, kind)
    report = Report(kind=kind)
    try:
        prepared = _prepare(found, data, encoding=encoding, date_order=date_order)
    except FileError as error:
        report.file_errors.append(error.reason)
        return report
    report.encoding, report.date_order = prepared.table.encoding, prepared.order
    report.unmapped = prepared.unmapped
    if prepared.order is None:
        return report
    ctx = Context(actor=actor, date_order=prepared.order, home_state=_mission_state(actor))
    total = len(prepared.table.rows)
    for index, _cells_read, result in _check_rows(found, prepared, ctx):
        report.rows.append((prepared.table.rows[index][0], result))
        if progress and ((index + 1) % CHUNK == 0 or index + 1 == total):
            progress(index + 1, total)
    return report
