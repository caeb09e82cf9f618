"""Desk queries: what each user's agency owes, oldest first, overdue flagged, within scope.

`desk_for(user)` is what the desks UI and API show. An item is on a user's desk when a
case the user may see has an unmet requirement whose owner's acting capability the user
holds (the judge sees judicial clearances waiting, the lab sees DNA to compare, a consul
its own nationals' confirmations), plus the open tasks owed by the user's agency kind.
Requirements are evaluated as the user may see them: sealed DNA results stay sealed.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from homeward.cases.choices import IN_CUSTODY_STATES
from homeward.cases.choices import CaseStatus as St
from homeward.cases.models import Case
from homeward.workflow.choices import TaskStatus
from homeward.workflow.gates import Requirement, requirements_for_many
from homeward.workflow.loader import APPROVED_OR_LATER, LEFT_THE_GROUP
from homeward.workflow.models import Task

__all__ = ["Desk", "DeskItem", "desk_for", "overdue_after_days"]


def overdue_after_days() -> int:
    return getattr(settings, "HOMEWARD_OVERDUE_DAYS", 30)


@dataclass(frozen=True)
class DeskItem:
    """One thing the user's agency owes on one case."""

    case: Case
    requirement: Requirement

    @property
    def overdue(self) -> bool:
        days = self.requirement.days_waiting
        return days is not None and days > overdue_after_days()


@dataclass
class Desk:
    items: list[DeskItem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def _owed_by_user(user, requirement: Requirement) -> bool:
    owner = requirement.owed_by
    return owner is not None and user.has_capability(owner.capability)


def desk_for(user, *, today: datetime.date | None = None, cases=None) -> Desk:
    """The user's desk: unmet requirements they can act on, oldest first, and open tasks.

    `cases` narrows the cases considered (e.g. a page of them); it is always intersected
    with the user's own scope.
    """
    visible = Case.objects.for_user(user, "view").filter(
        status__in=[s for s in IN_CUSTODY_STATES if s != St.AGED_OUT]
    )
    if cases is not None:
        visible = visible.filter(pk__in=[case.pk for case in cases])
    items = []
    cases = list(visible.select_related("home_state", "child").order_by("reference"))
    for case, requirements in zip(
        cases, requirements_for_many(cases, today=today, viewer=user).values(), strict=True
    ):
        for requirement in requirements:
            if not requirement.is_met and _owed_by_user(user, requirement):
                items.append(DeskItem(case, requirement))
    never = timezone.now() + datetime.timedelta(days=1)
    items.sort(key=lambda item: (item.requirement.waiting_since or never, item.case.reference))
    agency = getattr(user, "agency", None)
    tasks = Task.objects.for_user(user, "view").filter(status=TaskStatus.OPEN)
    if not user.is_superuser:
        tasks = tasks.filter(owed_by=agency.kind if agency else "")
    return Desk(items=items, tasks=list(tasks.select_related("case").order_by("due", "created_at")))


def siblings_to_approve(case: Case, user) -> list[Case]:
    """The cases of `case`'s sibling group that a judge approves together, `case` included.

    Empty when the child is not in a group that must travel together. Read through the
    viewer's scope, so a page can never list a sibling the viewer may not see.
    """
    group = case.family_group
    if group is None or not group.must_travel_together:
        return []
    return list(
        Case.objects.for_user(user, "view")
        .filter(family_group=group)
        .exclude(status__in=[*LEFT_THE_GROUP, *APPROVED_OR_LATER])
        .select_related("child")
        .order_by("reference")
    )
