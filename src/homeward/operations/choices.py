"""Choices of the operations app (domain.md §2.3 T10–T13, §3.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationStatus(models.TextChoices):
    """Where a return operation stands; POSTPONED and CANCELLED are off the main line."""

    PROPOSED = "proposed", _("Proposed")
    NEGOTIATING = "negotiating", _("Negotiating")
    CONFIRMED = "confirmed", _("Confirmed")
    MANIFEST_FROZEN = "manifest_frozen", _("Manifest frozen")
    EXECUTING = "executing", _("Executing")
    COMPLETED = "completed", _("Completed")
    RECONCILED = "reconciled", _("Reconciled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class CarrierKind(models.TextChoices):
    STATE_AIRCRAFT = "state_aircraft", _("State aircraft")
    CHARTER = "charter", _("Charter flight")
    COMMERCIAL = "commercial", _("Commercial flight")
    MILITARY = "military", _("Military aircraft")


class MemberRole(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    NURSE = "nurse", _("Nurse")
    OFFICIAL = "official", _("Official")
    OMBUDSMAN_STAFF = "ombudsman_staff", _("Ombudsman's staff")
    INTERPRETER = "interpreter", _("Interpreter")
    SECURITY = "security", _("Security")
    OBSERVER = "observer", _("Observer")


class MemberSide(models.TextChoices):
    HOST = "host", _("Host (Iraqi)")
    HOME = "home", _("Home-state escort")
    OBSERVER = "observer", _("Observer")


class EntryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    BOARDED = "boarded", _("Boarded")
    NOT_BOARDED = "not_boarded", _("Not boarded")


class NotBoardedReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DOCUMENT_DEFECT = "document_defect", _("Document defect")
    CONSENT = "consent", _("Consent withdrawn or missing")
    SIBLING = "sibling", _("Sibling could not travel")
    SECURITY = "security", _("Security")
    OTHER = "other", _("Other")


class IdentityMethod(models.TextChoices):
    PHOTO = "photo", _("Photograph")
    WRISTBAND = "wristband", _("Wristband")
    DOCUMENT = "document", _("Travel document")
    FINGERPRINT = "fingerprint", _("Fingerprint")
    KNOWN_TO_OFFICIAL = "known_to_official", _("Known to the official")


class Placement(models.TextChoices):
    """Where a child goes first after arrival in the home state."""

    HOSPITAL = "hospital", _("Hospital")
    REHABILITATION_CENTRE = "rehabilitation_centre", _("Rehabilitation centre")
    RELATIVES = "relatives", _("Relatives")
    CHILD_WELFARE = "child_welfare", _("Child welfare institution")
    FOSTER_CARE = "foster_care", _("Foster care")
    OTHER = "other", _("Other")
