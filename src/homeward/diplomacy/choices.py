"""Choices of the diplomacy app (domain.md §1.2, §3.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyStance(models.TextChoices):
    """How a home state approaches the return of its nationals' children."""

    PROACTIVE = "proactive", _("Proactive")
    CASE_BY_CASE = "case_by_case", _("Case by case")
    REFUSING = "refusing", _("Refusing")
    UNKNOWN = "unknown", _("Unknown")


class EngagementKind(models.TextChoices):
    NOTE_VERBALE_OUT = "note_verbale_out", _("Note verbale sent")
    NOTE_VERBALE_IN = "note_verbale_in", _("Note verbale received")
    BILATERAL_MEETING = "bilateral_meeting", _("Bilateral meeting")
    CONSULAR_VISIT = "consular_visit", _("Consular visit")
    MINISTERIAL_VISIT = "ministerial_visit", _("Ministerial visit")
    TECHNICAL_WORKING_GROUP = "technical_working_group", _("Technical working group")
    INVITATION_TO_REPATRIATE = "invitation_to_repatriate", _("Invitation to repatriate")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
