"""The demo's diplomacy: profiles and an engagement history behind the published returns.

For every return flight of the plan, the ministry's note verbale inviting the state, the
state's answer, and the bilateral meeting or consular visit that agreed the flight, linked
to the children it brought home (the Russian flights of 2018-2019, the Tajik charter of
April 2019, the Kazakh returns…). Then what is still open at the snapshot: notes some
states have not answered, and the last meeting with Tajikistan, whose action items are
addressed to its embassy, some overdue. Everything is written through the services (audit
included); a few hundred rows, a few seconds.
"""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from homeward.cases.models import Case
from homeward.core.demo.accounts import consul_username
from homeward.core.demo.builder import SNAPSHOT, Plan
from homeward.core.models import HomeState
from homeward.diplomacy import services

__all__ = ["write_diplomacy"]

OFFICER = "mfa.officer"
DAY = datetime.timedelta(days=1)

STANCES = {
    "RU": "proactive",
    "TJ": "proactive",
    "KZ": "proactive",
    "UZ": "proactive",
    "AZ": "proactive",
    "TR": "case_by_case",
    "FR": "case_by_case",
    "DE": "case_by_case",
    "GE": "case_by_case",
}
NO_EMBASSY_CHANNEL = "Through its embassy in Amman, and the Iraqi embassy in its capital."
# States whose last note the demo leaves unanswered, and how long ago it was sent.
SILENT = {"FR": 130, "DZ": 150, "UA": 45}


def _ref(prefix: str, day: datetime.date, n: int) -> str:
    return f"{prefix}/{day.year}/{n:03d}"


# Who pays, as recorded on some profiles (illustrative terms, not real agreements).
FEE_AGREEMENTS = {
    "RU": "DNA tests and the charter flight paid by the Russian side (exchange of notes).",
    "TJ": "DNA tests paid by the Tajik MFA; travel documents issued free of charge.",
    "KZ": "All costs borne by Kazakhstan under the bilateral arrangement.",
}


class DiplomacyWriter:
    def __init__(self, plan: Plan, users: Mapping):
        self.plan = plan
        self.users = users
        self.officer = users[OFFICER]
        self.count = 0
        self.cases: dict = {}

    def next(self) -> int:
        self.count += 1
        return self.count

    def write(self) -> dict[str, int]:
        states = {
            state.code: state for state in HomeState.objects.filter(code__in=self.plan.states)
        }
        for code, state in states.items():
            services.save_profile(
                state,
                actor=self.officer,
                stance=STANCES.get(code, "unknown"),
                has_embassy_in_baghdad=code not in SILENT,
                channel="" if code not in SILENT else NO_EMBASSY_CHANNEL,
                fee_agreements=FEE_AGREEMENTS.get(code, ""),
                notes="",
            )
        for batch in self.plan.batches:
            if batch.state in states:
                self.flight_history(states[batch.state], batch)
        for code, days in SILENT.items():
            if code in states:
                self.note(states[code], SNAPSHOT - days * DAY, "Request to verify nationality")
        if "TJ" in states:
            self.tajik_meeting(states["TJ"])
        return {"engagements": self.count}

    def note(self, state, day, agenda, cases=()):
        return services.record_engagement(
            state,
            actor=self.officer,
            kind="note_verbale_out",
            date=day,
            reference=_ref("MFA/LD", day, self.next()),
            agenda=agenda,
            cases=cases,
        )

    def flight_history(self, state, batch) -> None:
        day = batch.handed_over_on
        cases = self.batch_cases(state, day)
        note = self.note(
            state,
            day - 120 * DAY,
            f"Invitation to repatriate {batch.children} children held in Baghdad",
            cases,
        )
        services.record_reply(
            note,
            actor=self.officer,
            date=day - (90 if batch.published else 75) * DAY,
            reference=_ref(state.code, day, self.next()),
            outcome="Agrees to receive the children; requests lists and DNA results.",
        )
        kind = "bilateral_meeting" if batch.children >= 20 else "consular_visit"
        services.record_engagement(
            state,
            actor=self.officer,
            kind=kind,
            date=day - 45 * DAY,
            reference=_ref("MFA/LD/M", day, self.next()),
            participants=[
                {"agency": "MFA Legal Directorate", "role": "chair"},
                {"agency": "Higher Judicial Council", "role": "judge"},
                {"agency": f"Embassy of {state.name}", "role": "consul"},
            ],
            agenda="Lists, DNA results, travel documents, the flight.",
            outcome=batch.note or "Flight agreed.",
            decisions=f"Handover of {batch.children} children at Baghdad airport on {day}.",
            cases=cases,
        )

    def batch_cases(self, state, day) -> list:
        keys = [
            child.key
            for child in self.plan.children
            if child.home_state == state.code and child.handed_over_on == day
        ]
        return self.cases_by_key(keys)

    def cases_by_key(self, keys) -> list:
        return [self.cases[key] for key in keys if key in self.cases]

    def tajik_meeting(self, state) -> None:
        day = SNAPSHOT - 40 * DAY
        waiting = [
            child.key
            for child in self.plan.children
            if child.home_state == "TJ" and child.handed_over_on is None
        ]
        cases = self.cases_by_key(waiting)
        meeting = services.record_engagement(
            state,
            actor=self.officer,
            kind="bilateral_meeting",
            date=day,
            reference=_ref("MFA/LD/M", day, self.next()),
            participants=[
                {"agency": "MFA Legal Directorate", "role": "chair"},
                {"agency": "MoJ Iraqi Correctional Service", "role": "director"},
                {"agency": "Embassy of Tajikistan", "role": "consul"},
            ],
            agenda="The children still held; consent of the mothers; the fee.",
            outcome="Tajikistan will confirm nationality of the remaining children.",
            decisions="Nationality confirmations within 30 days; next flight when confirmed.",
            cases=cases,
        )
        embassy = self.users[consul_username("TJ")].agency
        ministry = self.officer.agency
        today = timezone.localdate()
        items = [
            ("Confirm the nationality of the children on the list", embassy, day + 30 * DAY),
            ("Send the mothers' consent forms", embassy, day + 20 * DAY),
            ("Propose the date of the next flight", embassy, today + 21 * DAY),
            ("Share the DNA results with the embassy", ministry, day + 14 * DAY),
        ]
        created = [
            services.add_action_item(
                meeting,
                actor=self.officer,
                description=text,
                owner_agency=owner,
                owner_user=self.users[consul_username("TJ")] if owner == embassy else None,
                due=due,
                cases=cases[:3],
            )
            for text, owner, due in items
        ]
        services.complete_action_item(created[-1], actor=self.officer, note="Sent by courier")


def write_diplomacy(plan: Plan, users: Mapping, people: Mapping) -> dict[str, int]:
    """Write the demo's diplomacy; `people` maps the plan's person keys to written persons."""
    writer = DiplomacyWriter(plan, users)
    keys = {person.pk: key for key, person in people.items()}
    writer.cases = {
        keys[case.child_id]: case
        for case in Case.objects.filter(child_id__in=keys).select_related("home_state")
    }
    return writer.write()
