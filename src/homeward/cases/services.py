"""Write use cases for cases. Each runs inside the caller's transaction (see people.services)."""

from django.db.models import Max
from django.utils import timezone

from homeward.audit.services import record_event
from homeward.cases import events
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case

__all__ = ["change_case_home_state", "next_case_reference", "open_case"]


def next_case_reference(year: int) -> str:
    """HW-<year>-<n>: sequential per year. Callers hold the write transaction."""
    prefix = f"HW-{year}-"
    last = Case.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


def open_case(child, *, actor, home_state, owner=None, opened_at=None) -> Case:
    """Open the one case of a newly registered child (part of register_child)."""
    now = opened_at or timezone.now()
    case = Case(
        reference=next_case_reference(now.year),
        child=child,
        home_state=home_state,
        status=CaseStatus.REGISTERED,
        status_changed_at=now,
        opened_at=now,
        owner=owner,
    )
    case.full_clean()
    case.save(force_insert=True)
    record_event(events.CASE_OPENED, actor=actor, target=case, data={"reference": case.reference, "home_state": home_state.code})
    return case


def change_case_home_state(case: Case, *, actor, home_state) -> Case:
    """Move a case to another home state (a nationality re-assessment). Scope is re-checked by the caller."""
    old = case.home_state_id
    Case.objects.filter(pk=case.pk).update(home_state=home_state, version=case.version + 1)
    case.home_state, case.version = home_state, case.version + 1
    record_event(
        events.CASE_HOME_STATE_CHANGED, actor=actor, target=case, data={"home_state": [old, home_state.code]},
    )
    return case
