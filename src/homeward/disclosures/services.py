"""Writing the disclosure log. `record_disclosure` is the one way in, for people and code.

Where the system itself discloses (an export made for an embassy, a meeting pack), the
exporting service calls `record_disclosure` inside its own transaction: the function is
atomic but not durable, so the log row, its audit event and the export commit together.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities
from homeward.attachments.models import Attachment
from homeward.audit.services import record_event
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError
from homeward.disclosures import events
from homeward.disclosures.choices import RecipientKind
from homeward.disclosures.models import Disclosure

__all__ = ["record_case_file_export", "record_disclosure"]


def _subject(case):
    """(model of the case, the person it is about): a child's Case or an AdultCase."""
    if isinstance(case, Case):
        return Case, case.child_id
    return type(case), case.person_id


def _check_approver(approver, case, actor) -> None:
    if approver is None or not approver.is_active:
        raise ValidationError({"approved_by": _("Name the user who approved the disclosure.")})
    if approver.pk == actor.pk:
        raise ValidationError(
            {"approved_by": _("A disclosure is approved by someone else than its recorder.")}
        )
    model, _person = _subject(case)
    visible = model.objects.for_user(approver, "view").filter(pk=case.pk).exists()
    if not approver.has_capability(capabilities.APPROVE_DISCLOSURE) or not visible:
        raise ValidationError(
            {"approved_by": _("This user may not approve disclosures about this child.")}
        )


@transaction.atomic
def record_disclosure(
    case,
    *,
    actor,
    approved_by,
    recipient_kind: str,
    recipient: str = "",
    legal_basis: str,
    categories: Iterable[str],
    purpose: str,
    disclosed_on: datetime.date | None = None,
    recipient_state=None,
    recipient_agency=None,
    legal_reference: str = "",
    documents: Iterable[Attachment] = (),
) -> Disclosure:
    """Record that `case`'s child's data went to `recipient`, and audit it.

    `case` is a child's Case or an adult's AdultCase (adults.models): an adult's data is
    logged on her adult case, scoped by its home state.

    The recipient is an Agency (`recipient_agency`; its name and country fill `recipient`
    and `recipient_state`) or a body named in free text (`recipient`). `actor` records
    (needs `disclosures.add_disclosure` and the case in scope: else PermissionDenied /
    OutOfScopeError); `approved_by` is another active user holding
    `disclosures.approve_disclosure` with the case in scope (else ValidationError). Every
    document must be one of the child's attachments. Nothing is written on any error.
    """
    if not actor.has_capability(capabilities.ADD_DISCLOSURE):
        raise PermissionDenied
    return _log_disclosure(
        case,
        actor=actor,
        approved_by=approved_by,
        recipient_kind=recipient_kind,
        recipient=recipient,
        legal_basis=legal_basis,
        categories=categories,
        purpose=purpose,
        disclosed_on=disclosed_on,
        recipient_state=recipient_state,
        recipient_agency=recipient_agency,
        legal_reference=legal_reference,
        documents=documents,
    )


def _log_disclosure(
    case,
    *,
    actor,
    approved_by,
    recipient_kind: str,
    recipient: str = "",
    legal_basis: str,
    categories: Iterable[str],
    purpose: str,
    disclosed_on: datetime.date | None = None,
    recipient_state=None,
    recipient_agency=None,
    legal_reference: str = "",
    documents: Iterable[Attachment] = (),
) -> Disclosure:
    """`record_disclosure` after its capability check: the case export logs through it too."""
    model, person_id = _subject(case)
    if not model.objects.for_user(actor, "view").filter(pk=case.pk).exists():
        raise OutOfScopeError()
    _check_approver(approved_by, case, actor)
    if recipient_agency is not None:
        recipient = recipient or recipient_agency.name
        recipient_state = recipient_state or recipient_agency.country
    documents = list(documents)
    if any(document.person_id != person_id for document in documents):
        raise ValidationError({"documents": _("Only this child's documents can be listed.")})
    disclosure = Disclosure(
        case=case if model is Case else None,
        adult_case=None if model is Case else case,
        recipient_kind=recipient_kind,
        recipient=recipient.strip(),
        recipient_agency=recipient_agency,
        recipient_state=recipient_state,
        categories=sorted(set(categories)),
        purpose=purpose.strip(),
        legal_basis=legal_basis,
        legal_reference=legal_reference.strip(),
        disclosed_on=disclosed_on or timezone.localdate(),
        recorded_by=actor,
        approved_by=approved_by,
    )
    disclosure.full_clean()
    disclosure.save(force_insert=True)
    disclosure.documents.set(documents)
    record_event(
        events.DISCLOSURE_RECORDED,
        actor=actor,
        target=disclosure,
        data={
            "recipient_kind": disclosure.recipient_kind,
            "recipient_state": disclosure.recipient_state_id or "",
            "legal_basis": disclosure.legal_basis,
            "categories": disclosure.categories,
            "documents": sorted(str(document.pk) for document in documents),
            "approved_by": approved_by.get_username(),
            "disclosed_on": disclosure.disclosed_on,
        },
    )
    return disclosure


@transaction.atomic(durable=True)
def record_case_file_export(
    case: Case,
    *,
    actor,
    approved_by,
    purpose: str,
    legal_basis: str,
    categories: Iterable[str],
    sections: Iterable[str],
) -> Disclosure:
    """Log that `actor` took `case`'s file (JSON, `cases.casefile`) out of Homeward.

    A disclosure to the actor's own agency (an embassy for a home-state mission), approved by
    someone else who may approve disclosures about the child; plus its own audit event
    naming the sections the file held. Needs `cases.export_case`; nothing is written on error.
    """
    if not actor.has_capability(capabilities.EXPORT_CASE_FILE):
        raise PermissionDenied
    agency = actor.agency
    mission = agency is not None and agency.is_mission
    disclosure = _log_disclosure(
        case,
        actor=actor,
        approved_by=approved_by,
        recipient_kind=RecipientKind.EMBASSY if mission else RecipientKind.OTHER,
        recipient=agency.name if agency is not None else actor.get_username(),
        recipient_agency=agency,
        legal_basis=legal_basis,
        categories=categories,
        purpose=purpose,
    )
    record_event(
        events.CASE_FILE_EXPORTED,
        actor=actor,
        target=disclosure,
        data={"sections": sorted(sections), "disclosure": str(disclosure.pk)},
    )
    return disclosure
