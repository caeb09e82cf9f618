"""Adult cases for the adults tests, the judicial tests and the scope matrix."""

import datetime

import pytest
from django.utils import timezone

from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency, Role, User
from homeward.adults import services
from homeward.adults.models import AdultCase, ConsularVisit
from homeward.core.models import HomeState
from homeward.people import services as people_services
from tests.conftest import PASSWORD


def days_ahead(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def register_mother(officer, *, name: str, child=None):
    mother = people_services.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1990, 1, 1),
            "dob_precision": "year",
        },
        names=[{"full_text": name, "name_type": "court_record"}],
    )
    if child is not None:
        people_services.link_relative(
            child, actor=officer, relative=mother, relationship_type="mother", basis="declared"
        )
    return mother


def convicted_case(
    actor, person, state: str, *, release_in_days: int | None = 40, kind="fixed_term"
):
    return services.open_adult_case(
        person,
        actor=actor,
        home_state=HomeState.objects.get(code=state),
        legal_status="convicted",
        sentence_kind=kind,
        expected_release_on=days_ahead(release_in_days) if kind == "fixed_term" else None,
    )


def mission_user(username: str, country: str) -> User:
    """A consul of `country` (the standard consul role, scoped to its mission's state)."""
    agency, _ = Agency.objects.get_or_create(
        name=f"Embassy of {country}",
        defaults={"kind": AgencyKind.HOME_STATE_MISSION, "country_id": country},
    )
    user = User.objects.create_user(username, password=PASSWORD, agency=agency)
    user.roles.add(Role.objects.get(code="home_state_consul"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def adults(users, registry):
    """A Russian mother (with a child's case) and a Tajik mother, each with an adult case."""
    officer = users["mfa.officer"]
    tj_mother = register_mother(officer, name="زرينة رحيموفا", child=registry["tj_child"])
    return {
        "ru": convicted_case(officer, registry["ru_mother"], "RU"),
        "tj": convicted_case(officer, tj_mother, "TJ", release_in_days=200),
    }


def adult_pairs(users, registry) -> dict:
    """AdultCase and ConsularVisit -> (Russian, Tajik) for the scope matrix."""
    officer = users["mfa.officer"]
    tj_mother = register_mother(officer, name="زرينة رحيموفا", child=registry["tj_child"])
    cases = (
        convicted_case(officer, registry["ru_mother"], "RU"),
        convicted_case(officer, tj_mother, "TJ"),
    )
    visits = tuple(
        services.record_consular_visit(
            case,
            actor=officer,
            visited_on=timezone.localdate(),
            officials="Consul",
            consent_level="welfare",
            discussed="Health",
        )
        for case in cases
    )
    return {AdultCase: cases, ConsularVisit: visits}
