"""Checks every evidence use case makes before it writes.

Services never trust the adapter: each one checks the actor's capability (PermissionDenied)
and that the case is in the actor's scope (OutOfScopeError — which adapters answer as 404,
exactly like a missing record), then locks the case so concurrent writers queue.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError
from homeward.workflow.policies import policy_in_force

__all__ = [
    "authorize",
    "authorize_all",
    "mission_country",
    "moment_of",
    "policy_for",
    "save_new",
]


def authorize(actor, capability: str, case: Case) -> Case:
    """The locked, fresh case if `actor` holds `capability` and sees the case; else raise."""
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied
    if not Case.objects.for_user(actor, "view").filter(pk=case.pk).exists():
        raise OutOfScopeError()
    return Case.objects.select_for_update().select_related("home_state", "child").get(pk=case.pk)


def authorize_all(actor, cases) -> list[Case]:
    """Every case in `cases` must be visible to the actor (consents, assurances cover several)."""
    pks = {case.pk for case in cases}
    visible = Case.objects.for_user(actor, "view").filter(pk__in=pks)
    if visible.count() != len(pks):
        raise OutOfScopeError()
    return list(Case.objects.filter(pk__in=pks))


def mission_country(actor) -> str | None:
    """The country a mission user speaks for, or None for everyone else."""
    agency = getattr(actor, "agency", None)
    return agency.country_id if agency is not None and agency.is_mission else None


def policy_for(case: Case, on=None):
    """The home state's policy in force on `on` (default today) — recorded with the record."""
    return policy_in_force(case.home_state_id, on or timezone.localdate())


def moment_of(at):
    """`at` (a past moment, for records entered after the fact) or now; never the future."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError({"at": _("This moment cannot be in the future.")})
    return at


def save_new(record, *, exclude=None):
    """Validate with the model's invariants and insert."""
    record.full_clean(exclude=exclude)
    record.save(force_insert=True)
    return record
