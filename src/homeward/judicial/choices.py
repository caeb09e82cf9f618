"""Choices of judicial cooperation: how a request came, on what basis, who answers, the decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AnsweringAuthority",
    "Channel",
    "CooperationBasis",
    "RequestStatus",
    "RequestedItem",
    "TransmissionState",
]


class Channel(models.TextChoices):
    MISSION = "mission", _("Through the home state's mission")
    JUSTICE_MINISTRY = "justice_ministry", _("Through the home state's justice ministry")


class CooperationBasis(models.TextChoices):
    TREATY = "treaty", _("Treaty on mutual legal assistance")
    RECIPROCITY = "reciprocity", _("Reciprocity")
    LETTERS_ROGATORY = "letters_rogatory", _("Letters rogatory")


class RequestedItem(models.TextChoices):
    VERDICT = "verdict", _("Verdict")
    CASE_FILE = "case_file", _("Case file")
    STATEMENTS = "statements", _("Statements")
    BIOMETRIC = "biometric", _("Biometric records")
    FORENSIC = "forensic", _("Forensic records")


class AnsweringAuthority(models.TextChoices):
    HJC = "hjc", _("Higher Judicial Council")
    COURT = "court", _("A court")
    MOJ = "moj", _("Ministry of Justice")
    OTHER = "other", _("Another authority")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    FORWARDED = "forwarded", _("Forwarded to the answering authority")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")

    @classmethod
    def open(cls) -> tuple[str, ...]:
        return (cls.RECEIVED, cls.FORWARDED)

    @classmethod
    def decided(cls) -> tuple[str, ...]:
        return (cls.GRANTED, cls.PARTLY_GRANTED, cls.REFUSED)


class TransmissionState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved and sent")
    REFUSED = "refused", _("Refused by the approver")
