"""Write a demo `Plan` into the database, through the services only.

Every person, name, case, relationship, custody move, status and family group is written by
the same use cases the user interface calls, so each leaves its audit event and the hash
chain is real. Facilities are reference data with no service yet and are created directly.
Each service is its own durable transaction: a failure part-way leaves what was already
written, which is why `seed_demo` refuses to run on a database that is not empty.
"""

import time
from collections.abc import Callable, Mapping

from homeward.accounts.models import User
from homeward.cases.services import create_family_group, record_historical_status
from homeward.core.demo.builder import FACILITIES, ChildPlan, PersonPlan, Plan
from homeward.core.demo.diplomacy import write_diplomacy
from homeward.core.demo.evidence import EvidenceWriter
from homeward.core.demo.operations import write_operations
from homeward.core.demo.tracing import write_tracing
from homeward.core.models import HomeState
from homeward.people.handover import end_custody
from homeward.people.models import Facility, Person
from homeward.people.services import (
    link_relative,
    record_custody_move,
    register_adult,
    register_child,
)

__all__ = ["ensure_facilities", "write_plan"]

CASE_OWNER = "mfa.officer"
STATUS_ACTOR = "mfa.officer"
Progress = Callable[[str], None]


def ensure_facilities() -> dict[str, Facility]:
    """The demo's facilities by plan key, created when missing (matched on the Arabic name)."""
    facilities = {}
    for key, spec in FACILITIES.items():
        facility = Facility.objects.filter(name=spec["name"]).first()
        if facility is None:
            facility = Facility(**spec)
            facility.full_clean()
            facility.save(force_insert=True)
        facilities[key] = facility
    return facilities


class PlanWriter:
    """Holds what has been written so far: people by plan key, users, facilities, countries."""

    def __init__(self, plan: Plan, users: Mapping[str, User], progress: Progress | None = None):
        self.plan = plan
        self.users = users
        self.progress = progress or (lambda message: None)
        self.facilities = ensure_facilities()
        self.people: dict[str, Person] = {}
        codes = {child.home_state for child in plan.children}
        for person in [*plan.adults, *(child.person for child in plan.children)]:
            codes.add(person.fields.get("place_of_birth_country"))
        self.countries = HomeState.objects.in_bulk([code for code in codes if code])
        self.evidence = EvidenceWriter(plan, users, self.people)

    def fields(self, person: PersonPlan) -> dict:
        fields = dict(person.fields)
        if fields.get("place_of_birth_country"):
            fields["place_of_birth_country"] = self.countries[fields["place_of_birth_country"]]
        return fields

    def write(self) -> dict[str, int]:
        for adult in self.plan.adults:
            self.write_adult(adult)
        self.progress(f"{len(self.plan.adults)} adults registered")
        for index, child in enumerate(self.plan.children, start=1):
            self.write_child(child)
            if index % 200 == 0:
                self.progress(f"{index} of {len(self.plan.children)} children registered")
        for link in self.plan.links:
            link_relative(
                self.people[link.person],
                actor=self.users[link.actor],
                relative=self.people[link.relative],
                relationship_type=link.relationship_type,
                basis=link.basis,
                verified_by=link.verified_by,
                verified_on=link.verified_on,
            )
        self.progress(f"{len(self.plan.links)} relationships linked")
        for group in self.plan.groups:
            cases = [self.people[key].case for key in group.children]
            create_family_group(actor=self.users[STATUS_ACTOR], label=group.label, cases=cases)
        written = self.evidence.write()
        self.progress(
            f"evidence of {written['tracks']} waiting cases and {written['court_cases']} "
            "court cases recorded"
        )
        started = time.monotonic()
        diplomacy = write_diplomacy(self.plan, self.users, self.people)
        self.progress(
            f"{diplomacy['engagements']} engagements with home states recorded "
            f"in {time.monotonic() - started:.1f}s"
        )
        started = time.monotonic()
        operations = write_operations(self.plan, self.users, self.people)
        self.progress(
            f"{operations['operations']} return operations recorded "
            f"in {time.monotonic() - started:.1f}s"
        )
        from homeward.core.demo.adults import write_adults

        made = write_adults(self.plan, self.users, self.people)
        self.progress(
            f"{made['adult_cases']} adult cases, {made['requests']} requests for evidence and "
            f"{made['visits']} consular visits recorded"
        )
        tracing = write_tracing(self.users)
        self.progress(f"{tracing['tracing_requests']} tracing requests filed")
        return {
            "children": len(self.plan.children) + operations["next_batch"],
            "adults": len(self.plan.adults),
            "links": len(self.plan.links),
            "groups": len(self.plan.groups),
        }

    def write_adult(self, adult: PersonPlan) -> None:
        self.people[adult.key] = register_adult(
            actor=self.users[adult.actor],
            fields=self.fields(adult),
            names=[name.as_fields() for name in adult.names],
        )

    def write_child(self, child: ChildPlan) -> None:
        first, *moves = child.placements
        mother = self.people[child.mother] if child.mother else None
        person = register_child(
            actor=self.users[child.person.actor],
            fields=self.fields(child.person),
            names=[name.as_fields() for name in child.person.names],
            home_state=self.countries[child.home_state],
            custody={**self.custody(first, mother), "reason": first.reason},
            owner=self.users[CASE_OWNER],
        )
        self.people[child.key] = person
        for move in moves:
            record_custody_move(
                person,
                actor=self.users[move.actor],
                **self.custody(move, mother),
                reason=move.reason,
            )
        deferred = child.key in self.evidence.deferred
        for step in child.statuses:
            # A status a real transition will reach (a DNA exclusion, a death) is recorded
            # as the main state it starts from; the evidence writer makes the transition.
            status, returns = step.status, step.return_status
            if deferred and step is child.statuses[-1]:
                status, returns = step.return_status, ""
            record_historical_status(
                person.case,
                actor=self.users[STATUS_ACTOR],
                status=status,
                at=step.on,
                return_status=returns,
            )
        if child.custody_end:
            end = child.custody_end
            end_custody(
                person, actor=self.users[end.actor], ended_on=end.ended_on, reason=end.reason
            )

    def custody(self, placement, mother: Person | None) -> dict:
        return {
            "facility": self.facilities[placement.facility],
            "started_on": placement.started_on,
            "with_person": mother if placement.with_mother else None,
            "legal_basis": placement.legal_basis,
        }


def write_plan(plan: Plan, users: Mapping[str, User], progress: Progress | None = None) -> dict:
    """Write `plan` through the services; `users` maps the plan's actor usernames to users."""
    return PlanWriter(plan, users, progress).write()
