"""Choices of the disclosure log: to whom, on which legal basis, which categories of data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DataCategory", "LegalBasis", "RecipientKind"]


class RecipientKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy or home-state authority")
    COURT = "court", _("Court")
    UN_AGENCY = "un_agency", _("UN agency")
    OTHER = "other", _("Other body")


class LegalBasis(models.TextChoices):
    """Why the disclosure was lawful (the IASC / ICRC bases a ministry can rely on)."""

    CONSENT = "consent", _("Consent")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the child")
    PUBLIC_INTEREST = "public_interest", _("Public interest or legal obligation")
    COURT_ORDER = "court_order", _("Court order")


class DataCategory(models.TextChoices):
    """What was disclosed, by category; documents are listed one by one besides."""

    IDENTITY = "identity", _("Identity (names, date and place of birth)")
    FAMILY = "family", _("Family and relatives")
    CUSTODY = "custody", _("Custody and placement")
    NATIONALITY = "nationality", _("Nationality evidence")
    DNA = "dna", _("DNA results")
    HEALTH = "health", _("Health")
    SECURITY = "security", _("Security assessment")
    LEGAL = "legal", _("Court cases and legal status")
    CASE = "case", _("Case status and history")
