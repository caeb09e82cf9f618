"""Travel documents, exit authorisations and incidents: records of single facts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.crypto.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from homeward.evidence.choices import IncidentType, TravelDocumentType
from homeward.evidence.models.base import CaseEvidence, today

__all__ = ["ExitAuthorization", "Incident", "TravelDocument"]


class TravelDocument(CaseEvidence):
    """A passport, certificate of return or laissez-passer issued by the home state."""

    document_type = models.CharField(_("type"), max_length=24, choices=TravelDocumentType.choices)
    number = EncryptedCharField(_("number"), max_length=40)
    number_bidx = BlindIndexField(source="number")
    issued_by = models.CharField(_("issued by"), max_length=160)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))

    class Meta(CaseEvidence.Meta):
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.valid_until >= day

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.issued_on and self.issued_on > today():
            errors.setdefault("issued_on", []).append(_("This date cannot be in the future."))
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors.setdefault("valid_until", []).append(
                _("A document is valid after it is issued.")
            )
        if errors:
            raise ValidationError(errors)


class ExitAuthorization(CaseEvidence):
    """The Iraqi residency authority's exit authorisation, citing the judge's decision."""

    reference = models.CharField(_("authorisation number"), max_length=80)
    judicial_decision_reference = models.CharField(_("judge's decision"), max_length=80)
    authorised_on = models.DateField(_("authorised on"))

    class Meta(CaseEvidence.Meta):
        verbose_name = _("exit authorisation")
        verbose_name_plural = _("exit authorisations")

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if self.authorised_on and self.authorised_on > today():
            raise ValidationError({"authorised_on": _("This date cannot be in the future.")})


class Incident(CaseEvidence):
    """Something that happened to the child: death, illness, transfer, media exposure…"""

    incident_type = models.CharField(_("type"), max_length=20, choices=IncidentType.choices)
    occurred_on = models.DateField(_("date"))
    description = EncryptedTextField(_("description"), max_length=4000)
    reported_to = models.JSONField(_("reported to"), default=list, blank=True)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_incident_type_display()} {self.occurred_on}"

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > today():
            raise ValidationError({"occurred_on": _("This date cannot be in the future.")})
