"""What a subscriber can subscribe to, and where a delivery stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    CASE_STATUS_CHANGED = "case.status_changed", _("A case changed status")
    NATIONALITY_CLAIM_NOTIFIED = (
        "nationality_claim.notified",
        _("A nationality claim was notified to the home state"),
    )
    ENGAGEMENT_RECORDED = "engagement.recorded", _("An engagement or its reply was recorded")
    CLEARANCE_REQUESTED = "clearance.requested", _("A clearance was requested")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (no more attempts)")
    WITHHELD = "withheld", _("Withheld (out of scope)")
