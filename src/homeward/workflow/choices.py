"""Enumerations of the workflow app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequirementStatus(models.TextChoices):
    MET = "met", _("Met")
    WAITING = "waiting", _("Waiting")
    MISSING = "missing", _("Missing")
    EXPIRED = "expired", _("Expired")
    BLOCKED = "blocked", _("Blocked")


class ClosureReason(models.TextChoices):
    REPATRIATED_FOLLOW_UP_COMPLETE = (
        "repatriated_follow_up_complete",
        _("Repatriated and follow-up complete"),
    )
    REPATRIATED_NO_FOLLOW_UP = "repatriated_no_follow_up", _("Repatriated, no follow-up agreed")
    DECEASED = "deceased", _("Deceased")
    AGED_OUT = "aged_out", _("Aged out")
    IRAQI_NATIONAL_REFERRAL = "iraqi_national_referral", _("Referred as an Iraqi national")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DUPLICATE_MERGED = "duplicate_merged", _("Duplicate record merged")


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TaskKind(models.TextChoices):
    AGE_THRESHOLD = "age_threshold", _("Age threshold approaching")
    AGE_REVIEW = "age_review", _("Age review (estimated date of birth)")
    IRAQI_PARENT_REVIEW = "iraqi_parent_review", _("Review: child of an Iraqi parent")
    HOME_STATE_REMINDER = "home_state_reminder", _("Remind a silent home state")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    DONE = "done", _("Done")


# What each age threshold means, for the task's wording (domain.md §2.6).
THRESHOLD_MEANINGS = {
    3: _("the limit for a child living with the mother in prison"),
    9: _("the age of criminal responsibility: review judicial exposure"),
    15: _("the adolescent category under the Juvenile Welfare Law"),
    18: _("majority: the case ages out"),
}
