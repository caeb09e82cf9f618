"""Write use cases of judicial cooperation: record, forward, decide, prepare, approve, refuse.

The four eyes: one user prepares what is to be sent (`record_transmission`), another holding
`judicial.approve_evidencerequest` approves it (`approve_transmission`); approval writes the
disclosure log entry (`disclosures.services.record_disclosure`, with the preparer as its
recorder and the approver as its approver) in the same transaction as the approval.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.attachments.models import Attachment
from homeward.audit.services import record_event
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.disclosures.choices import DataCategory, LegalBasis, RecipientKind
from homeward.disclosures.services import record_disclosure
from homeward.judicial import events
from homeward.judicial.choices import RequestedItem, RequestStatus, TransmissionState
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission, subject_case
from homeward.people.models import Person

__all__ = [
    "approve_transmission",
    "decide_evidence_request",
    "forward_evidence_request",
    "record_evidence_request",
    "record_transmission",
    "refuse_transmission",
]

# What the requested items are, in the disclosure log's categories.
ITEM_CATEGORIES = {
    RequestedItem.VERDICT: DataCategory.LEGAL,
    RequestedItem.CASE_FILE: DataCategory.LEGAL,
    RequestedItem.STATEMENTS: DataCategory.LEGAL,
    RequestedItem.BIOMETRIC: DataCategory.IDENTITY,
    RequestedItem.FORENSIC: DataCategory.LEGAL,
}


def _require(actor, capability: str) -> None:
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied


def _lock(request: EvidenceRequest, actor, expected_version) -> EvidenceRequest:
    _require(actor, cap.ADD_EVIDENCE_REQUEST)
    if not EvidenceRequest.objects.for_user(actor, "view").filter(pk=request.pk).exists():
        raise OutOfScopeError()
    current = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    return current


def _not_future(on: datetime.date, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("This date cannot be in the future.")})


@transaction.atomic(durable=True)
def record_evidence_request(
    home_state,
    *,
    actor,
    subject,
    their_reference: str,
    channel: str,
    received_on: datetime.date,
    legal_basis: str,
    items: Iterable[str],
    authority: str,
    legal_reference: str = "",
    authority_name: str = "",
    deadline: datetime.date | None = None,
) -> EvidenceRequest:
    """Record a home state's request about one of its nationals (a mother, a juvenile)."""
    _require(actor, cap.ADD_EVIDENCE_REQUEST)
    if not Person.objects.for_user(actor, "view").filter(pk=subject.pk).exists():
        raise OutOfScopeError()
    case = subject_case(subject)
    if case is None or case.home_state_id != home_state.code:
        raise ValidationError(
            {"subject": _("A state asks about its own nationals: this person has no case of it.")}
        )
    request = EvidenceRequest(
        home_state=home_state,
        subject=subject,
        their_reference=their_reference.strip(),
        channel=channel,
        received_on=received_on,
        legal_basis=legal_basis,
        legal_reference=legal_reference.strip(),
        items=sorted(set(items)),
        authority=authority,
        authority_name=authority_name.strip(),
        deadline=deadline,
        recorded_by=actor,
    )
    request.full_clean()
    request.save(force_insert=True)
    record_event(
        events.REQUEST_RECORDED,
        actor=actor,
        target=request,
        data={
            "home_state": home_state.code,
            "their_reference": request.their_reference,
            "legal_basis": legal_basis,
            "items": request.items,
            "authority": authority,
            "deadline": deadline,
        },
    )
    return request


@transaction.atomic(durable=True)
def forward_evidence_request(
    request: EvidenceRequest, *, actor, expected_version: int, forwarded_on: datetime.date
) -> EvidenceRequest:
    """The ministry sent the request on to the authority that must answer."""
    current = _lock(request, actor, expected_version)
    if current.status != RequestStatus.RECEIVED:
        raise ValidationError({"status": _("Only a request just received is forwarded.")})
    _not_future(forwarded_on, "forwarded_on")
    current.status, current.forwarded_on = RequestStatus.FORWARDED, forwarded_on
    current.full_clean()
    current.version += 1
    current.save(update_fields=["status", "forwarded_on", "version"])
    record_event(
        events.REQUEST_FORWARDED,
        actor=actor,
        target=current,
        data={"forwarded_on": forwarded_on, "authority": current.authority},
    )
    return current


@transaction.atomic(durable=True)
def decide_evidence_request(
    request: EvidenceRequest,
    *,
    actor,
    expected_version: int,
    decision: str,
    decided_on: datetime.date,
    reason: str = "",
) -> EvidenceRequest:
    """The authority's answer: granted, partly granted or refused (the last two say why)."""
    current = _lock(request, actor, expected_version)
    if not current.is_open:
        raise ValidationError({"decision": _("This request is already decided.")})
    if decision not in RequestStatus.decided():
        raise ValidationError({"decision": _("Choose the decision.")})
    _not_future(decided_on, "decided_on")
    before = current.status
    current.status, current.decided_on = decision, decided_on
    current.decision_reason, current.decided_by = reason.strip(), actor
    current.full_clean()
    current.version += 1
    current.save(update_fields=["status", "decided_on", "decision_reason", "decided_by", "version"])
    record_event(
        events.REQUEST_DECIDED,
        actor=actor,
        target=current,
        data={
            "status": [before, decision],
            "decided_on": decided_on,
            "days_to_answer": current.days_to_answer(),
        },
    )
    return current


@transaction.atomic(durable=True)
def record_transmission(
    request: EvidenceRequest,
    *,
    actor,
    documents: Iterable[Attachment],
    recipient: str,
    sent_on: datetime.date,
    note: str = "",
) -> EvidenceTransmission:
    """Prepare the documents answering a granted request; they wait for a second person."""
    current = _lock(request, actor, None)
    if current.status not in (RequestStatus.GRANTED, RequestStatus.PARTLY_GRANTED):
        raise ValidationError(
            {"documents": _("Only a granted request is answered with documents.")}
        )
    documents = list(documents)
    if not documents:
        raise ValidationError({"documents": _("Choose the documents to send.")})
    if any(d.person_id != current.subject_id or d.is_withdrawn for d in documents):
        raise ValidationError(
            {"documents": _("Only current documents of the person concerned can be sent.")}
        )
    if not recipient.strip():
        raise ValidationError({"recipient": _("Say to whom the documents go.")})
    _not_future(sent_on, "sent_on")
    transmission = EvidenceTransmission(
        request=current,
        recipient=recipient.strip(),
        sent_on=sent_on,
        document_hashes={str(d.pk): d.sha256 for d in documents},
        note=note.strip(),
        recorded_by=actor,
    )
    transmission.full_clean()
    transmission.save(force_insert=True)
    transmission.documents.set(documents)
    record_event(
        events.TRANSMISSION_RECORDED,
        actor=actor,
        target=transmission,
        data={"recipient": transmission.recipient, "documents": transmission.document_hashes},
    )
    return transmission


def _lock_for_decision(transmission: EvidenceTransmission, actor) -> EvidenceTransmission:
    _require(actor, cap.APPROVE_EVIDENCE_TRANSMISSION)
    visible = EvidenceTransmission.objects.for_user(actor, "approve")
    if not visible.filter(pk=transmission.pk).exists():
        raise OutOfScopeError()
    current = (
        EvidenceTransmission.objects.select_for_update()
        .select_related("request", "request__subject")
        .get(pk=transmission.pk)
    )
    if current.recorded_by_id == actor.pk:
        raise PermissionDenied(_("You cannot approve what you prepared yourself."))
    if current.state != TransmissionState.AWAITING_APPROVAL:
        raise ValidationError({"state": _("This sending is already decided.")})
    return current


@transaction.atomic(durable=True)
def approve_transmission(
    transmission: EvidenceTransmission, *, actor, note: str = ""
) -> EvidenceTransmission:
    """Approve the sending (four-eyes) and write it to the disclosure log, in one transaction."""
    current = _lock_for_decision(transmission, actor)
    request = current.request
    disclosure = record_disclosure(
        subject_case(request.subject),
        actor=current.recorded_by,
        approved_by=actor,
        recipient_kind=RecipientKind.EMBASSY,
        recipient=current.recipient,
        recipient_state=request.home_state,
        legal_basis=LegalBasis.PUBLIC_INTEREST,
        legal_reference=" ".join(
            part for part in (request.get_legal_basis_display(), request.legal_reference) if part
        ),
        categories=sorted({ITEM_CATEGORIES[item] for item in request.items}),
        purpose=_("Answer to request %(ref)s for evidence") % {"ref": request.their_reference},
        disclosed_on=current.sent_on,
        documents=list(current.documents.all()),
    )
    current.state, current.decided_by = TransmissionState.APPROVED, actor
    current.decided_at, current.decision_note = timezone.now(), note.strip()
    current.disclosure = disclosure
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "disclosure"])
    record_event(
        events.TRANSMISSION_APPROVED,
        actor=actor,
        target=current,
        data={
            "disclosure": str(disclosure.pk),
            "documents": current.document_hashes,
            "prepared_by": current.recorded_by.get_username(),
        },
    )
    return current


@transaction.atomic(durable=True)
def refuse_transmission(
    transmission: EvidenceTransmission, *, actor, note: str
) -> EvidenceTransmission:
    """The second person refuses the sending; nothing leaves, nothing is logged as disclosed."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason.")})
    current = _lock_for_decision(transmission, actor)
    current.state, current.decided_by = TransmissionState.REFUSED, actor
    current.decided_at, current.decision_note = timezone.now(), note.strip()
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record_event(
        events.TRANSMISSION_REFUSED,
        actor=actor,
        target=current,
        data={"note": current.decision_note},
    )
    return current
