"""The case lifecycle's states (DESIGN.md, domain.md §2.2); the workflow app moves cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    # main states, in order
    REGISTERED = "REGISTERED", _("Registered")
    PROFILED = "PROFILED", _("Profiled")
    NATIONALITY_CLAIMED = "NATIONALITY_CLAIMED", _("Nationality claimed")
    HOME_STATE_ENGAGED = "HOME_STATE_ENGAGED", _("Home state engaged")
    VERIFICATION = "VERIFICATION", _("Verification")
    NATIONALITY_CONFIRMED = "NATIONALITY_CONFIRMED", _("Nationality confirmed")
    CARE_PLANNING = "CARE_PLANNING", _("Care planning")
    CLEARANCE = "CLEARANCE", _("Clearance")
    APPROVED = "APPROVED", _("Approved")
    SCHEDULED = "SCHEDULED", _("Scheduled")
    HANDED_OVER = "HANDED_OVER", _("Handed over")
    RECEIVED = "RECEIVED", _("Received")
    FOLLOW_UP = "FOLLOW_UP", _("Follow-up")
    CLOSED = "CLOSED", _("Closed")
    # side states: each remembers the main state to return to
    ON_HOLD = "ON_HOLD", _("On hold")
    NATIONALITY_DISPUTED = "NATIONALITY_DISPUTED", _("Nationality disputed")
    STATELESSNESS_REVIEW = "STATELESSNESS_REVIEW", _("Statelessness review")
    HOME_STATE_UNRESPONSIVE = "HOME_STATE_UNRESPONSIVE", _("Home state unresponsive")
    HOME_STATE_REFUSED = "HOME_STATE_REFUSED", _("Home state refused")
    IN_JUDICIAL_PROCEEDINGS = "IN_JUDICIAL_PROCEEDINGS", _("In judicial proceedings")
    SERVING_SENTENCE = "SERVING_SENTENCE", _("Serving sentence")
    IRAQI_NATIONAL_REFERRAL = "IRAQI_NATIONAL_REFERRAL", _("Referred as Iraqi national")
    AGED_OUT = "AGED_OUT", _("Aged out")
    DECEASED = "DECEASED", _("Deceased")
    WITHDRAWN_FROM_OPERATION = "WITHDRAWN_FROM_OPERATION", _("Withdrawn from operation")
    TRANSFERRED_OUT = "TRANSFERRED_OUT", _("Transferred out")


MAIN_STATES = list(CaseStatus)[: list(CaseStatus).index(CaseStatus.CLOSED) + 1]
SIDE_STATES = [status for status in CaseStatus if status not in MAIN_STATES]
# A child still in Iraqi custody: every state before the handover, and every side state
# except those that end custody here.
IN_CUSTODY_STATES = [
    status
    for status in CaseStatus
    if status
    not in {
        CaseStatus.HANDED_OVER,
        CaseStatus.RECEIVED,
        CaseStatus.FOLLOW_UP,
        CaseStatus.CLOSED,
        CaseStatus.DECEASED,
        CaseStatus.TRANSFERRED_OUT,
        CaseStatus.IRAQI_NATIONAL_REFERRAL,
        CaseStatus.AGED_OUT,
    }
]
RETURNED_STATES = [CaseStatus.HANDED_OVER, CaseStatus.RECEIVED, CaseStatus.FOLLOW_UP]
