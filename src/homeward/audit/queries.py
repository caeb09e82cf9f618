"""Named read queries over the audit trail, for a record's timeline and its access history."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts import events as account_events
from homeward.attachments import events as attachment_events
from homeward.audit.models import AuditEvent
from homeward.cases import events as case_events
from homeward.people import events as people_events
from homeward.people.handover import CUSTODY_ENDED
from homeward.people.models import Person

__all__ = ["EVENT_LABELS", "READ_EVENTS", "event_label", "person_access_history", "person_timeline"]

# Reads and refusals: they belong in the access history, not in the record's own story.
READ_EVENTS = frozenset(
    {
        people_events.PERSON_VIEWED,
        people_events.PEOPLE_LISTED,
        people_events.ACCESS_HISTORY_VIEWED,
        case_events.CASE_VIEWED,
        case_events.CASES_LISTED,
        case_events.DASHBOARD_VIEWED,
        account_events.ACCESS_DENIED,
        attachment_events.ATTACHMENT_DOWNLOADED,
        attachment_events.ATTACHMENT_VIEWED,
        attachment_events.ATTACHMENTS_LISTED,
    }
)

EVENT_LABELS = {
    people_events.CHILD_REGISTERED: _("Child registered"),
    people_events.ADULT_REGISTERED: _("Adult registered"),
    people_events.PERSON_UPDATED: _("Details changed"),
    people_events.PERSON_VIEWED: _("Record opened"),
    people_events.PEOPLE_LISTED: _("Shown in a list"),
    people_events.NAME_ADDED: _("Name added"),
    people_events.RELATIONSHIP_LINKED: _("Relative linked"),
    people_events.CUSTODY_MOVED: _("Custody move recorded"),
    CUSTODY_ENDED: _("Custody in Iraq ended"),
    people_events.ACCESS_HISTORY_VIEWED: _("Access history opened"),
    case_events.CASE_OPENED: _("Case opened"),
    case_events.CASE_HOME_STATE_CHANGED: _("Home state changed"),
    case_events.CASE_STATUS_RECORDED: _("Status recorded"),
    case_events.FAMILY_GROUP_CREATED: _("Family group created"),
    case_events.CASE_VIEWED: _("Case opened for reading"),
    case_events.CASES_LISTED: _("Cases listed"),
    case_events.DASHBOARD_VIEWED: _("Dashboard viewed"),
    account_events.ACCESS_DENIED: _("Access refused"),
    attachment_events.ATTACHMENT_ADDED: _("Document attached"),
    attachment_events.ATTACHMENT_WITHDRAWN: _("Document withdrawn"),
    attachment_events.ATTACHMENT_DOWNLOADED: _("Document downloaded"),
    attachment_events.ATTACHMENT_VIEWED: _("Document details read"),
    attachment_events.ATTACHMENTS_LISTED: _("Documents listed"),
    attachment_events.INTEGRITY_FAILED: _("Document failed its integrity check"),
    account_events.USER_LOGGED_IN: _("Signed in"),
    account_events.USER_LOGGED_OUT: _("Signed out"),
    account_events.LOGIN_FAILED: _("Sign-in failed"),
    account_events.API_TOKEN_CREATED: _("API token created"),
}


def event_label(event_type: str) -> str:
    """A readable name for an event code; unknown codes (newer apps) show as they are."""
    return str(EVENT_LABELS.get(event_type, event_type))


def person_timeline(person: Person, limit: int = 100) -> QuerySet[AuditEvent]:
    """The writes about `person`, newest first: the record's own story.

    Callers pass a person they already fetched through the scoped Person queryset; anyone
    who may see the record may see how it came to be. Only event type, actor and time are
    shown (see people/person_detail.html), never `data`, which can name a relative the
    viewer may not see.
    """
    return (
        AuditEvent.objects.filter(person_id=person.pk)
        .exclude(event_type__in=READ_EVENTS)
        .order_by("-seq")[:limit]
    )


def person_access_history(person: Person, user) -> QuerySet[AuditEvent]:
    """Every event about `person`, reads included, newest first, within the auditor's scope."""
    return AuditEvent.objects.for_user(user, "view").filter(person_id=person.pk).order_by("-seq")
