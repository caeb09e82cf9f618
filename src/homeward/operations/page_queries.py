"""Reads behind the operations pages: the month calendar and each child's readiness to travel.

Every function takes querysets or records the caller already narrowed to the viewer's scope
(`Operation.objects.for_user`), so nothing here can widen what a page shows.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from homeward.accounts import capabilities as cap
from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import CaseStatus
from homeward.operations.choices import EntryStatus, OperationStatus
from homeward.operations.models import ManifestEntry, Operation

__all__ = [
    "CalendarMonth",
    "EntryReadiness",
    "ManifestGroup",
    "PlanFamily",
    "calendar_month",
    "manifest_readiness",
    "mission_owes",
    "plan_families",
]

# An operation still ahead: what a consul must prepare for.
OPEN_STATUSES = (
    OperationStatus.PROPOSED,
    OperationStatus.NEGOTIATING,
    OperationStatus.CONFIRMED,
    OperationStatus.MANIFEST_FROZEN,
    OperationStatus.EXECUTING,
    OperationStatus.POSTPONED,
)


@dataclass
class CalendarMonth:
    first: datetime.date
    weeks: list  # of 7 (date or None, [operations]) pairs
    weekdays: list  # the seven dates of the first week, for the column headings
    previous: datetime.date
    next: datetime.date


def calendar_month(operations, month: datetime.date, *, first_weekday: int = 5) -> CalendarMonth:
    """The month of `month` as weeks of days, each with the operations flying that day.

    Weeks start on Saturday (first_weekday=5), as the Iraqi working week does.
    """
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    by_day = defaultdict(list)
    for operation in operations:
        day = operation.actual_date or operation.planned_date
        if first <= day <= last:
            by_day[day].append(operation)
    dates = calendar.Calendar(first_weekday).monthdatescalendar(first.year, first.month)
    weeks = [
        [(day if day.month == first.month else None, by_day.get(day, [])) for day in week]
        for week in dates
    ]
    return CalendarMonth(
        first=first,
        weeks=weeks,
        weekdays=dates[0],
        previous=(first - datetime.timedelta(days=1)).replace(day=1),
        next=last + datetime.timedelta(days=1),
    )


@dataclass
class EntryReadiness:
    """One child on the manifest: ready, or what is missing and who owes it."""

    entry: ManifestEntry
    missing: list = field(default_factory=list)  # workflow Requirements not met
    adults: list = field(default_factory=list)  # adult entries travelling with the child

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def owed_by_mission(self) -> list:
        return [
            r for r in self.missing if r.owed_by and r.owed_by.kind == AgencyKind.HOME_STATE_MISSION
        ]


@dataclass
class ManifestGroup:
    """Siblings who travel together (a family group), or a child alone."""

    family: object | None
    children: list  # of EntryReadiness


def _requirements_at(cases, day: datetime.date, viewer) -> dict:
    """case id -> unmet requirements of travelling on `day` (the SCHEDULED gate, renewals
    included), as `viewer` may see them."""
    from homeward.workflow.gates import evaluate, seal, unmet
    from homeward.workflow.loader import load_facts_many

    cases = list(cases)
    if not cases:
        return {}
    facts = load_facts_many(cases, today=day)
    may_see = viewer.has_capability(cap.VIEW_DNA_RESULT)
    return {
        case.pk: unmet(
            [seal(r, may_see_dna=may_see) for r in evaluate(facts[case.pk], CaseStatus.SCHEDULED)]
        )
        for case in cases
    }


def manifest_readiness(operation: Operation, *, viewer) -> list[ManifestGroup]:
    """The manifest's children grouped by family, each with what still stops them travelling.

    Readiness is judged at the planned date: a travel document or a clearance that expires
    before the flight shows as missing now. Children no longer travelling (NOT_BOARDED) and
    those already handed over show no requirements.
    """
    entries = list(
        operation.entries.select_related(
            "person", "case", "case__child", "case__home_state", "case__family_group", "escort"
        )
        .prefetch_related("person__names")
        .order_by("created_at")
    )
    children = [entry for entry in entries if entry.case_id]
    pending = [
        entry.case
        for entry in children
        if entry.status in (EntryStatus.PLANNED, EntryStatus.CONFIRMED)
        and entry.case.status in (CaseStatus.APPROVED, CaseStatus.SCHEDULED)
    ]
    missing = _requirements_at(pending, operation.planned_date, viewer)
    adults = defaultdict(list)
    for entry in entries:
        if entry.case_id is None:
            adults[entry.accompanies_id].append(entry)
    groups: dict = {}
    order: list = []
    for entry in children:
        key = entry.case.family_group_id or f"case-{entry.case_id}"
        if key not in groups:
            groups[key] = ManifestGroup(family=entry.case.family_group, children=[])
            order.append(key)
        groups[key].children.append(
            EntryReadiness(
                entry=entry,
                missing=missing.get(entry.case_id, []),
                adults=adults.get(entry.case_id, []),
            )
        )
    result = [groups[key] for key in order]
    lone_adults = [
        entry for entry in entries if entry.case_id is None and entry.accompanies_id is None
    ]
    if lone_adults:
        result.append(
            ManifestGroup(family=None, children=[EntryReadiness(entry=a) for a in lone_adults])
        )
    return result


def mission_owes(operations, *, viewer) -> dict:
    """operation id -> how many of its children wait on the home-state mission (open ones)."""
    owed: dict = {}
    for operation in operations:
        if operation.status not in OPEN_STATUSES:
            continue
        count = 0
        for group in manifest_readiness(operation, viewer=viewer):
            count += sum(1 for child in group.children if child.owed_by_mission)
        owed[operation.pk] = count
    return owed


@dataclass
class PlanFamily:
    """A family (or a child alone) proposed for the manifest, keyed for the form."""

    key: str
    label: str
    members: list  # of rules.Readiness (case, missing reasons in words)
    # mothers (or fathers) who may travel with a child: (key, person, case, reasons in words)
    adults: list = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(member.ready for member in self.members)


def plan_families(operation: Operation, *, viewer) -> list[PlanFamily]:
    """`rules.propose_manifest` narrowed to the cases `viewer` may see: ready families first,
    every refusal in words (sibling not ready, document or clearance expiring before the date)."""
    from homeward.cases.models import Case
    from homeward.operations.rules import propose_manifest

    visible = set(
        Case.objects.for_user(viewer, "view")
        .filter(home_state=operation.home_state)
        .values_list("pk", flat=True)
    )
    families = []
    for family in propose_manifest(operation):
        members = [member for member in family.members if member.case.pk in visible]
        if not members:
            continue
        first = members[0].case
        key = str(first.family_group_id or first.pk)
        families.append(PlanFamily(key=key, label=family.label, members=members))
    _offer_parents(operation, families)
    return families


def _offer_parents(operation: Operation, families: list[PlanFamily]) -> None:
    """Each family's parents in the registry, judged as if the family were added with them
    (`rules.check_adults`): free to travel, or why not, in words."""
    from homeward.operations.rules import check_adults
    from homeward.people.models import Relationship

    cases = {member.case.child_id: member.case for f in families for member in f.members}
    parents = (
        Relationship.objects.filter(person_id__in=cases, relationship_type__in=["mother", "father"])
        .select_related("relative")
        .order_by("relative_id", "person__case__reference")
    )
    first_child: dict = {}
    for link in parents:
        first_child.setdefault(link.relative_id, (link.relative, cases[link.person_id]))
    pairs = list(first_child.values())
    family_of = {member.case.pk: f for f in families for member in f.members}
    reasons = check_adults(operation, pairs, travelling_cases=[case.pk for _p, case in pairs])
    for person, case in pairs:
        family_of[case.pk].adults.append(
            (f"{person.pk}:{case.pk}", person, case, reasons[person.pk])
        )
