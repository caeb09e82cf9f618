"""The next Russian batch, ready to plan: the demo's way to play issue 5's "done means".

Six Russian children, approved in the weeks before the demo was seeded, with their passports
and exit authorisations recorded through the services, so the planning page of the proposed
Russian operation (FLIGHT_OFFSET days after seeding: the open operations are in the user's
future, unlike the history, which ends at the snapshot) offers them — and refuses two, in
words:

- the Magomedov siblings and Maryam Ismailova are ready;
- the Umarov siblings must travel together, and Hamza has no exit authorisation yet, so
  neither can be added;
- Umar Daudov's passport expires ten days before the planned flight.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.cases.services import create_family_group, record_historical_status
from homeward.core.models import HomeState
from homeward.evidence import services as ev
from homeward.people.models import Facility
from homeward.people.services import register_child

__all__ = ["FLIGHT_OFFSET", "write_next_batch"]

# days after seeding of the proposed Russian flight (demo.operations proposes it)
FLIGHT_OFFSET = 40
# the way to APPROVED, with the days before seeding each step was taken
HISTORY = [
    (CaseStatus.NATIONALITY_CLAIMED, 420),
    (CaseStatus.HOME_STATE_ENGAGED, 380),
    (CaseStatus.VERIFICATION, 300),
    (CaseStatus.NATIONALITY_CONFIRMED, 200),
    (CaseStatus.CARE_PLANNING, 150),
    (CaseStatus.CLEARANCE, 90),
    (CaseStatus.APPROVED, 21),
]


@dataclass(frozen=True)
class ReadyChild:
    arabic: str  # as the prison register writes it
    cyrillic: str  # the legal name the consulate confirmed
    sex: str
    born: datetime.date
    family: str = ""
    exit_authorised: bool = True
    passport_days_before_flight: int | None = None  # None: valid a year after the flight


CHILDREN = [
    ReadyChild(
        "عائشة ماغوميدوفا", "Аиша Магомедова", "female", datetime.date(2015, 4, 2), "Magomedov"
    ),
    ReadyChild(
        "إبراهيم ماغوميدوف", "Ибрагим Магомедов", "male", datetime.date(2017, 9, 14), "Magomedov"
    ),
    ReadyChild("مريم إسماعيلوفا", "Марьям Исмаилова", "female", datetime.date(2013, 1, 20)),
    ReadyChild("زينب عمروفا", "Зейнаб Умарова", "female", datetime.date(2014, 6, 8), "Umarov"),
    ReadyChild(
        "حمزة عمروف", "Хамза Умаров", "male", datetime.date(2016, 11, 3), "Umarov",
        exit_authorised=False,
    ),
    ReadyChild(
        "عمر داودوف", "Умар Даудов", "male", datetime.date(2015, 2, 27),
        passport_days_before_flight=10,
    ),
]  # fmt: skip


def _days_before(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _register(child: ReadyChild, users: Mapping, facility: Facility) -> Case:
    person = register_child(
        actor=users["mfa.officer"],
        fields={"sex": child.sex, "date_of_birth": child.born, "dob_precision": "day"},
        names=[
            {"full_text": child.arabic, "name_type": "prison_register"},
            {"full_text": child.cyrillic, "name_type": "legal_home_state"},
        ],
        home_state=HomeState.objects.get(code="RU"),
        custody={"facility": facility, "started_on": datetime.date(2018, 3, 1)},
        owner=users["mfa.officer"],
    )
    case = person.case
    for status, days in HISTORY:
        case = record_historical_status(
            case, actor=users["mfa.officer"], status=status, at=_days_before(days)
        )
    return case


def _documents(case: Case, child: ReadyChild, users: Mapping) -> None:
    flight = timezone.localdate() + datetime.timedelta(days=FLIGHT_OFFSET)
    if child.passport_days_before_flight is None:
        valid_until = flight + datetime.timedelta(days=365)
    else:
        valid_until = flight - datetime.timedelta(days=child.passport_days_before_flight)
    ev.record_travel_document(
        case,
        actor=users["consul.ru"],
        document_type="passport",
        number=f"75 {case.reference[-5:]}",
        issued_by="Embassy of the Russian Federation in Baghdad",
        issued_on=_days_before(30),
        valid_until=valid_until,
    )
    if child.exit_authorised:
        ev.record_exit_authorization(
            case,
            actor=users["moi.residency"],
            reference=f"EXIT-{case.reference}",
            judicial_decision_reference="Juvenile Court of Karkh, decision 1127/2025",
            authorised_on=_days_before(10),
        )


def write_next_batch(users: Mapping) -> int:
    """Register the six children, group the siblings, record their documents; returns 6."""
    facility = Facility.objects.filter(facility_type="orphanage").order_by("name").first()
    facility = facility or Facility.objects.order_by("name").first()
    families: dict[str, list[Case]] = {}
    for child in CHILDREN:
        case = _register(child, users, facility)
        _documents(case, child, users)
        if child.family:
            families.setdefault(child.family, []).append(case)
    for label, cases in families.items():
        create_family_group(actor=users["mfa.officer"], label=label, cases=cases)
    return len(CHILDREN)
