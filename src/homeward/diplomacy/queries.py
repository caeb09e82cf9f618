"""Named reads of the diplomacy app: the home-state figures and the action items owed.

Everything is computed within the viewer's scope: a consul's figures count only its own
state's children, because the cases are read through `Case.objects.for_user`.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.diplomacy.choices import ActionItemStatus
from homeward.diplomacy.models import ActionItem, Engagement
from homeward.workflow.gates import requirements_for
from homeward.workflow.models import RequirementsPolicy

__all__ = [
    "StateFigures",
    "engagements_for",
    "open_action_items_for",
    "policy_history",
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
    for case in pending.select_related("home_state", "child"):
        for requirement in requirements_for(case, today=today, viewer=user):
            owner = requirement.owed_by
            if requirement.is_met or owner is None or owner.kind != AgencyKind.HOME_STATE_MISSION:
                continue
            if requirement.days_waiting is not None:
                waits.append(requirement.days_waiting)
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
