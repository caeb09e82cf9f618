"""Adult cases, their history and consular visits are scoped by the adult's home state."""

import pytest

from homeward.adults.models import AdultCase, ConsularVisit, LegalStatusChange
from tests.adults.conftest import adult_pairs

ADULT_SCOPED_MODELS = {
    "adultcase": AdultCase,
    "legalstatuschange": LegalStatusChange,
    "consularvisit": ConsularVisit,
}

# username -> (states of the adult cases they see, states of the consular visits they see)
EXPECTED = {
    "admin": ({"RU", "TJ"}, {"RU", "TJ"}),
    "mfa.officer": ({"RU", "TJ"}, {"RU", "TJ"}),
    "moj.registrar": ({"RU", "TJ"}, {"RU", "TJ"}),
    "hjc.judge": ({"RU", "TJ"}, set()),
    "auditor": ({"RU", "TJ"}, {"RU", "TJ"}),
    "consul.ru": ({"RU"}, {"RU"}),
    "consul.tj": ({"TJ"}, {"TJ"}),
    "unicef.officer": (set(), set()),
    "moh.lab": (set(), set()),
}


@pytest.mark.parametrize(("username", "expected"), EXPECTED.items())
def test_for_user_returns_exactly_the_adult_records_in_scope(users, registry, username, expected):
    # given a Russian and a Tajik adult case, each with a consular visit
    adult_pairs(users, registry)
    user = users[username]
    cases, visits = expected
    # then each user sees exactly the expected states' rows, and counts agree
    seen = AdultCase.objects.for_user(user, "view")
    assert sorted(seen.values_list("home_state_id", flat=True)) == sorted(cases)
    assert seen.count() == len(cases)
    history = LegalStatusChange.objects.for_user(user, "view")
    assert sorted(history.values_list("adult_case__home_state_id", flat=True)) == sorted(cases)
    seen_visits = ConsularVisit.objects.for_user(user, "view")
    assert sorted(seen_visits.values_list("adult_case__home_state_id", flat=True)) == sorted(visits)


def test_pages_answer_404_for_another_states_adult_and_hide_it_in_the_list(client, users, registry):
    ru, tj = adult_pairs(users, registry)[AdultCase]
    client.force_login(users["consul.ru"])
    assert client.get(f"/adults/{ru.pk}/").status_code == 200
    assert client.get(f"/adults/{tj.pk}/").status_code == 404
    listing = client.get("/adults/").content.decode()
    assert ru.reference in listing and tj.reference not in listing


def test_charges_are_shown_only_to_holders_of_the_criminal_record_grant(client, users, registry):
    from homeward.evidence.services.judicial import record_court_case

    ru, _tj = adult_pairs(users, registry)[AdultCase]
    record_court_case(
        ru.person,
        actor=users["moj.registrar"],
        court="Central Criminal Court",
        case_number="CCC-77",
        stage="convicted",
        charges=["Anti-Terrorism Law 13/2005 Art. 4/1"],
        verdict_on=ru.status_since,
    )
    for username, shows in (("hjc.judge", True), ("consul.ru", False), ("mfa.officer", False)):
        client.force_login(users[username])
        page = client.get(f"/adults/{ru.pk}/").content.decode()
        assert "CCC-77" in page
        assert ("Art. 4/1" in page) is shows, username
        assert ("Charges are sealed for you." in page) is not shows, username


def test_the_adult_page_renders_in_arabic(client, users, registry):
    ru, _tj = adult_pairs(users, registry)[AdultCase]
    client.force_login(users["mfa.officer"])
    page = client.get(f"/adults/{ru.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    assert "زلفية حسينوفا" in page


# -- the mother's Person page follows her adult case -------------------------------------------


@pytest.fixture
def lone_mother(users, registry):
    """A Tajik mother in custody whose children have no case yet: only her adult case ties her
    to Tajikistan."""
    from tests.adults.conftest import convicted_case, register_mother

    officer = users["mfa.officer"]
    mother = register_mother(officer, name="أوزودا نازاروفا")
    return convicted_case(officer, mother, "TJ", release_in_days=30)


def test_a_person_with_an_adult_case_is_in_her_home_states_scope(users, lone_mother):
    from homeward.people.models import Person

    mother = lone_mother.person
    assert Person.objects.for_user(users["consul.tj"], "view").filter(pk=mother.pk).exists()
    assert not Person.objects.for_user(users["consul.ru"], "view").filter(pk=mother.pk).exists()
    assert Person.objects.for_user(users["mfa.officer"], "view").filter(pk=mother.pk).exists()


ROUTES = {
    "page": "/people/{pk}/",
    "api": "/api/v1/people/{pk}/",
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("username", "status"),
    [("consul.tj", 200), ("consul.ru", 404), ("mfa.officer", 200)],
)
def test_the_mothers_person_route_answers_by_her_adult_case(
    client, users, lone_mother, route, username, status
):
    client.force_login(users[username])
    response = client.get(ROUTES[route].format(pk=lone_mother.person_id))
    assert response.status_code == status
    if status == 404:
        assert "أوزودا" not in response.content.decode()


def test_the_adult_case_and_the_person_page_agree_for_every_consul(client, users, lone_mother):
    for username, status in (("consul.tj", 200), ("consul.ru", 404)):
        client.force_login(users[username])
        assert client.get(f"/adults/{lone_mother.pk}/").status_code == status
        assert client.get(f"/people/{lone_mother.person_id}/").status_code == status
