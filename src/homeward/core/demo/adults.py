"""The demo's adults and judicial cooperation (issue 10), written through the services.

Mothers of the plan's children get adult cases of their children's state: most serve fixed
terms (releases spread over the coming months), some life, some were sentenced to death
(one commuted); mothers of returned children served their sentences and were deported. The
adults who travelled with their children on a flown operation (the Turkish adults of the
29 May 2019 batch, on its manifest as accompanying adults: `operations.mothers`) are handed
over with the children on the operation's day, after an illegal-entry sentence served (or,
never detained, not prosecuted). Three Uzbek mothers
of waiting children finish their sentences within two months. Requests for evidence come
from several states; Germany's request for the verdict against a returning mother was
granted, the verdict prepared by the officer and approved by the supervisor.
"""

import datetime
from collections.abc import Mapping

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.adults import services as adults
from homeward.attachments.services import add_attachment
from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES
from homeward.cases.models import Case
from homeward.core.demo.accounts import consul_username
from homeward.judicial import services as judicial
from homeward.operations.choices import EntryStatus, OperationStatus
from homeward.operations.models import ManifestEntry
from homeward.people.choices import LegalStatus as PersonLegalStatus
from homeward.people.services import update_person

__all__ = ["write_adults"]

REGISTRAR, OFFICER, JUDGE, SUPERVISOR = (
    "moj.registrar",
    "mfa.officer",
    "hjc.judge",
    "mfa.supervisor",
)
DAY = datetime.timedelta(days=1)
RELEASE_DAYS = (75, 110, 160, 230, 300, 400, 520, 700)
UZBEK_RELEASES = (18, 37, 52)


def _mothers(plan, people) -> list[tuple]:
    """(mother, [her children]) in plan order, for mothers whose children share one state."""
    children: dict[str, list] = {}
    for link in plan.links:
        if link.relationship_type == "mother":
            children.setdefault(link.relative, []).append(people[link.person])
    # the cases as they are now (the Person objects carry the case as it was registered)
    cases = Case.objects.select_related("home_state").in_bulk(
        [kid.case.pk for kids in children.values() for kid in kids]
    )
    rows = []
    for key, kids in children.items():
        kid_cases = [cases[kid.case.pk] for kid in kids]
        if len({case.home_state_id for case in kid_cases}) == 1:
            rows.append((people[key], kid_cases))
    return rows


def _all_steps(case, users, on) -> object:
    for step in ("nationality_confirmed", "exit_authorised", "travel_document"):
        case = adults.record_return_step(
            case, actor=users[OFFICER], expected_version=case.version, step=step, on=on
        )
    return case


def _travelled() -> dict:
    """{person id: boarded manifest entry} of the adults who flew with their children."""
    entries = (
        ManifestEntry.objects.filter(
            accompanies__isnull=False,
            status=EntryStatus.BOARDED,
            operation__status__in=(OperationStatus.COMPLETED, OperationStatus.RECONCILED),
        )
        .select_related("operation__home_state", "person")
        .order_by("operation__actual_date", "created_at", "id")
    )
    found: dict = {}
    for entry in entries:
        found.setdefault(entry.person_id, entry)
    return found


def _handed_over(entry, users) -> object:
    """The adult's case closed as she went: handed over with the children on the day."""
    day = entry.operation.actual_date
    served = entry.person.legal_status != PersonLegalStatus.NOT_DETAINED
    case = adults.open_adult_case(
        entry.person,
        actor=users[REGISTRAR],
        home_state=entry.operation.home_state,
        legal_status="sentence_completed" if served else "acquitted",
        status_since=day - 60 * DAY,
        route_home="with_children",
    )
    case = _all_steps(case, users, day - 14 * DAY)
    if entry.person.legal_status == PersonLegalStatus.SENTENCED:
        update_person(
            entry.person,
            actor=users[REGISTRAR],
            expected_version=entry.person.version,
            changes={"legal_status": PersonLegalStatus.RELEASED},
        )
    return adults.record_legal_status(
        case,
        actor=users[OFFICER],
        expected_version=case.version,
        legal_status="handed_over",
        on=day,
        note=f"Handed over with the children (operation {entry.operation.reference})",
    )


def write_adults(plan, users: Mapping[str, object], people: Mapping[str, object]) -> dict:
    today = timezone.localdate()
    made = {"adult_cases": 0, "requests": 0, "visits": 0}
    uzbek_left = list(UZBEK_RELEASES)
    returning_german = None
    travelled = _travelled()
    for index, (mother, kid_cases) in enumerate(_mothers(plan, people)):
        state = kid_cases[0].home_state
        statuses = {case.status for case in kid_cases}
        waiting = bool(statuses & set(IN_CUSTODY_STATES))
        registrar = users[REGISTRAR]
        if mother.pk in travelled:
            _handed_over(travelled.pop(mother.pk), users)
        elif statuses & set(RETURNED_STATES) and not waiting:
            # served an (illegal-entry) sentence; deported after the children went home
            case = adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="sentence_completed",
                status_since=today - 400 * DAY,
                route_home="deportation",
            )
            case = _all_steps(case, users, today - 380 * DAY)
            adults.record_legal_status(
                case,
                actor=users[OFFICER],
                expected_version=case.version,
                legal_status="deported",
                on=today - 370 * DAY,
            )
        elif state.code == "UZ" and uzbek_left and waiting:
            adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="convicted",
                sentence_kind="fixed_term",
                expected_release_on=today + uzbek_left.pop(0) * DAY,
                route_home="with_children",
            )
        elif index % 11 == 3:
            case = adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="convicted",
                sentence_kind="death",
                status_since=today - 900 * DAY,
            )
            if index % 2:
                adults.record_legal_status(
                    case,
                    actor=registrar,
                    expected_version=case.version,
                    legal_status="commuted",
                    sentence_kind="life",
                    on=today - 200 * DAY,
                    note="Commuted to life imprisonment",
                )
        elif index % 7 == 5:
            adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="convicted",
                sentence_kind="life",
            )
        elif state.code == "DE" and returning_german is None:
            case = adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="sentence_completed",
                status_since=today - 20 * DAY,
                route_home="deportation",
            )
            returning_german = _all_steps(case, users, today - 10 * DAY)
        else:
            adults.open_adult_case(
                mother,
                actor=registrar,
                home_state=state,
                legal_status="convicted",
                sentence_kind="fixed_term",
                expected_release_on=today + RELEASE_DAYS[index % len(RELEASE_DAYS)] * DAY,
            )
        made["adult_cases"] += 1
    for entry in travelled.values():  # a mother whose children are of several states
        _handed_over(entry, users)
        made["adult_cases"] += 1
    made["requests"] = _write_requests(users, returning_german, today)
    made["visits"] = _write_visits(users, today)
    return made


def _write_requests(users, german, today) -> int:
    from homeward.adults.models import AdultCase

    count = 0
    if german is not None:
        request = judicial.record_evidence_request(
            german.home_state,
            actor=users[OFFICER],
            subject=german.person,
            their_reference="GBA 2 ARP 114/24",
            channel="mission",
            received_on=today - 45 * DAY,
            legal_basis="letters_rogatory",
            legal_reference="Letters rogatory, Federal Court of Justice",
            items=["verdict"],
            authority="court",
            authority_name="Central Criminal Court of Iraq, Rusafa",
            deadline=today + 15 * DAY,
        )
        request = judicial.forward_evidence_request(
            request, actor=users[OFFICER], expected_version=1, forwarded_on=today - 40 * DAY
        )
        request = judicial.decide_evidence_request(
            request,
            actor=users[JUDGE],
            expected_version=request.version,
            decision="granted",
            decided_on=today - 6 * DAY,
        )
        verdict = add_attachment(
            german.person,
            actor=users[OFFICER],
            upload=SimpleUploadedFile("verdict.pdf", b"%PDF-1.4\n%demo verdict\n%%EOF\n"),
            kind="court_decision",
            title="Verdict of the Central Criminal Court",
        )
        sent = judicial.record_transmission(
            request,
            actor=users[OFFICER],
            documents=[verdict],
            recipient="Embassy of Germany, Baghdad",
            sent_on=today - 2 * DAY,
        )
        judicial.approve_transmission(sent, actor=users[SUPERVISOR], note="Verdict checked")
        count += 1
    others = [
        ("RU", "statements", "treaty", None),
        ("TJ", "biometric", "reciprocity", "refused"),
        ("FR", "case_file", "letters_rogatory", "partly_granted"),
        ("KZ", "verdict", "reciprocity", None),
    ]
    for code, item, basis, decision in others:
        case = (
            AdultCase.objects.filter(home_state_id=code, legal_status__in=("convicted", "commuted"))
            .order_by("reference")
            .first()
        )
        if case is None:
            continue
        request = judicial.record_evidence_request(
            case.home_state,
            actor=users[OFFICER],
            subject=case.person,
            their_reference=f"{code}-MLA-{count + 1:03d}",
            channel="justice_ministry",
            received_on=today - 60 * DAY,
            legal_basis=basis,
            items=[item],
            authority="hjc",
            deadline=today + 30 * DAY if decision is None else None,
        )
        if decision:
            judicial.decide_evidence_request(
                request,
                actor=users[JUDGE],
                expected_version=1,
                decision=decision,
                decided_on=today - 20 * DAY,
                reason="The investigation is still open"
                if decision == "refused"
                else "The case file is sealed; the verdict is sent",
            )
        count += 1
    return count


def _write_visits(users, today) -> int:
    from homeward.adults.models import AdultCase

    count = 0
    for case in AdultCase.objects.filter(legal_status="convicted").order_by("reference")[:6]:
        consul = users.get(consul_username(case.home_state_id))
        if consul is None:
            continue
        adults.record_consular_visit(
            case,
            actor=consul,
            visited_on=today - (10 + count * 9) * DAY,
            officials="Consul and vice-consul",
            interpreter="Court interpreter" if count % 2 else "",
            consent_level=("none", "welfare", "full")[count % 3],
            discussed=""
            if count % 3 == 0
            else "Health, letters to the family, the children's return",
        )
        count += 1
    return count
