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
