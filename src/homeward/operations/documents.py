"""Papers of a return operation: the manifest and the per-child handover record, as PDFs.

Both are WeasyPrint renderings of templates under `operations/` (like diplomacy/pack.py):
DejaVu Sans draws Arabic joined and right to left, and keeps the letters in the PDF's text
layer. A document is printed in one language chosen by the reader (Arabic or English), the
names always in every script they were recorded in. Printing is a disclosure of the
children's identities on paper, so each print is written to the audit trail by a service
here, with the ids of the persons it listed.
"""

import base64
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from homeward.attachments.choices import AttachmentKind
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import can_download
from homeward.audit.services import record_event
from homeward.evidence.models import TravelDocument
from homeward.operations.choices import EntryStatus
from homeward.operations.models import ManifestEntry, Operation
from homeward.operations.page_events import HANDOVER_RECORD_PRINTED, MANIFEST_PRINTED

__all__ = [
    "DOCUMENT_LANGUAGES",
    "ManifestRow",
    "handover_record",
    "manifest_rows",
    "record_handover_record_printed",
    "record_manifest_printed",
    "render_handover_record_pdf",
    "render_manifest_pdf",
]

# The languages a paper can be printed in: the host's and the lingua franca of the handover.
DOCUMENT_LANGUAGES = ("ar", "en")

ARABIC_LETTERS = ("\u0600", "\u06ff")


def _is_arabic(text: str) -> bool:
    return any(ARABIC_LETTERS[0] <= ch <= ARABIC_LETTERS[1] for ch in text)


def names_by_script(person) -> tuple[str, str]:
    """(the name in Arabic script, the name in another script), each the preferred one."""
    arabic = latin = ""
    for name in person.names.all():  # preferred first (PersonName.Meta.ordering)
        if name.script == "Arab" or (not name.script and _is_arabic(name.full_text)):
            arabic = arabic or name.full_text
        else:
            latin = latin or name.full_text
    return arabic, latin


@dataclass
class ManifestRow:
    """One person on the printed manifest."""

    number: int
    entry: ManifestEntry
    name_arabic: str
    name_latin: str
    sex: str
    age: int | None
    age_estimated: bool
    document_number: str
    document_valid_until: datetime.date | None
    document_valid_on_date: bool
    escort: str
    medical_needs: bool
    travels_with: str = ""
    members: list = field(default_factory=list)


def _latest_documents(case_ids) -> dict:
    """case id -> its travel document valid the longest."""
    found: dict = {}
    for document in TravelDocument.objects.filter(case__in=case_ids).order_by("valid_until"):
        found[document.case_id] = document
    return found


def manifest_rows(operation: Operation) -> list[ManifestRow]:
    """The persons still on the manifest, numbered: each child, then the adult with them.

    `operation` was fetched through the reader's scoped queryset; its entries are its own.
    Entries of children who did not board stay listed (the paper is signed for who flew and
    who did not); the caller chooses what to show.
    """
    entries = list(
        operation.entries.select_related("person", "case", "accompanies", "escort")
        .prefetch_related("person__names")
        .order_by("created_at")
    )
    day = operation.actual_date or operation.planned_date
    children = [entry for entry in entries if entry.case_id]
    adults_with: dict = {}
    for entry in entries:
        if entry.case_id is None and entry.accompanies_id:
            adults_with.setdefault(entry.accompanies_id, []).append(entry)
    documents = _latest_documents(
        [entry.case_id for entry in children]
        + [entry.accompanies_id for entry in entries if entry.accompanies_id]
    )
    ordered: list[ManifestEntry] = []
    placed: set = set()
    for child in children:
        ordered.append(child)
        for adult in adults_with.get(child.case_id, []):
            if adult.pk not in placed:
                ordered.append(adult)
                placed.add(adult.pk)
    ordered += [entry for entry in entries if entry.case_id is None and entry.pk not in placed]
    child_names = {entry.case_id: entry.person.display_name for entry in children}
    rows = []
    for number, entry in enumerate(ordered, start=1):
        arabic, latin = names_by_script(entry.person)
        document = documents.get(entry.case_id) if entry.case_id else None
        rows.append(
            ManifestRow(
                number=number,
                entry=entry,
                name_arabic=arabic,
                name_latin=latin,
                sex=entry.person.get_sex_display() if entry.person.sex else "",
                age=entry.person.age(day),
                age_estimated=entry.person.age_is_estimated,
                document_number=document.number if document else "",
                document_valid_until=document.valid_until if document else None,
                document_valid_on_date=bool(document and document.is_valid_on(day)),
                escort=entry.escort.name if entry.escort_id else "",
                medical_needs=bool(entry.medical_needs.strip()),
                travels_with=child_names.get(entry.accompanies_id, ""),
            )
        )
    return rows


def _photo_data_uri(user, person) -> str:
    """The child's current photo as a data: URI, only when `user` may download it."""
    from homeward.attachments.services import read_clear

    photo = (
        Attachment.objects.for_user(user, "view")
        .filter(person=person, kind=AttachmentKind.PHOTO, is_withdrawn=False)
        .order_by("-uploaded_at")
        .first()
    )
    if (
        photo is None
        or not can_download(user, photo)
        or not photo.content_type.startswith("image/")
    ):
        return ""
    data = read_clear(photo)
    return f"data:{photo.content_type};base64,{base64.b64encode(data).decode()}"


@dataclass
class HandoverRecord:
    """Everything the per-child handover paper shows."""

    entry: ManifestEntry
    operation: Operation
    name_arabic: str
    name_latin: str
    age: int | None
    photo: str
    item: object | None
    handover: object | None
    document: TravelDocument | None
    adults: list


def handover_record(entry: ManifestEntry, *, user) -> HandoverRecord:
    """The handover paper of one child's entry (entries of adults have none)."""
    operation = entry.operation
    day = operation.actual_date or operation.planned_date
    arabic, latin = names_by_script(entry.person)
    item = getattr(entry, "handover_item", None) if _has_related(entry, "handover_item") else None
    handover = getattr(operation, "handover", None) if _has_related(operation, "handover") else None
    adults = [
        names_by_script(adult.person)
        for adult in operation.entries.filter(accompanies=entry.case_id, case__isnull=True)
        .select_related("person")
        .prefetch_related("person__names")
    ]
    return HandoverRecord(
        entry=entry,
        operation=operation,
        name_arabic=arabic,
        name_latin=latin,
        age=entry.person.age(day),
        photo=_photo_data_uri(user, entry.person),
        item=item,
        handover=handover,
        document=_latest_documents([entry.case_id]).get(entry.case_id),
        adults=adults,
    )


def _has_related(obj, name: str) -> bool:
    """Whether a one-to-one (a handover, a handover item) has been recorded."""
    try:
        getattr(obj, name)
    except ObjectDoesNotExist:
        return False
    return True


def _render(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which pages never need

    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "printed_at": timezone.localtime(),
            },
        )
    return HTML(string=html).write_pdf()


def render_manifest_pdf(operation: Operation, rows: list[ManifestRow], *, language: str) -> bytes:
    """The manifest for signature, in `language` (Arabic right to left)."""
    boarded_or_planned = [row for row in rows if row.entry.status != EntryStatus.NOT_BOARDED]
    return _render(
        "operations/manifest_pdf.html",
        {
            "operation": operation,
            "rows": rows,
            "children": sum(1 for row in boarded_or_planned if row.entry.case_id),
            "adults": sum(1 for row in boarded_or_planned if not row.entry.case_id),
            "members": list(operation.members.all()),
        },
        language,
    )


def render_handover_record_pdf(record: HandoverRecord, *, language: str) -> bytes:
    """One child's handover record for signature, in `language`."""
    return _render("operations/handover_record_pdf.html", {"record": record}, language)


@transaction.atomic(durable=True)
def record_manifest_printed(operation: Operation, *, actor, language: str, rows) -> None:
    """Audit a print of the manifest: who printed which persons, in which language."""
    record_event(
        MANIFEST_PRINTED,
        actor=actor,
        target=operation,
        data={
            "language": language,
            "persons": [str(row.entry.person_id) for row in rows][
                : settings.HOMEWARD_AUDIT_LIST_ID_LIMIT
            ],
            "count": len(rows),
        },
    )


@transaction.atomic(durable=True)
def record_handover_record_printed(record: HandoverRecord, *, actor, language: str) -> None:
    """Audit a print of one child's handover record (with or without the photo)."""
    record_event(
        HANDOVER_RECORD_PRINTED,
        actor=actor,
        target=record.entry,
        data={"language": language, "photo": bool(record.photo)},
    )


# -- the manifest file for the receiving state (exports app, four-eyes) -----------------------


def manifest_entries_for_export(user, operation) -> list:
    """The entry ids of `operation` that `user` may see and that still travel, in order."""
    if operation is None:
        return []
    return list(
        ManifestEntry.objects.for_user(user, "view")
        .filter(operation=operation)
        .exclude(status=EntryStatus.NOT_BOARDED)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def manifest_export_rows(user, ids):
    """The manifest rows of the entries `ids` that `user` may still see, as {column: text}.

    The columns are exports.queries.COLUMNS["manifest"]: nothing sealed, nothing from Iraqi
    courts or security agencies.
    """
    from homeward.exports.queries import _birth

    visible = set(
        ManifestEntry.objects.for_user(user, "view").filter(pk__in=ids).values_list("pk", flat=True)
    )
    operations = {}
    for entry in ManifestEntry.objects.filter(pk__in=visible).select_related("operation"):
        operations.setdefault(entry.operation_id, entry.operation)
    for operation in operations.values():
        for row in manifest_rows(operation):
            entry = row.entry
            if entry.pk not in visible:
                continue
            yield {
                "number": row.number,
                "operation": operation.reference,
                "reference": entry.case.reference if entry.case_id else "",
                "name_arabic": row.name_arabic,
                "name_home_script": row.name_latin,
                "sex": str(row.sex),
                "birth": _birth(entry.person),
                "travel_document": row.document_number,
                "travel_document_valid_until": (
                    row.document_valid_until.isoformat() if row.document_valid_until else ""
                ),
                "travels_with": entry.accompanies.reference if entry.accompanies_id else "",
                "escort": row.escort,
                "medical_needs": str(_("yes")) if row.medical_needs else str(_("no")),
            }


def disclosed_cases(entry_ids) -> list:
    """The cases whose data a manifest file discloses: each child's, and the child an
    adult travels with."""
    from homeward.cases.models import Case

    rows = ManifestEntry.objects.filter(pk__in=entry_ids).values_list("case_id", "accompanies_id")
    case_ids = {case or accompanies for case, accompanies in rows}
    return list(Case.objects.filter(pk__in=case_ids).order_by("reference"))
