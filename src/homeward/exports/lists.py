"""The list pages as export datasets: each list's rows, under its filters, in its columns.

A list's export holds what its page shows to the requester, on every page: the same scope
(`for_user(user, "view")`), the same filters (read from the list's querystring and checked
here), the same order, and the same columns with the same display rule: a name the page
masks is masked in the file, and a sealed column (an adult's sentence) is in the file only
for a holder of its grant. The request → approval → encrypted file flow is the one every
export takes (services.py); this module only says which rows and which columns.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.accounts import capabilities as cap
from homeward.exports.choices import Dataset

__all__ = ["LIST_DATASETS", "ListDataset", "list_dataset"]

CHUNK = 500


def _date(value) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    # The capability a requester needs to see this column; "" for every requester.
    needs: str = ""


@dataclass(frozen=True)
class ListDataset:
    """One list page as a dataset.

    `filters(user, raw)` checks the list's querystring values and returns them normalised
    (text only, as stored on the export); `queryset(user, filters)` is the list's rows in the
    list's order; `row(obj)` is one row as {column key: text}; `capability` is what the list
    page itself needs, so that no one exports a list they cannot open.
    """

    dataset: str
    list_url: str
    capability: str
    columns: tuple[Column, ...]
    queryset: Callable[..., QuerySet]
    row: Callable[..., dict]
    filters: Callable[..., dict] = field(default=lambda user, raw: {})

    def columns_for(self, user) -> list[tuple[str, str]]:
        return [
            (column.key, column.title)
            for column in self.columns
            if not column.needs or user.has_capability(column.needs)
        ]

    def candidates(self, user, filters: Mapping[str, str]) -> list[str]:
        return [str(pk) for pk in self.queryset(user, filters).values_list("pk", flat=True)]

    def rows(self, user, ids: list[str]) -> Iterator[dict]:
        """The rows for `ids` still in the user's scope, in the order of `ids` (the list's)."""
        keys = [key for key, _title in self.columns_for(user)]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = {
                str(obj.pk): obj for obj in self.queryset(user, {}, ids=chunk, unfiltered=True)
            }
            for pk in chunk:
                if pk in found:
                    full = self.row(found[pk], user)
                    yield {key: full[key] for key in keys}


def _one_of(raw: Mapping[str, str], key: str, values, default: str = "") -> str:
    value = (raw.get(key) or "").strip() or default
    if value and value not in values:
        raise ValidationError({"filters": [_("The list's filters are not valid.")]})
    return value


def _by_ids(queryset: QuerySet, ids) -> QuerySet:
    return queryset if ids is None else queryset.filter(pk__in=ids)


# -- adult cases ------------------------------------------------------------------------------


def _adult_cases(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.adults.queries import adult_cases_for

    return _by_ids(adult_cases_for(user), ids).order_by("reference")


def _adult_row(case, user) -> dict:
    return {
        "reference": case.reference,
        "name": case.person.display_name,
        "home_state": case.home_state_id,
        "legal_status": str(case.get_legal_status_display()),
        "sentence": str(case.get_sentence_kind_display()) if case.sentence_kind else "",
        "expected_release": _date(case.expected_release_on),
        "route_home": str(case.get_route_home_display()) if case.route_home else "",
    }


# -- requests for evidence --------------------------------------------------------------------


def _evidence_requests(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.judicial.queries import requests_for

    return _by_ids(requests_for(user), ids)


def _evidence_row(req, user) -> dict:
    return {
        "reference": req.their_reference,
        "home_state": req.home_state_id,
        "subject": req.subject.display_name,
        "received": _date(req.received_on),
        "deadline": _date(req.deadline),
        "status": str(req.get_status_display()),
    }


# -- return operations ------------------------------------------------------------------------


def _operation_filters(user, raw) -> dict:
    from homeward.operations.forms import OperationFilterForm

    data = {key: raw.get(key, "") for key in ("status", "home_state", "year")}
    form = OperationFilterForm(data, user=user)
    if not form.is_valid():
        raise ValidationError({"filters": [_("The list's filters are not valid.")]})
    return {
        key: str(getattr(value, "pk", value))
        for key, value in form.cleaned_data.items()
        if value not in (None, "")
    }


def _operations(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.operations.models import Operation

    operations = Operation.objects.for_user(user, "view").select_related("home_state")
    if filters.get("status"):
        operations = operations.filter(status=filters["status"])
    if filters.get("home_state"):
        operations = operations.filter(home_state=filters["home_state"])
    if filters.get("year"):
        operations = operations.filter(planned_date__year=int(filters["year"]))
    return _by_ids(operations, ids).order_by("planned_date", "reference")


def _operation_row(operation, user) -> dict:
    return {
        "reference": operation.reference,
        "home_state": operation.home_state_id,
        "planned_date": _date(operation.planned_date),
        "actual_date": _date(operation.actual_date),
        "status": str(operation.get_status_display()),
        "planned_count": "" if operation.planned_count is None else str(operation.planned_count),
        "actual_count": "" if operation.actual_count is None else str(operation.actual_count),
    }


# -- follow-up reports ------------------------------------------------------------------------


def _follow_ups(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.operations.models import FollowUpReport

    reports = FollowUpReport.objects.for_user(user, "view").select_related("case")
    return _by_ids(reports, ids).order_by("received_on", "due_date", "case__reference")


def _follow_up_row(report, user) -> dict:
    if report.received_on is not None:
        state = _("Received")
    elif report.is_overdue(timezone.localdate()):
        state = _("Overdue")
    else:
        state = _("Due")
    return {
        "case": report.case.reference,
        "home_state": report.case.home_state_id,
        "due": _date(report.due_date),
        "state": str(state),
        "received": _date(report.received_on),
        "placement": str(report.get_placement_status_display()) if report.placement_status else "",
    }


# -- tracing requests -------------------------------------------------------------------------


def _tracing_filters(user, raw) -> dict:
    from homeward.matching.models import TracingStatus

    return {"status": _one_of(raw, "status", TracingStatus.values, TracingStatus.OPEN)}


def _tracing(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.matching.models import TracingMatch, TracingMatchStatus, TracingRequest

    visible_matches = TracingMatch.objects.for_user(user, "view").filter(
        status=TracingMatchStatus.PROPOSED
    )
    requests = TracingRequest.objects.for_user(user, "view")
    if not unfiltered:
        requests = requests.filter(status=filters["status"])
    return _by_ids(requests, ids).annotate(
        waiting=Count("matches", filter=Q(matches__in=visible_matches.values("pk")), distinct=True)
    )


def _tracing_row(item, user) -> dict:
    return {
        "reference": item.reference,
        "child_name": item.child_name,
        "child_birth_year": str(item.child_birth_year or ""),
        "home_state": item.home_state_id,
        "channel": str(item.get_channel_display()),
        "channel_reference": item.channel_reference,
        "received": _date(item.received_on),
        "waiting": str(item.waiting),
    }


# -- possible duplicates ----------------------------------------------------------------------


def _duplicate_filters(user, raw) -> dict:
    from homeward.matching.models import DuplicateStatus

    return {"status": _one_of(raw, "status", DuplicateStatus.values, DuplicateStatus.PROPOSED)}


def _duplicates(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.matching.models import DuplicateCandidate

    pairs = DuplicateCandidate.objects.for_user(user, "view").select_related(
        "left__case", "right__case"
    )
    if not unfiltered:
        pairs = pairs.filter(status=filters["status"])
    return _by_ids(pairs, ids).prefetch_related("left__names", "right__names")


def _duplicate_row(pair, user) -> dict:
    from homeward.people.masking import birth_year_display, masked_name

    def reference(person) -> str:
        case = getattr(person, "case", None)
        return case.reference if case is not None else ""

    return {
        "left": masked_name(pair.left),
        "left_birth_year": birth_year_display(pair.left),
        "left_reference": reference(pair.left),
        "right": masked_name(pair.right),
        "right_birth_year": birth_year_display(pair.right),
        "right_reference": reference(pair.right),
        "score": f"{pair.score:.2f}",
        "status": str(pair.get_status_display()),
    }


# -- the audit trail --------------------------------------------------------------------------


def _audit_filters(user, raw) -> dict:
    from homeward.audit.views import AuditFilterForm

    data = {key: raw.get(key, "") for key in ("event_type", "actor", "person")}
    form = AuditFilterForm(data)
    if not form.is_valid():
        raise ValidationError({"filters": [_("The list's filters are not valid.")]})
    return {key: str(value) for key, value in form.cleaned_data.items() if value}


def _audit_events(user, filters, ids=None, unfiltered=False) -> QuerySet:
    from homeward.audit.models import AuditEvent

    events = AuditEvent.objects.for_user(user, "view")
    if filters.get("event_type"):
        events = events.filter(event_type=filters["event_type"])
    if filters.get("actor"):
        events = events.filter(actor_username__iexact=filters["actor"])
    if filters.get("person"):
        events = events.filter(person_id=filters["person"])
    return _by_ids(events, ids).order_by("-seq")


def _audit_row(event, user) -> dict:
    from homeward.audit.queries import event_label

    return {
        "seq": str(event.seq),
        "when": event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "who": event.actor_username or str(_("system")),
        "what": str(event_label(event.event_type)),
        "event_type": event.event_type,
        "channel": str(event.get_channel_display()),
        "person": str(event.person_id or ""),
        "home_state": event.home_state,
    }


REFERENCE = gettext_lazy("Reference")
HOME_STATE = gettext_lazy("Home state")
STATUS = gettext_lazy("Status")

LIST_DATASETS: dict[str, ListDataset] = {
    spec.dataset: spec
    for spec in [
        ListDataset(
            dataset=Dataset.ADULT_CASES,
            list_url="adults:adult_case_list",
            capability=cap.VIEW_ADULT_CASE,
            columns=(
                Column("reference", REFERENCE),
                Column("name", gettext_lazy("Name")),
                Column("home_state", HOME_STATE),
                Column("legal_status", gettext_lazy("Legal status")),
                # a sentence is a sealed criminal record (security reference §5.2.5)
                Column("sentence", gettext_lazy("Sentence"), needs=cap.VIEW_CRIMINAL_RECORD),
                Column("expected_release", gettext_lazy("Expected release")),
                Column("route_home", gettext_lazy("Route home")),
            ),
            queryset=_adult_cases,
            row=_adult_row,
        ),
        ListDataset(
            dataset=Dataset.EVIDENCE_REQUESTS,
            list_url="judicial:request_list",
            capability=cap.VIEW_EVIDENCE_REQUEST,
            columns=(
                Column("reference", REFERENCE),
                Column("home_state", HOME_STATE),
                Column("subject", gettext_lazy("Person concerned")),
                Column("received", gettext_lazy("Received")),
                Column("deadline", gettext_lazy("Deadline")),
                Column("status", STATUS),
            ),
            queryset=_evidence_requests,
            row=_evidence_row,
        ),
        ListDataset(
            dataset=Dataset.OPERATIONS,
            list_url="operations:operation_list",
            capability=cap.VIEW_OPERATION,
            columns=(
                Column("reference", REFERENCE),
                Column("home_state", HOME_STATE),
                Column("planned_date", gettext_lazy("Planned date")),
                Column("actual_date", gettext_lazy("Actual date")),
                Column("status", STATUS),
                Column("planned_count", gettext_lazy("Children planned")),
                Column("actual_count", gettext_lazy("Children returned")),
            ),
            queryset=_operations,
            row=_operation_row,
            filters=_operation_filters,
        ),
        ListDataset(
            dataset=Dataset.FOLLOW_UPS,
            list_url="operations:follow_up_list",
            capability=cap.VIEW_FOLLOW_UP,
            columns=(
                Column("case", gettext_lazy("Case")),
                Column("home_state", HOME_STATE),
                Column("due", gettext_lazy("Due")),
                Column("state", gettext_lazy("State")),
                Column("received", gettext_lazy("Received")),
                Column("placement", gettext_lazy("Placement")),
            ),
            queryset=_follow_ups,
            row=_follow_up_row,
        ),
        ListDataset(
            dataset=Dataset.TRACING_REQUESTS,
            list_url="matching:tracing_list",
            capability=cap.VIEW_TRACING,
            columns=(
                Column("reference", REFERENCE),
                Column("child_name", gettext_lazy("Child sought")),
                Column("child_birth_year", gettext_lazy("Birth year")),
                Column("home_state", HOME_STATE),
                Column("channel", gettext_lazy("Received through")),
                Column("channel_reference", gettext_lazy("Their reference")),
                Column("received", gettext_lazy("Received on")),
                Column("waiting", gettext_lazy("Candidates to review")),
            ),
            queryset=_tracing,
            row=_tracing_row,
            filters=_tracing_filters,
        ),
        ListDataset(
            dataset=Dataset.DUPLICATES,
            list_url="matching:duplicate_list",
            capability=cap.VIEW_PERSON,
            columns=(
                # masked, as the list shows them (people/masking.py)
                Column("left", gettext_lazy("Record (masked name)")),
                Column("left_birth_year", gettext_lazy("Birth year")),
                Column("left_reference", gettext_lazy("Case reference")),
                Column("right", gettext_lazy("Other record (masked name)")),
                Column("right_birth_year", gettext_lazy("Other record's birth year")),
                Column("right_reference", gettext_lazy("Other record's case reference")),
                Column("score", gettext_lazy("Score")),
                Column("status", STATUS),
            ),
            queryset=_duplicates,
            row=_duplicate_row,
            filters=_duplicate_filters,
        ),
        ListDataset(
            dataset=Dataset.AUDIT_EVENTS,
            list_url="audit:event_list",
            capability=cap.VIEW_AUDIT,
            columns=(
                Column("seq", gettext_lazy("Sequence")),
                Column("when", gettext_lazy("When (UTC)")),
                Column("who", gettext_lazy("Who")),
                Column("what", gettext_lazy("What")),
                Column("event_type", gettext_lazy("Event code")),
                Column("channel", gettext_lazy("Channel")),
                Column("person", gettext_lazy("Person")),
                Column("home_state", HOME_STATE),
            ),
            queryset=_audit_events,
            row=_audit_row,
            filters=_audit_filters,
        ),
    ]
}


def list_dataset(dataset: str) -> ListDataset | None:
    return LIST_DATASETS.get(dataset)
