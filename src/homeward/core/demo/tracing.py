"""The demo's tracing requests: relatives abroad looking for children already in the registry.

Three stories, chosen deterministically from what the plan wrote:

* a grandmother in Dagestan writes to the Russian embassy in Cyrillic, with the Dagestani
  feminine -at ("Хадижат" for "Хадижа") and the father known only by his kunya;
* an aunt in Kazakhstan asks UNICEF, writing the child's name in Latin letters;
* a mother's sister asks the ICRC for a girl who is in an orphanage under a name the staff
  gave her; the links are the first name she told her carers (recorded as declared) and
  that no mother is known to the registry, while the other Mariams' mothers disagree.

Each request is filed through `matching.services.create_tracing_request`, so the candidates
are proposed exactly as for a real request.
"""

import datetime
from collections.abc import Mapping

from homeward.core.demo.accounts import consul_username
from homeward.core.models import HomeState
from homeward.matching.names import romanise
from homeward.matching.services import create_tracing_request
from homeward.people.choices import NameType, PersonKind
from homeward.people.models import Person, PersonName, Relationship
from homeward.people.services import add_name

__all__ = ["write_tracing"]

RECEIVED = datetime.date(2026, 9, 14)


def _name(person: Person, script: str) -> PersonName | None:
    return person.names.filter(script=script).order_by("-is_primary", "created_at").first()


def _children(state: str):
    return (
        Person.objects.filter(kind=PersonKind.CHILD, case__home_state_id=state)
        .exclude(date_of_birth__isnull=True)
        .order_by("case__reference")
    )


def _mother(child: Person) -> Person | None:
    link = Relationship.objects.filter(person=child, relationship_type="mother").first()
    return link.relative if link else None


def _dagestani(given: str) -> str:
    """Хадижа → Хадижат, Патима → Патимат: the feminine -at of Dagestani usage."""
    return given + "т" if given.endswith("а") and not given.endswith("ова") else given


def _dagestan(users: Mapping) -> int:
    for child in _children("RU").filter(names__script="Cyrl", sex="female").distinct():
        cyrillic, mother = _name(child, "Cyrl"), _mother(child)
        if not (cyrillic and cyrillic.given and cyrillic.family and mother):
            continue
        mother_name = _name(mother, "Cyrl") or _name(mother, "Arab")
        create_tracing_request(
            actor=users[consul_username("RU")],
            home_state=HomeState.objects.get(code="RU"),
            channel="embassy",
            channel_reference="КД-2026/0412",
            received_on=RECEIVED,
            child_name=f"{_dagestani(cyrillic.given)} {cyrillic.family}",
            child_sex="female",
            child_birth_year=child.date_of_birth.year,
            mother_name=mother_name.full_text if mother_name else "",
            father_name="Абу Мухаммад аш-Шишани",
            other_relatives="Дядя: Магомед (брат матери), Махачкала",
            places="Хасавюрт, Республика Дагестан\nПоследнее известие: Телль-Афар, 2017",
            requester_name=f"Патимат {cyrillic.family}",
            requester_relationship="grandparent_maternal",
            requester_address="Хасавюрт, ул. Датуева; через Красный Крест",
        )
        return 1
    return 0


def _kazakhstan(users: Mapping) -> int:
    for child in _children("KZ").filter(names__script="Cyrl").distinct():
        cyrillic = _name(child, "Cyrl")
        if not (cyrillic and cyrillic.given and cyrillic.family):
            continue
        latin = _name(child, "Latn")
        child_name = (
            latin.full_text
            if latin
            else romanise(f"{cyrillic.given} {cyrillic.family}", "Cyrl").title()
        )
        create_tracing_request(
            actor=users["unicef.officer"],
            home_state=HomeState.objects.get(code="KZ"),
            channel="unicef",
            channel_reference="UNICEF-KZ-TR-031",
            received_on=RECEIVED + datetime.timedelta(days=9),
            child_name=child_name,
            child_sex=child.sex,
            child_birth_year=child.date_of_birth.year,
            places="Aktobe, Kazakhstan",
            requester_name=f"Gulnara {romanise(cyrillic.family, 'Cyrl').title()}",
            requester_relationship="aunt_uncle",
            requester_address="Aktobe; by telephone through UNICEF Kazakhstan",
        )
        return 1
    return 0


def _foundling(users: Mapping) -> int:
    """A girl known only by an assigned name, who told her carers her first name."""
    assigned = (
        Person.objects.filter(
            kind=PersonKind.CHILD,
            sex="female",
            names__name_type=NameType.ASSIGNED_BY_FACILITY,
            names__is_primary=True,
        )
        .exclude(date_of_birth__isnull=True)
        .order_by("case__reference")
    )
    for child in assigned:
        if child.names.exclude(name_type=NameType.ASSIGNED_BY_FACILITY).exists():
            continue
        add_name(
            child,
            actor=users["molsa.carer"],
            full_text="مريم",
            name_type=NameType.DECLARED_BY_CHILD,
            given="مريم",
            source="What the child told her carers",
        )
        create_tracing_request(
            actor=users["mfa.officer"],
            home_state=child.case.home_state,
            channel="icrc",
            channel_reference="ICRC-CTA-2026-1187",
            received_on=RECEIVED + datetime.timedelta(days=20),
            partner_agency=users["unicef.officer"].agency,
            child_name="Mariam",
            child_sex="female",
            child_birth_year=child.date_of_birth.year,
            mother_name="Nadia Mansour",
            other_relatives="Her mother Nadia died in Mosul in 2017 (neighbours' account)",
            places="Last seen in an orphanage in Mosul, 2018",
            requester_name="Leila Mansour",
            requester_relationship="aunt_uncle",
            requester_address="Through the ICRC Central Tracing Agency",
        )
        return 1
    return 0


def write_tracing(users: Mapping) -> dict[str, int]:
    """File the demo's tracing requests; returns how many were filed."""
    return {"tracing_requests": _dagestan(users) + _kazakhstan(users) + _foundling(users)}
