"""Named reads of the diplomacy app: the home-state figures and the action items owed.

Everything is computed within the viewer's scope: a consul's figures count only its own
state's children, because the cases are read through `Case.objects.for_user`.
"""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from homeward.accounts import capabilities
from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.diplomacy.choices import ActionItemStatus
from homeward.diplomacy.models import ActionItem, Engagement
from homeward.workflow.gates import requirements_for_many
from homeward.workflow.models import RequirementsPolicy

__all__ = [
    "MeetingPack",
    "Responsiveness",
    "StateFigures",
    "engagement_documents",
    "engagements_for",
    "mask_name",
    "meeting_pack",
    "open_action_items_for",
    "policy_history",
    "responsiveness",
    "silent_since",
    "state_figures",
    "states_for",
]


@dataclass
class StateFigures:
    pending_by_stage: list[tuple[str, str, int]] = field(default_factory=list)
    pending_total: int = 0
    returned: int = 0
    last_engagement: Engagement | None = None
    open_action_items: int = 0
    overdue_action_items: int = 0
    waiting_on_state: int = 0
    median_days_waiting: float | None = None
    # (what blocks the case first, who owes it, how many cases), most cases first
    pending_by_blocker: list[tuple[str, str, int]] = field(default_factory=list)


def states_for(user) -> list[HomeState]:
    """Home states with at least one case the user may see; each carries `cases_total`."""
    totals = dict(
        Case.objects.for_user(user, "view")
        .values_list("home_state_id")
        .annotate(n=Count("pk"))
        .values_list("home_state_id", "n")
    )
    states = list(HomeState.objects.filter(code__in=totals).select_related("profile"))
    for state in states:
        state.cases_total = totals[state.code]
    return sorted(states, key=lambda state: state.display_name)


def engagements_for(user, home_state):
    """The state's engagements the user may see, newest first, replies prefetched."""
    return (
        Engagement.objects.for_user(user, "view")
        .filter(home_state=home_state)
        .prefetch_related(Prefetch("replies", queryset=Engagement.objects.order_by("date")))
        .select_related("in_reply_to")
    )


def policy_history(home_state):
    """Every published version of the state's requirements policy, newest first."""
    return (
        RequirementsPolicy.objects.filter(home_state=home_state)
        .select_related("created_by")
        .order_by("-version")
    )


def state_figures(user, home_state, *, today: datetime.date | None = None) -> StateFigures:
    """The live figures of the profile page, within `user`'s scope.

    "Waiting on the state" counts the unmet requirements owed by its mission (nationality
    confirmations, vetting, assurances, travel documents...), and the median is over their
    days waiting: how long the state takes to answer, as the gate engine sees it now.
    """
    today = today or timezone.localdate()
    cases = Case.objects.for_user(user, "view").filter(home_state=home_state)
    pending = cases.filter(status__in=IN_CUSTODY_STATES)
    counts = dict(pending.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    labels = dict(Case._meta.get_field("status").choices)
    figures = StateFigures(
        pending_by_stage=[
            (status, labels[status], counts[status])
            for status in IN_CUSTODY_STATES
            if status in counts
        ],
        pending_total=sum(counts.values()),
        returned=cases.filter(status__in=RETURNED_STATES).count(),
        last_engagement=engagements_for(user, home_state).first(),
    )
    items = ActionItem.objects.for_user(user, "view").filter(
        engagement__home_state=home_state, status=ActionItemStatus.OPEN
    )
    figures.open_action_items = items.count()
    figures.overdue_action_items = items.filter(due__lt=today).count()
    waits = []
    blockers = Counter()
    cases = pending.select_related("home_state", "child")
    for requirements in requirements_for_many(cases, today=today, viewer=user).values():
        unmet = [requirement for requirement in requirements if not requirement.is_met]
        if unmet:
            blockers[(str(unmet[0].label), str(unmet[0].owed_by or ""))] += 1
        for requirement in unmet:
            owner = requirement.owed_by
            if owner is None or owner.kind != AgencyKind.HOME_STATE_MISSION:
                continue
            if requirement.days_waiting is not None:
                waits.append(requirement.days_waiting)
    figures.pending_by_blocker = [(label, owner, n) for (label, owner), n in blockers.most_common()]
    figures.waiting_on_state = len(waits)
    figures.median_days_waiting = statistics.median(waits) if waits else None
    return figures


def open_action_items_for(user, *, today: datetime.date | None = None) -> list[ActionItem]:
    """Open action items owed by the user or their agency, in scope, earliest due first."""
    agency_id = getattr(user, "agency_id", None)
    owned = Q(owner_user=user)
    if agency_id:
        owned |= Q(owner_agency_id=agency_id)
    items = (
        ActionItem.objects.for_user(user, "view")
        .filter(owned, status=ActionItemStatus.OPEN)
        .select_related("engagement", "engagement__home_state", "owner_agency")
        .order_by("due", "created_at")
    )
    return list(items)


# -- responsiveness ---------------------------------------------------------------------


@dataclass
class Responsiveness:
    """How a home state answers: notes sent and answered, days to the first reply."""

    notes_sent: int = 0
    notes_answered: int = 0
    median_days_to_reply: float | None = None
    open_requests: int = 0
    oldest_open_request_days: int | None = None
    refusals: int = 0


def responsiveness(user, home_state, *, today: datetime.date | None = None) -> Responsiveness:
    """Notes verbales sent vs answered, median days to the first reply, notes still open
    (unanswered), and refusals (children the state refused: in HOME_STATE_REFUSED now or
    once), within scope."""
    from homeward.cases.choices import CaseStatus
    from homeward.diplomacy.choices import EngagementKind
    from homeward.workflow.models import CaseTransition

    today = today or timezone.localdate()
    notes = (
        Engagement.objects.for_user(user, "view")
        .filter(home_state=home_state, kind=EngagementKind.NOTE_VERBALE_OUT)
        .prefetch_related(Prefetch("replies", queryset=Engagement.objects.order_by("date")))
    )
    result = Responsiveness()
    delays, open_ages = [], []
    for note in notes:
        result.notes_sent += 1
        replies = list(note.replies.all())
        if replies:
            delays.append((replies[0].date - note.date).days)
        else:
            open_ages.append(max((today - note.date).days, 0))
    result.notes_answered = len(delays)
    result.median_days_to_reply = statistics.median(delays) if delays else None
    result.open_requests = len(open_ages)
    result.oldest_open_request_days = max(open_ages) if open_ages else None
    refused = CaseTransition.objects.filter(to_status=CaseStatus.HOME_STATE_REFUSED)
    result.refusals = (
        Case.objects.for_user(user, "view")
        .filter(home_state=home_state)
        .filter(Q(status=CaseStatus.HOME_STATE_REFUSED) | Q(pk__in=refused.values("case_id")))
        .count()
    )
    return result


def silent_since(home_state, *, today: datetime.date, days: int) -> Engagement | None:
    """The oldest note verbale sent to the state, unanswered for more than `days`, when the
    state has sent nothing since it (no note received): the state is silent. System read."""
    from homeward.diplomacy.choices import EngagementKind

    cutoff = today - datetime.timedelta(days=days)
    oldest = (
        Engagement.objects.filter(
            home_state=home_state,
            kind=EngagementKind.NOTE_VERBALE_OUT,
            date__lt=cutoff,
            replies__isnull=True,
        )
        .order_by("date", "created_at")
        .first()
    )
    if oldest is None:
        return None
    heard = Engagement.objects.filter(
        home_state=home_state, kind=EngagementKind.NOTE_VERBALE_IN, date__gte=oldest.date
    ).exists()
    return None if heard else oldest


# -- meeting pack ---------------------------------------------------------------------------

MEETING_KINDS = (
    "bilateral_meeting",
    "technical_working_group",
    "ministerial_visit",
    "consular_visit",
)


def mask_name(name: str) -> str:
    """ "Khadija Husseinova" -> "K*** H***": enough to tell two children apart in a room,
    not enough to identify one."""
    return " ".join(f"{word[0]}***" for word in name.split()) or "***"


@dataclass
class PackCase:
    reference: str
    name: str
    status: str
    unmet: list = field(default_factory=list)

    @property
    def blocker(self):
        return self.unmet[0] if self.unmet else None


@dataclass
class PackGroup:
    blocker: str
    owner: str
    cases: list[PackCase] = field(default_factory=list)


@dataclass
class MeetingPack:
    home_state: HomeState
    today: datetime.date
    names_masked: bool
    groups: list[PackGroup]
    next_batch: list[PackCase]
    last_meeting: Engagement | None
    last_meeting_items: list[tuple[ActionItem, bool]]
    other_open_items: list[tuple[ActionItem, bool]]
    figures: StateFigures
    responsiveness: Responsiveness
    # Adults (issue 10): mothers released soon, with their children's cases; and the state's
    # requests for evidence (pending, answered, days to answer).
    releases_due: list = field(default_factory=list)
    evidence_requests: list = field(default_factory=list)

    @property
    def case_references(self) -> list[str]:
        refs = {case.reference for group in self.groups for case in group.cases}
        return sorted(refs | {case.reference for case in self.next_batch})

    @property
    def open_cases(self) -> int:
        return sum(len(group.cases) for group in self.groups)


def meeting_pack(user, home_state, *, today: datetime.date | None = None) -> MeetingPack:
    """What the Legal Directorate takes into the room, as `user` may see it.

    Open cases (in custody, not aged out) are grouped by their first unmet requirement and
    who owes it; a case in a side state is grouped under that state. The proposed next batch
    is the cases in a main state with at most one requirement missing. Names are shown only
    to a user who may see the child; otherwise masked ("K*** H***").
    """
    from homeward.accounts import capabilities as cap
    from homeward.cases.choices import SIDE_STATES
    from homeward.cases.choices import CaseStatus as St
    from homeward.people.models import Person

    today = today or timezone.localdate()
    cases = list(
        Case.objects.for_user(user, "view")
        .filter(home_state=home_state, status__in=IN_CUSTODY_STATES)
        .exclude(status=St.AGED_OUT)
        .select_related("home_state", "child")
        .prefetch_related("child__names")
        .order_by("reference")
    )
    visible_people = set()
    if user.has_capability(cap.VIEW_PERSON):
        visible_people = set(
            Person.objects.for_user(user, "view")
            .filter(pk__in=[case.child_id for case in cases])
            .values_list("pk", flat=True)
        )
    labels = dict(Case._meta.get_field("status").choices)
    groups: dict[tuple[str, str], PackGroup] = {}
    next_batch = []
    requirements = requirements_for_many(cases, today=today, viewer=user)
    for case in cases:
        name = case.child.display_name
        if case.child_id not in visible_people:
            name = mask_name(name)
        unmet = [r for r in requirements[case.pk] if not r.is_met]
        row = PackCase(case.reference, name, str(labels[case.status]), unmet)
        if case.status in SIDE_STATES:
            key = (str(labels[case.status]), "")
        elif row.blocker is not None:
            key = (str(row.blocker.label), str(row.blocker.owed_by or ""))
        else:
            key = ("", "")
        groups.setdefault(key, PackGroup(*key)).cases.append(row)
        if case.status not in SIDE_STATES and len(unmet) <= 1:
            next_batch.append(row)
    ordered = sorted(groups.values(), key=lambda group: (-len(group.cases), group.blocker))
    engagements = (
        engagements_for(user, home_state)
        if user.has_capability(cap.VIEW_ENGAGEMENT)
        else Engagement.objects.none()
    )
    last_meeting = engagements.filter(kind__in=MEETING_KINDS).first()
    items = []
    if user.has_capability(cap.VIEW_ACTION_ITEM):
        items = list(
            ActionItem.objects.for_user(user, "view")
            .filter(engagement__home_state=home_state)
            .select_related("owner_agency", "engagement")
        )
    from_last = [
        (i, i.is_overdue(today))
        for i in items
        if i.engagement_id == getattr(last_meeting, "pk", None)
    ]
    others = [
        (i, i.is_overdue(today))
        for i in items
        if i.is_open and i.engagement_id != getattr(last_meeting, "pk", None)
    ]
    return MeetingPack(
        home_state=home_state,
        today=today,
        names_masked=bool(cases) and len(visible_people) < len(cases),
        groups=ordered,
        next_batch=next_batch,
        last_meeting=last_meeting,
        last_meeting_items=from_last,
        other_open_items=others,
        figures=state_figures(user, home_state, today=today),
        responsiveness=responsiveness(user, home_state, today=today),
        **_adult_figures(user, home_state, today),
    )


def _adult_figures(user, home_state, today) -> dict:
    """The pack's adults and evidence requests, as far as `user` may see them."""
    from homeward.adults.queries import releases_due
    from homeward.judicial.queries import request_figures

    found = {}
    if user.has_capability(capabilities.VIEW_ADULT_CASE):
        found["releases_due"] = releases_due(user, home_state=home_state, today=today)
    if user.has_capability(capabilities.VIEW_EVIDENCE_REQUEST):
        found["evidence_requests"] = request_figures(user, home_state=home_state)
    return found


def engagement_documents(user, engagement) -> list:
    """Documents filed on `engagement` that the user may see (scope follows the child)."""
    from django.contrib.contenttypes.models import ContentType

    from homeward.attachments.models import Attachment

    return list(
        Attachment.objects.for_user(user, "view")
        .filter(
            document_type=ContentType.objects.get_for_model(Engagement),
            document_id=str(engagement.pk),
            is_withdrawn=False,
        )
        .select_related("person")
    )
