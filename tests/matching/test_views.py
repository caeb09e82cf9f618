"""The search page and the duplicate check at registration."""

import datetime

from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.matching import events
from homeward.people.models import Person, PersonName
from tests.conftest import register


def _about(years: int) -> datetime.date:
    today = datetime.date.today()
    return (
        today.replace(year=today.year - years, month=1, day=15)
        if today.month > 6
        else today.replace(year=today.year - years - 1, month=9, day=15)
    )


def test_search_in_cyrillic_with_an_age_finds_the_arabic_record_and_says_why(client, users, prison):
    # given a six-year-old registered from the prison register in Arabic
    officer = users["mfa.officer"]
    child = register(officer, name="خديجة حسينوفا", state="RU", born=_about(6))
    register(officer, name="فاطمة رحيموفا", state="TJ", born=_about(6))
    client.force_login(users["consul.ru"])
    # when the Russian consul searches the ombudsman's spelling with the age
    response = client.post(reverse("matching:search"), {"name": "Хадижат Гусейнова, about 6"})
    # then the child is found, with the fields that agreed
    assert response.status_code == 200
    candidates = response.context["candidates"]
    assert [candidate.person for candidate in candidates] == [child]
    levels = {item.field: item.level for item in candidates[0].comparisons}
    assert (levels["given"], levels["family"], levels["birth"]) == ("agree", "agree", "partly")
    assert candidates[0].score >= response.context["threshold"]
    # shown masked (the searcher's own words echoed; the record's name only as initials)
    text = response.content.decode()
    assert "خ*** ح***" in text and "Хадижат" in text
    assert "خديجة" not in text and "حسينوفا" not in text
    # and the search is in the audit trail: the ids shown, that a name was given (the trail
    # is never edited: a name in it would outlive the child's retention purge), the age
    event = AuditEvent.objects.filter(event_type=events.CANDIDATES_LISTED).get()
    assert (event.data["ids"], event.data["query"]) == (
        [str(child.pk)],
        {"name": "<given>", "age": "6"},
    )


def test_search_never_shows_another_states_child(client, users, registry):
    # given consul.ru and the Tajik child's exact name
    name = registry["tj_child"].names.get().full_text
    client.force_login(users["consul.ru"])
    # when searched
    response = client.post(reverse("matching:search"), {"name": name})
    # then nothing of it comes back
    assert response.context["candidates"] == []
    text = response.content.decode().replace(f'value="{name}"', "")
    assert name not in text and str(registry["tj_child"].pk) not in text


def _registration(name: str, **extra) -> dict:
    data = {
        "names-TOTAL_FORMS": "4",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "4",
        "names-0-full_text": name,
        "names-0-name_type": "legal_home_state",
        "names-0-is_primary": "on",
        "sex": "female",
        "dob_precision": "day",
        "date_of_birth": "2016-03-01",
        "dob_source": "home_state_document",
        "orphan_status": "unknown",
        "home_state": "RU",
    }
    data.update(extra)
    return data


def test_registering_a_known_child_warns_before_saving(client, users, registry):
    # given the child registered as "خديجة حسينوفا"
    client.force_login(users["mfa.officer"])
    people, names = Person.objects.count(), PersonName.objects.count()
    # when the officer registers "Khadija Huseinova", born the same day
    response = client.post(reverse("people:child_create"), _registration("Khadija Huseinova"))
    # then the page shows the existing child and nothing is written
    assert response.status_code == 200
    assert [candidate.person for candidate in response.context["duplicates"]] == [
        registry["ru_child"]
    ]
    assert "confirm_not_duplicate" in response.content.decode()
    assert (Person.objects.count(), PersonName.objects.count()) == (people, names)


def test_registering_anyway_after_confirming(client, users, registry):
    client.force_login(users["mfa.officer"])
    people = Person.objects.count()
    # when the officer confirms it is a different child
    response = client.post(
        reverse("people:child_create"),
        _registration("Khadija Huseinova", confirm_not_duplicate="1"),
    )
    # then the child is registered
    assert response.status_code == 302
    assert Person.objects.count() == people + 1


def test_a_different_child_registers_without_a_warning(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.post(reverse("people:child_create"), _registration("Марьям Ибрагимова"))
    assert response.status_code == 302


def test_duplicate_check_stays_within_the_officers_scope(client, users, registry):
    # given a consul who may register (consul.tj sees only Tajik children)
    from homeward.accounts import capabilities
    from homeward.accounts.models import Role, User

    role = Role.objects.create(
        code="editor", name="Editor", capabilities=[*capabilities.EDIT_REGISTRY]
    )
    users["consul.tj"].roles.add(role)
    consul = User.objects.get(pk=users["consul.tj"].pk)
    client.force_login(consul)
    # when it registers a Tajik child spelled like the Russian one
    response = client.post(
        reverse("people:child_create"), _registration("Khadija Huseinova", home_state="TJ")
    )
    # then no Russian child is shown: the registration goes through
    assert response.status_code == 302
