"""Who may go on a manifest, and why not: every refusal in words, per child (issue 5).

Reads only (no writes), so the services, the readiness page and `propose_manifest` ask the
same questions. Everything is judged **at the operation's planned date**: the SCHEDULED gate
(`workflow.gates`), a travel document still valid that day, no clearance expired by then.
A child's siblings who must travel together come on the same manifest, unless a
best-interests determination allows the separation (as the workflow's `siblings` gate rule
decides). Adults are mothers who served their sentence, travelling with their own child.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.evidence.choices import ClearanceType
from homeward.operations.choices import EntryStatus, OperationStatus
from homeward.operations.models import ManifestEntry, Operation
from homeward.people.choices import LegalStatus, PersonKind
from homeward.people.models import Relationship
from homeward.workflow.gates import requirements_for, unmet
from homeward.workflow.loader import LEFT_THE_GROUP, load_facts_many

__all__ = [
    "LIVE_OPERATION_STATUSES",
    "ProposedFamily",
    "Readiness",
    "check_adults",
    "check_cases",
    "propose_manifest",
]

# An operation whose manifest still holds its people (a child can be on one only).
LIVE_OPERATION_STATUSES = [
    OperationStatus.PROPOSED,
    OperationStatus.NEGOTIATING,
    OperationStatus.CONFIRMED,
    OperationStatus.MANIFEST_FROZEN,
    OperationStatus.EXECUTING,
    OperationStatus.POSTPONED,
]
LIVE_ENTRY_STATUSES = [EntryStatus.PLANNED, EntryStatus.CONFIRMED, EntryStatus.BOARDED]
# A sibling already handed over no longer holds the group back.
ALREADY_RETURNED = [CaseStatus.HANDED_OVER, CaseStatus.RECEIVED, CaseStatus.FOLLOW_UP]
# Adults who may travel: not (or no longer) detained.
FREE_TO_TRAVEL = [LegalStatus.RELEASED, LegalStatus.NOT_DETAINED]
CLEARANCE_CODES = {f"clearance.{kind}": kind for kind in ClearanceType.values}


@dataclass(frozen=True)
class Readiness:
    """A child's case judged for an operation: ready, or what is missing in words."""

    case: Case
    missing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass
class ProposedFamily:
    """Cases proposed together: a sibling group, or one child alone (`label` empty)."""

    label: str
    members: list[Readiness] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(member.ready for member in self.members)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _live_elsewhere(operation: Operation, case_ids) -> dict:
    """Case id -> reference of another live operation whose manifest holds the case."""
    rows = (
        ManifestEntry.objects.filter(
            case_id__in=case_ids,
            status__in=LIVE_ENTRY_STATUSES,
            operation__status__in=LIVE_OPERATION_STATUSES,
        )
        .exclude(operation_id=operation.pk)
        .values_list("case_id", "operation__reference")
    )
    return dict(rows)


def _gate_reasons(case: Case, facts, travel: datetime.date) -> list[str]:
    """The SCHEDULED gate at the travel date, each unmet item in words."""
    reasons = []
    requirements = requirements_for(case, today=travel, target=CaseStatus.SCHEDULED, facts=facts)
    for requirement in unmet(requirements):
        if requirement.code == "logistics.travel_document" and facts.travel_documents_valid_until:
            reasons.append(
                _("The travel document expires on %(date)s, before the travel date %(travel)s.")
                % {"date": _date(max(facts.travel_documents_valid_until)), "travel": _date(travel)}
            )
        elif requirement.code == "logistics.travel_document":
            reasons.append(_("No travel document has been issued by the home state."))
        elif requirement.code in CLEARANCE_CODES and requirement.status == "expired":
            found = facts.clearances[CLEARANCE_CODES[requirement.code]]
            reasons.append(
                _("%(clearance)s expires on %(date)s, before the travel date %(travel)s.")
                % {
                    "clearance": requirement.label,
                    "date": _date(found.expires_at.date()),
                    "travel": _date(travel),
                }
            )
        else:
            reasons.append(requirement.describe())
    return reasons


def _siblings(cases: list[Case]) -> dict:
    """Case id -> its siblings who must travel with it (still in the group, not returned)."""
    group_ids = {case.family_group_id for case in cases if case.family_group_id}
    members: dict = {}
    for sibling in (
        Case.objects.filter(family_group_id__in=group_ids, family_group__must_travel_together=True)
        .exclude(status__in=[*LEFT_THE_GROUP, *ALREADY_RETURNED])
        .order_by("reference")
    ):
        members.setdefault(sibling.family_group_id, []).append(sibling)
    return {
        case.pk: [s for s in members.get(case.family_group_id, []) if s.pk != case.pk]
        for case in cases
        if case.family_group_id in members
    }


def check_cases(
    operation: Operation, cases, *, today: datetime.date | None = None
) -> dict[object, list[str]]:
    """Case id -> the reasons it cannot be on `operation`'s manifest (empty list: it can).

    `cases` are judged together, as one addition: siblings in the same batch count as
    coming along, provided they are ready themselves. Cases already on this manifest
    count as present. `today` overrides the travel date (the operation's planned date).
    """
    cases = list(cases)
    travel = today or operation.planned_date
    present = set(
        operation.entries.filter(case__isnull=False, status__in=LIVE_ENTRY_STATUSES).values_list(
            "case_id", flat=True
        )
    )
    facts = load_facts_many(cases, today=travel, include_siblings=False)
    elsewhere = _live_elsewhere(operation, [case.pk for case in cases])
    reasons: dict = {}
    for case in cases:
        found = []
        if case.home_state_id != operation.home_state_id:
            found.append(_("The case belongs to another home state."))
        if case.status != CaseStatus.APPROVED and case.pk not in present:
            found.append(
                _("The case is not approved for handover (its status is %(status)s).")
                % {"status": case.get_status_display()}
            )
        if case.pk in elsewhere:
            found.append(
                _("Already on the manifest of operation %(reference)s.")
                % {"reference": elsewhere[case.pk]}
            )
        if case.status in (CaseStatus.APPROVED, CaseStatus.SCHEDULED):
            found += _gate_reasons(case, facts[case.pk], travel)
        reasons[case.pk] = found
    _check_siblings(cases, facts, reasons, present, elsewhere)
    return reasons


def _check_siblings(cases, facts, reasons, present, elsewhere) -> None:
    """Refuse a child whose siblings neither come along nor are on the manifest already.

    Repeated until nothing changes: refusing one sibling refuses the others of the group.
    """
    in_batch = {case.pk for case in cases}
    groups = _siblings(cases)
    blamed: dict = {case.pk: set() for case in cases}
    changed = True
    while changed:
        changed = False
        for case in cases:
            if case.pk not in groups:
                continue
            if any(a.separation_from_siblings_ok for a in facts[case.pk].assessments):
                continue
            for sibling in groups[case.pk]:
                if sibling.pk in present or sibling.pk in blamed[case.pk]:
                    continue
                if sibling.pk in in_batch:
                    if not reasons[sibling.pk]:
                        continue
                    text = _(
                        "Sibling %(reference)s is not ready to travel, and siblings travel "
                        "together."
                    )
                elif sibling.status != CaseStatus.APPROVED or sibling.pk in elsewhere:
                    text = _(
                        "Sibling %(reference)s is not ready to travel, and siblings travel "
                        "together."
                    )
                else:
                    text = _("Sibling %(reference)s must be added too: siblings travel together.")
                blamed[case.pk].add(sibling.pk)
                reasons[case.pk].append(text % {"reference": sibling.reference})
                changed = True


def check_adults(operation: Operation, adults, *, travelling_cases=()) -> dict[object, list[str]]:
    """Person id -> the reasons an adult cannot travel with the child of the given case.

    `adults` are (person, case) pairs; `travelling_cases` are the ids of cases being added in
    the same step (besides those on the manifest already).
    """
    adults = list(adults)
    on_manifest = set(
        operation.entries.filter(case__isnull=False, status__in=LIVE_ENTRY_STATUSES).values_list(
            "case_id", flat=True
        )
    ) | set(travelling_cases)
    related = set(
        Relationship.objects.filter(
            person_id__in=[case.child_id for _person, case in adults],
            relative_id__in=[person.pk for person, _case in adults],
        ).values_list("person_id", "relative_id")
    )
    elsewhere = dict(
        ManifestEntry.objects.filter(
            person_id__in=[person.pk for person, _case in adults],
            status__in=LIVE_ENTRY_STATUSES,
            operation__status__in=LIVE_OPERATION_STATUSES,
        )
        .exclude(operation_id=operation.pk)
        .values_list("person_id", "operation__reference")
    )
    reasons: dict = {}
    for person, case in adults:
        found = []
        name = {"name": person.display_name}
        if person.kind != PersonKind.ADULT:
            found.append(_("%(name)s is not an adult: children travel on their own case.") % name)
        elif person.legal_status not in FREE_TO_TRAVEL:
            found.append(
                _("%(name)s is not recorded as released: only adults free to travel may go.") % name
            )
        if (case.child_id, person.pk) not in related:
            found.append(
                _("%(name)s is not recorded as a relative of the child of case %(reference)s.")
                % {**name, "reference": case.reference}
            )
        if case.pk not in on_manifest:
            found.append(
                _("The child of case %(reference)s is not on this manifest.")
                % {"reference": case.reference}
            )
        if person.pk in elsewhere:
            found.append(
                _("Already on the manifest of operation %(reference)s.")
                % {"reference": elsewhere[person.pk]}
            )
        reasons[person.pk] = found
    return reasons


def propose_manifest(operation: Operation, *, today: datetime.date | None = None):
    """The APPROVED cases of the operation's home state not yet on it, grouped by family.

    Ready families first; for each case not ready, what is missing at the travel date.
    """
    candidates = list(
        Case.objects.filter(home_state_id=operation.home_state_id, status=CaseStatus.APPROVED)
        .exclude(manifest_entries__operation=operation)
        .select_related("child", "home_state", "family_group")
        .prefetch_related("child__names")
        .order_by("reference")
    )
    reasons = check_cases(operation, candidates, today=today)
    families: dict = {}
    for case in candidates:
        key = case.family_group_id or case.pk
        label = case.family_group.label if case.family_group_id else ""
        family = families.setdefault(key, ProposedFamily(label))
        family.members.append(Readiness(case, tuple(reasons[case.pk])))
    return sorted(families.values(), key=lambda family: (not family.ready, family.label))
