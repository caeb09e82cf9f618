"""Named read queries over the audit trail, for a record's timeline and its access history."""

from django.db.models import QuerySet

from homeward.accounts import events as account_events
from homeward.adults import events as adult_events
from homeward.attachments import events as attachment_events
from homeward.audit import events as audit_events
from homeward.audit.models import AuditEvent
from homeward.cases import events as case_events
from homeward.crypto import events as crypto_events
from homeward.diplomacy import events as diplomacy_events
from homeward.disclosures import events as disclosure_events
from homeward.evidence import events as evidence_events
from homeward.exports import events as export_events
from homeward.imports import events as import_events
from homeward.judicial import events as judicial_events
from homeward.matching import events as matching_events
from homeward.operations import events as operation_events
from homeward.operations import page_events as operation_page_events
from homeward.people import events as people_events
from homeward.people.models import Person
from homeward.reports import events as report_events
from homeward.retention import events as retention_events
from homeward.webhooks import events as webhook_events
from homeward.workflow import events as workflow_events

__all__ = [
    "EVENT_LABELS",
    "READ_EVENTS",
    "change_events",
    "event_label",
    "person_access_history",
    "person_timeline",
]

# Reads and refusals: they belong in the access history, not in the record's own story.
READ_EVENTS = frozenset(
    {
        people_events.PERSON_VIEWED,
        people_events.PEOPLE_LISTED,
        people_events.ACCESS_HISTORY_VIEWED,
        people_events.NAME_REVEALED,
        disclosure_events.DISCLOSURE_VIEWED,
        disclosure_events.DISCLOSURES_LISTED,
        case_events.CASE_VIEWED,
        case_events.CASES_LISTED,
        case_events.DASHBOARD_VIEWED,
        account_events.ACCESS_DENIED,
        diplomacy_events.PROFILE_VIEWED,
        diplomacy_events.PROFILES_LISTED,
        diplomacy_events.ENGAGEMENT_VIEWED,
        diplomacy_events.ENGAGEMENTS_LISTED,
        diplomacy_events.ACTION_ITEM_VIEWED,
        diplomacy_events.ACTION_ITEMS_LISTED,
        attachment_events.ATTACHMENT_DOWNLOADED,
        attachment_events.ATTACHMENT_VIEWED,
        attachment_events.ATTACHMENTS_LISTED,
        evidence_events.EVIDENCE_LISTED,
        evidence_events.EVIDENCE_VIEWED,
        matching_events.CANDIDATES_LISTED,
        matching_events.DUPLICATES_LISTED,
        matching_events.DUPLICATE_VIEWED,
        workflow_events.REQUIREMENTS_VIEWED,
        workflow_events.TRANSITIONS_LISTED,
        workflow_events.STATUS_CHANGES_LISTED,
        workflow_events.DESK_VIEWED,
        *adult_events.READ_EVENTS,
        *audit_events.READ_EVENTS,
        *judicial_events.READ_EVENTS,
        *import_events.READ_EVENTS,
        operation_events.OPERATIONS_LISTED,
        operation_events.OPERATION_VIEWED,
        operation_events.ENTRIES_LISTED,
        operation_events.ENTRY_VIEWED,
        operation_events.ARRIVALS_LISTED,
        operation_events.ARRIVAL_VIEWED,
        operation_events.FOLLOW_UPS_LISTED,
        operation_events.FOLLOW_UP_VIEWED,
        report_events.DASHBOARD_VIEWED,
        report_events.PUBLIC_STATISTICS_VIEWED,
        webhook_events.DELIVERIES_LISTED,
        webhook_events.DELIVERY_VIEWED,
    }
)

# Every app names its own events (`<app>.events.LABELS`); tests/test_audit_labels.py checks
# that no event code is left without a name.
EVENT_LABELS = {
    **people_events.LABELS,
    **case_events.LABELS,
    **evidence_events.LABELS,
    **workflow_events.LABELS,
    **attachment_events.LABELS,
    **matching_events.LABELS,
    **retention_events.LABELS,
    **account_events.LABELS,
    **diplomacy_events.LABELS,
    **export_events.LABELS,
    **disclosure_events.LABELS,
    **crypto_events.LABELS,
    **import_events.LABELS,
    **adult_events.LABELS,
    **judicial_events.LABELS,
    **operation_events.LABELS,
    **operation_page_events.LABELS,
    **report_events.LABELS,
    **webhook_events.LABELS,
    **audit_events.LABELS,
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


# Suffixes of the events that change no record: reads, downloads and refusals. Matched by
# suffix, not by the list above, so that a read event added tomorrow without being listed
# there still counts as a change: a needless recomputation, never a stale answer.
UNCHANGING_SUFFIXES = (
    ".viewed",
    ".listed",
    ".downloaded",
    ".printed",
    ".exported",
    ".denied",
    ".rate_limited",
)


def change_events() -> QuerySet[AuditEvent]:
    """Every event that may have changed a record (unscoped: for derived data such as the
    stored blockers and the kept dashboard figures, never shown to anyone).

    Every service writes its event in the transaction of its change, so a committed change
    always comes with a later one of these."""
    events = AuditEvent._base_manager.all()
    for suffix in UNCHANGING_SUFFIXES:
        events = events.exclude(event_type__endswith=suffix)
    return events
