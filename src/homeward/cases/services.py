"""Write use cases for cases.

`open_case` and `change_case_home_state` run inside the caller's transaction (they are steps
of people.services use cases); `record_historical_status` and `create_family_group` are use
cases of their own, each one durable transaction with its audit event.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record_event
from homeward.cases import events
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case, FamilyGroup

__all__ = [
    "change_case_home_state",
    "create_family_group",
    "next_case_reference",
    "open_case",
    "record_historical_status",
]


def next_case_reference(year: int) -> str:
    """HW-<year>-<n>: sequential per year. Callers hold the write transaction."""
    prefix = f"HW-{year}-"
    last = Case.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))[
        "last"
    ]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


def open_case(child, *, actor, home_state, owner=None, opened_at=None) -> Case:
    """Open the one case of a newly registered child (part of register_child)."""
    now = opened_at or timezone.now()
    case = Case(
        reference=next_case_reference(
            timezone.localtime(now).year
        ),  # the ministry's year, not UTC's
        child=child,
        home_state=home_state,
        status=CaseStatus.REGISTERED,
        status_changed_at=now,
        opened_at=now,
        owner=owner,
    )
    case.full_clean()
    case.save(force_insert=True)
    record_event(
        events.CASE_OPENED,
        actor=actor,
        target=case,
        data={"reference": case.reference, "home_state": home_state.code},
    )
    return case


def change_case_home_state(case: Case, *, actor, home_state) -> Case:
    """Move a case to another home state (a nationality re-assessment).

    The caller re-checks scope afterwards.
    """
    old = case.home_state_id
    Case.objects.filter(pk=case.pk).update(home_state=home_state, version=case.version + 1)
    case.home_state, case.version = home_state, case.version + 1
    record_event(
        events.CASE_HOME_STATE_CHANGED,
        actor=actor,
        target=case,
        data={"home_state": [old, home_state.code]},
    )
    return case


def _aware(at: datetime.date | datetime.datetime) -> datetime.datetime:
    """A date is taken as noon, Baghdad time, that day; a naive datetime as local time."""
    if not isinstance(at, datetime.datetime):
        at = datetime.datetime.combine(at, datetime.time(12, 0))
    return timezone.make_aware(at) if timezone.is_naive(at) else at


@transaction.atomic(durable=True)
def record_historical_status(
    case: Case,
    *,
    actor,
    status: str,
    at: datetime.date | datetime.datetime,
    return_status: str = "",
) -> Case:
    """Record the status a case had reached at `at`, taken from past records.

    For data loaded from before Homeward (imports, the demo data set): no workflow gate is
    checked, because the decision was taken and documented elsewhere; the case's own
    invariants still hold (a side state names the main state to return to), the date may
    not lie in the future, and the act is audited as `cases.case.status_recorded` with the
    historical date. A CLOSED status also sets `closed_at`. Live work uses the workflow.
    """
    at = _aware(at)
    if at > timezone.now():
        raise ValidationError({"at": _("A recorded status cannot be dated in the future.")})
    current = Case.objects.select_for_update().get(pk=case.pk)
    before = current.status
    current.status, current.return_status, current.status_changed_at = status, return_status, at
    current.closed_at = at if status == CaseStatus.CLOSED else None
    current.full_clean()
    current.version += 1
    fields = ["status", "return_status", "status_changed_at", "closed_at", "version"]
    current.save(update_fields=fields)
    record_event(
        events.CASE_STATUS_RECORDED,
        actor=actor,
        target=current,
        data={"status": [before, status], "return_status": return_status, "at": at},
    )
    return current


@transaction.atomic(durable=True)
def create_family_group(
    *, actor, label: str, cases: Iterable[Case], must_travel_together: bool = True
) -> FamilyGroup:
    """Put the cases of siblings who travel together into a new family group.

    A group needs at least two cases, and a case already in a group is refused rather
    than silently moved.
    """
    pks = [case.pk for case in cases]
    members = list(Case.objects.select_for_update().filter(pk__in=pks).order_by("reference"))
    if len(members) < 2:
        raise ValidationError({"cases": _("A family group needs at least two children's cases.")})
    grouped = ", ".join(member.reference for member in members if member.family_group_id)
    if grouped:
        message = _("Already in a family group: %(references)s") % {"references": grouped}
        raise ValidationError({"cases": message})
    group = FamilyGroup(label=label, must_travel_together=must_travel_together)
    group.full_clean()
    group.save(force_insert=True)
    Case.objects.filter(pk__in=pks).update(family_group=group, version=F("version") + 1)
    states = {member.home_state_id for member in members}
    record_event(
        events.FAMILY_GROUP_CREATED,
        actor=actor,
        target=group,
        home_state=states.pop() if len(states) == 1 else "",
        data={"label": label, "cases": [member.reference for member in members]},
    )
    return group
