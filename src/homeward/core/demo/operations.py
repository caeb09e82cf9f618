"""The demo's return operations: every historical batch as a flown, mostly reconciled operation.

Each batch of `builder.BATCHES` (as scaled for the plan) becomes an Operation with its
carrier, route and escort as the sources describe them, a manifest whose children are
BOARDED, a Handover on the batch date and a HandoverItem per child, so that
`operations.queries.returned_children()` gives the published series exactly. The February
2019 Russian flight was planned for 39 and flew 27, the July 2019 one planned 34 and flew
33: the children who stayed are pending Russian children, NOT_BOARDED with a reason. The
Turkish May 2019 mothers who had served their sentences travel with their children. Then a
PROPOSED next Russian batch (with six children ready or nearly, demo.next_batch) and a
NEGOTIATING Kyrgyz one, through the services, planned weeks after the day of seeding.

The historical rows are written in bulk (a few thousand rows, like the evidence writer's
history), with one audit event per operation; the open operations go through the services.
"""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from homeward.audit.services import record_event
from homeward.cases.choices import CaseStatus
from homeward.cases.facts import refresh_limbo_facts
from homeward.cases.models import Case
from homeward.core.demo.builder import Plan
from homeward.core.demo.next_batch import FLIGHT_OFFSET, write_next_batch
from homeward.core.models import HomeState
from homeward.operations import events
from homeward.operations import services as ops
from homeward.operations.choices import EntryStatus, OperationStatus
from homeward.operations.models import (
    Handover,
    HandoverItem,
    ManifestEntry,
    Operation,
    OperationMember,
    Reconciliation,
)
from homeward.people.choices import LegalStatus
from homeward.people.models import Relationship

__all__ = ["write_operations"]

OFFICER = "mfa.officer"
PROTOCOL = "mfa.protocol"

# state -> carrier, kind, aircraft, route, handover place, escort and observers
CARRIERS = {
    "RU": (
        "EMERCOM of Russia",
        "state_aircraft",
        "Il-76",
        "BGW → ZIA (Ramenskoye)",
        "Baghdad International Airport",
        [
            ("doctor", "home", "EMERCOM flight doctor", "EMERCOM of Russia"),
            ("psychologist", "home", "EMERCOM psychologist", "EMERCOM of Russia"),
            ("ombudsman_staff", "home", "Children's Ombudsman's office", "Russian Federation"),
        ],
    ),
    "TJ": (
        "FlyErbil",
        "charter",
        "Boeing 737",
        "BGW → DYU",
        "Baghdad International Airport",
        [("official", "home", "Embassy of Tajikistan", "Ministry of Foreign Affairs")],
    ),
    "TR": (
        "Turkish Airlines",
        "commercial",
        "",
        "BGW → IST",
        "Baghdad International Airport",
        [
            ("official", "home", "Embassy of Turkey", "Ministry of Foreign Affairs"),
            ("observer", "observer", "UNICEF Iraq", "UNICEF"),
        ],
    ),
    "AZ": (
        "Turkish Airlines",
        "commercial",
        "",
        "BGW → IST → GYD",
        "Baghdad International Airport",
        [("official", "home", "Embassy of Azerbaijan", "Ministry of Foreign Affairs")],
    ),
    "UZ": (
        "Uzbekistan Airways",
        "charter",
        "Airbus A320",
        "BGW → TAS (Mehr-2)",
        "Baghdad International Airport",
        [
            ("official", "home", "Mehr-2 operation team", "Government of Uzbekistan"),
            ("observer", "observer", "UNICEF Iraq", "UNICEF"),
        ],
    ),
}
DEFAULT_CARRIER = (
    "Commercial flight",
    "commercial",
    "",
    "BGW → home",
    "Baghdad International Airport",
    [("official", "home", "Embassy", "Ministry of Foreign Affairs")],
)
HOST = [("official", "host", "MFA protocol officer", "Ministry of Foreign Affairs of Iraq")]

# (state, batch date) -> children planned who did not board
SHORTFALLS = {("RU", datetime.date(2019, 2, 10)): 12, ("RU", datetime.date(2019, 7, 10)): 1}
NOT_BOARDED_REASONS = ["document_defect", "consent", "illness", "sibling"]
# The batch whose adults (mothers who had served illegal-entry sentences) flew with the children.
TURKISH_ADULTS_BATCH = ("TR", datetime.date(2019, 5, 29))
# The last operations are completed but not reconciled yet.
UNRECONCILED = 2


class OperationsWriter:
    def __init__(self, plan: Plan, users: Mapping, people: Mapping):
        self.plan, self.users, self.people = plan, users, people
        self.states = HomeState.objects.in_bulk()

    def write(self) -> dict[str, int]:
        batches = {}
        for child in self.plan.children:
            if child.handed_over_on:
                batches.setdefault((child.home_state, child.handed_over_on), []).append(child.key)
        ordered = sorted(batches.items(), key=lambda item: item[0][1])
        stayed = self.children_who_stayed([batch for batch, _keys in ordered])
        for index, ((state, day), keys) in enumerate(ordered):
            reconciled = index < len(ordered) - UNRECONCILED
            self.write_batch(state, day, keys, stayed.get((state, day), []), reconciled=reconciled)
        ready = write_next_batch(self.users)
        opened = self.write_open_operations()
        return {"operations": len(ordered) + opened, "next_batch": ready}

    def children_who_stayed(self, batches) -> dict[tuple, list]:
        """(state, day) -> pending cases recorded NOT_BOARDED on that batch.

        Latest batch first, withdrawn cases first: the child withdrawn from an operation is the
        one who did not board the last batch with a shortfall (July 2019 for Russia); the
        earlier shortfalls take the cases on hold, as far as the registry has them.
        """
        spare: dict[str, list] = {}
        for case in Case.objects.filter(
            status__in=[
                CaseStatus.WITHDRAWN_FROM_OPERATION,
                CaseStatus.ON_HOLD,
                CaseStatus.HOME_STATE_UNRESPONSIVE,
            ]
        ).order_by("reference"):
            spare.setdefault(case.home_state_id, []).append(case)
        for cases in spare.values():
            cases.sort(key=lambda case: case.status != CaseStatus.WITHDRAWN_FROM_OPERATION)
        stayed = {}
        for state, day in reversed(batches):
            missing = SHORTFALLS.get((state, day), 0)
            stayed[state, day] = spare.get(state, [])[:missing]
            spare[state] = spare.get(state, [])[missing:]
        return stayed

    def write_batch(self, state, day, keys, stayed, *, reconciled: bool) -> None:
        carrier, kind, aircraft, route, place, members = CARRIERS.get(state, DEFAULT_CARRIER)
        handed_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        missing = SHORTFALLS.get((state, day), 0)
        planned = len(keys) + missing
        operation = Operation.objects.create(
            reference=f"{state}-{day:%Y-%m-%d}",
            home_state=self.states[state],
            status=OperationStatus.RECONCILED if reconciled else OperationStatus.COMPLETED,
            carrier=carrier,
            carrier_kind=kind,
            aircraft=aircraft,
            route=route,
            handover_location=place,
            planned_date=day,
            actual_date=day,
            planned_count=planned,
            actual_count=len(keys),
            created_by=self.users[OFFICER],
            created_at=handed_at - datetime.timedelta(days=45),
            frozen_at=handed_at - datetime.timedelta(days=7),
        )
        OperationMember.objects.bulk_create(
            OperationMember(operation=operation, role=r, side=s, name=n, organisation=o)
            for r, s, n, o in [*HOST, *members]
        )
        children = [self.people[key] for key in keys]
        cases = {case.child_id: case for case in Case.objects.filter(child__in=children)}
        entries = [
            ManifestEntry(
                operation=operation,
                person=child,
                case=cases[child.pk],
                status=EntryStatus.BOARDED,
                created_at=operation.created_at,
            )
            for child in children
        ]
        entries += [
            ManifestEntry(
                operation=operation,
                person_id=case.child_id,
                case=case,
                status=EntryStatus.NOT_BOARDED,
                not_boarded_reason=NOT_BOARDED_REASONS[index % len(NOT_BOARDED_REASONS)],
                not_boarded_note="Stayed in Baghdad; to travel on a later flight.",
                created_at=operation.created_at,
            )
            for index, case in enumerate(stayed)
        ]
        entries += self.mothers(operation, state, day, children, cases)
        ManifestEntry.objects.bulk_create(entries)
        Handover.objects.create(
            operation=operation,
            handed_over_at=handed_at,
            location=place,
            host_officials=[{"name": "MFA protocol", "role": "Protocol", "organisation": "MFA"}],
            receiving_officials=[
                {"name": f"Embassy of {self.states[state].name}", "role": "Consul"}
            ],
            witnesses=[
                {"name": "UNICEF Iraq", "role": "Observer", "organisation": "UNICEF"}
                for _r, side, _n, _o in members
                if side == "observer"
            ],
            attested_by=self.users[PROTOCOL],
            recorded_at=handed_at,
        )
        HandoverItem.objects.bulk_create(
            HandoverItem(
                entry=entry,
                identity_checked_by="MFA protocol officer",
                identity_method="document",
                documents_handed=["travel document", "medical summary"],
                medical_summary_handed=True,
                receiving_official=f"Embassy of {self.states[state].name}",
                boarded_at=handed_at,
            )
            for entry in entries
            if entry.case_id and entry.status == EntryStatus.BOARDED
        )
        # written in bulk, not through complete_operation: the cases' limbo facts as it does
        refresh_limbo_facts(case_ids=[entry.case_id for entry in entries])
        if reconciled:
            Reconciliation.objects.create(
                operation=operation,
                planned_count=planned,
                actual_count=len(keys),
                explanation=self.shortfall(missing, len(stayed)),
                reconciled_by=self.users[OFFICER],
                reconciled_at=handed_at + datetime.timedelta(days=3),
            )
        record_event(
            events.OPERATION_COMPLETED,
            actor=self.users[PROTOCOL],
            target=operation,
            data={
                "planned_count": planned,
                "actual_count": len(keys),
                "actual_date": day.isoformat(),
                "demo": True,
            },
        )

    @staticmethod
    def shortfall(missing: int, recorded: int) -> str:
        """The reconciliation's words for the children planned who did not fly."""
        if not missing:
            return ""
        if recorded == missing:
            return f"{missing} children did not board (see each entry's reason)."
        return (
            f"{missing} children did not board: {recorded} are on this manifest with the "
            f"reason; {missing - recorded} were withdrawn before the day by their home state "
            "and are not in this registry."
        )

    def mothers(self, operation, state, day, children, cases) -> list[ManifestEntry]:
        """The Turkish May 2019 mothers who served their (illegal-entry) sentences travel with
        a child: mothers of the batch sentenced to a term, released, or never detained (not
        those sentenced to life or death, awaiting trial or dead). Their adult cases are
        handed over with the children on the day (`demo.adults`)."""
        if (state, day) != TURKISH_ADULTS_BATCH:
            return []
        released = {}
        for mother, child in (
            Relationship.objects.filter(
                person__in=children,
                relationship_type="mother",
                relative__legal_status__in=[
                    LegalStatus.SENTENCED,
                    LegalStatus.RELEASED,
                    LegalStatus.NOT_DETAINED,
                ],
            )
            .order_by("relative__created_at", "relative_id", "person_id")
            .values_list("relative_id", "person_id")
        ):
            released.setdefault(mother, child)
        return [
            ManifestEntry(
                operation=operation,
                person_id=mother,
                accompanies=cases[child],
                status=EntryStatus.BOARDED,
                created_at=operation.created_at,
            )
            for mother, child in released.items()
        ]

    def write_open_operations(self) -> int:
        """A PROPOSED next Russian batch and a NEGOTIATING Kyrgyz one, on ready cases."""
        officer = self.users[OFFICER]
        written = 0
        for code, offset, advance in (("RU", FLIGHT_OFFSET, 0), ("KG", 75, 1)):
            state = self.states[code]
            carrier, kind, aircraft, route, place, members = CARRIERS.get(code, DEFAULT_CARRIER)
            operation = ops.propose_operation(
                state,
                actor=officer,
                planned_date=timezone.localdate() + datetime.timedelta(days=offset),
                carrier=carrier,
                carrier_kind=kind,
                aircraft=aircraft,
                route=route,
                handover_location=place,
                members=[
                    {"role": r, "side": s, "name": n, "organisation": o}
                    for r, s, n, o in [*HOST, *members]
                ],
            )
            for _step in range(advance):
                operation = ops.advance_operation(
                    operation, actor=officer, expected_version=operation.version
                )
            written += 1
        return written


def write_operations(plan: Plan, users: Mapping, people: Mapping) -> dict[str, int]:
    """Write the demo's operations; `people` maps the plan's person keys to written persons."""
    return OperationsWriter(plan, users, people).write()
