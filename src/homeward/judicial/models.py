"""Judicial cooperation: a home state's requests for evidence and judicial records about a
person, the Iraqi decision, and what was sent (documents with their SHA-256), approved by a
second person and logged in the disclosure log.

Scope: the requesting state. A state asks about its own nationals only (the subject's case,
child or adult, has that home state), so a consul sees its own requests and no other's,
including their existence. What the documents contain stays behind the attachments'
grants; the subject's criminal record (court charges) behind `evidence.view_criminal_record`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.judicial.choices import (
    AnsweringAuthority,
    Channel,
    CooperationBasis,
    RequestedItem,
    RequestStatus,
    TransmissionState,
)

__all__ = ["EvidenceRequest", "EvidenceTransmission", "subject_case"]

TEXT_LIMIT = 4000


def subject_case(person):
    """The child's case or the adult case of `person`, whichever exists (or None)."""
    if person.is_child:
        case = getattr(person, "case", None)
        if case is not None:
            return case
    return getattr(person, "adult_case", None)


class EvidenceRequest(ScopedModelMixin, models.Model):
    """One request. Invariants: items named and known; a refusal or partial grant says why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("requesting state"),
        on_delete=models.PROTECT,
        related_name="evidence_requests",
    )
    subject = models.ForeignKey(
        "people.Person",
        verbose_name=_("person concerned"),
        on_delete=models.PROTECT,
        related_name="evidence_requests",
    )
    their_reference = models.CharField(_("requesting state's reference"), max_length=80)
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=CooperationBasis.choices
    )
    legal_reference = models.CharField(_("treaty or instrument"), max_length=200, blank=True)
    items = models.JSONField(_("requested"), default=list)
    authority = models.CharField(
        _("answering authority"), max_length=8, choices=AnsweringAuthority.choices
    )
    authority_name = models.CharField(_("court or office"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=TEXT_LIMIT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-recorded_at"]
        verbose_name = _("request for evidence")
        verbose_name_plural = _("requests for evidence")
        indexes = [models.Index(fields=["home_state", "status"], name="evreq_state_status")]

    def __str__(self) -> str:
        return f"{self.home_state_id} {self.their_reference}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        case = subject_case(self.subject)
        return {
            "person_id": self.subject_id,
            "case_id": case.pk if case is not None and case._meta.label == "cases.Case" else None,
            "home_state": self.home_state_id,
        }

    @property
    def is_open(self) -> bool:
        return self.status in RequestStatus.open()

    @property
    def item_labels(self) -> list[str]:
        labels = dict(RequestedItem.choices)
        return [str(labels.get(code, code)) for code in self.items]

    def days_to_answer(self) -> int | None:
        return (self.decided_on - self.received_on).days if self.decided_on else None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.deadline is not None and self.deadline < today

    def clean(self) -> None:
        errors: dict[str, list] = {}
        unknown = sorted(set(self.items) - set(RequestedItem.values))
        if not self.items:
            errors.setdefault("items", []).append(_("Say what is requested."))
        elif unknown:
            errors.setdefault("items", []).append(
                _("Unknown items: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if self.received_on and self.received_on > timezone.localdate():
            errors.setdefault("received_on", []).append(_("This date cannot be in the future."))
        if self.deadline and self.received_on and self.deadline < self.received_on:
            errors.setdefault("deadline", []).append(
                _("The deadline cannot come before the request.")
            )
        if self.status in (RequestStatus.REFUSED, RequestStatus.PARTLY_GRANTED) and not (
            self.decision_reason.strip()
        ):
            errors.setdefault("decision_reason", []).append(
                _("A refusal or a partial grant gives its reason.")
            )
        if self.decided_on and self.received_on and self.decided_on < self.received_on:
            errors.setdefault("decided_on", []).append(
                _("The decision cannot come before the request.")
            )
        if errors:
            raise ValidationError(errors)


class EvidenceTransmission(ScopedModelMixin, models.Model):
    """Documents to be sent in answer to a granted request, and the second person's approval.

    `document_hashes` keeps {attachment id: SHA-256} as they were when prepared: what was
    sent is provable even after a document is withdrawn. On approval the sending is written
    to the disclosure log (`disclosure`). Invariant: the approver is not the one who prepared.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        EvidenceRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="transmissions",
    )
    recipient = models.CharField(_("sent to"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    documents = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("documents"), related_name="+"
    )
    document_hashes = models.JSONField(_("SHA-256 of each document"), default=dict)
    note = models.TextField(_("note"), blank=True, max_length=TEXT_LIMIT)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=TransmissionState.choices,
        default=TransmissionState.AWAITING_APPROVAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("prepared"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    decision_note = models.TextField(_("approver's note"), blank=True, max_length=TEXT_LIMIT)
    disclosure = models.OneToOneField(
        "disclosures.Disclosure",
        verbose_name=_("disclosure log entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_transmission",
    )

    objects = ScopedQuerySet.as_manager()
    capability_model = "judicial.evidencerequest"

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("documents sent")
        verbose_name_plural = _("documents sent")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("recorded_by")),
                name="transmission_approver_is_not_preparer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.sent_on}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(request__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.request.audit_context()
