"""Single-record invariants of the core models (`clean()` and database constraints).

Dates that depend on "today" use the `today` fixture, which pins the models' clock.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency, Role, User
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.core.normalise import detect_script, normalise_name
from homeward.people import models as people_models
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def today(monkeypatch) -> datetime.date:
    monkeypatch.setattr(people_models, "_today", lambda: TODAY)
    return TODAY


def make_person(
    kind="child", sex="female", born=datetime.date(2016, 3, 1), precision="day"
) -> Person:
    person = Person(kind=kind, sex=sex, date_of_birth=born, dob_precision=precision)
    person.full_clean()
    person.save()
    return person


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# -- core.normalise (no database) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("خديجة", "خديجه"),
        ("خديجه", "خديجه"),
        ("أحمد", "احمد"),
        ("إسراء", "اسراء"),
        ("آمنة", "امنه"),
        ("مصطفى", "مصطفي"),
        ("مؤمن", "مومن"),
        ("عائشة", "عايشه"),
        ("مُحَمَّد", "محمد"),
        ("عـــلي", "علي"),
        ("Ёлкина", "елкина"),
        ("Фёдор", "федор"),
        ("Hüseyn", "huseyn"),
        ("Zöhrä Äliyeva", "zohra aliyeva"),
        ("MARIA  Ivanova", "maria ivanova"),
        ("Абу-Бакр", "абу бакр"),
        ("O’Neil", "o neil"),
        ("  \t ", ""),
        ("", ""),
    ],
)
def test_normalise_name_folds_case_diacritics_and_arabic_variants(text, expected):
    # given a name as written / when normalised / then it is in the search form
    assert normalise_name(text) == expected


def test_normalise_name_treats_none_as_empty():
    # given / when / then
    assert normalise_name(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("خديجة حسينوفا", "Arab"),
        ("Хадижат Гусейнова", "Cyrl"),
        ("Khadija Huseynova", "Latn"),
        ("Хадижат Huseyn", "Cyrl"),  # 7 Cyrillic letters against 6 Latin
        ("12345 -", "Zyyy"),
        ("", "Zyyy"),
    ],
)
def test_detect_script_returns_dominant_letter_script(text, expected):
    # given a text / when its script is detected / then the dominant script wins
    assert detect_script(text) == expected


# -- Person ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_born_in_the_future_is_rejected(today):
    # given a child born tomorrow
    person = Person(
        sex="female", date_of_birth=today + datetime.timedelta(days=1), dob_precision="day"
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"date_of_birth": ["A date of birth cannot be in the future."]}


@pytest.mark.django_db
def test_person_born_in_a_future_year_is_rejected(today):
    # given a year-only date of birth next year
    person = Person(sex="female", date_of_birth=datetime.date(2027, 1, 1), dob_precision="year")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"date_of_birth": ["A date of birth cannot be in the future."]}


@pytest.mark.django_db
def test_person_born_today_is_accepted(today):
    # given a child born today
    person = Person(sex="female", date_of_birth=today, dob_precision="day")
    # when
    person.full_clean()
    # then
    assert person.date_of_birth == datetime.date(2026, 3, 10)


@pytest.mark.django_db
def test_year_only_birth_this_year_is_not_pushed_into_the_future(today):
    # given a baby born this year, year known only, registered in March (mid-year is July)
    person = Person(sex="male", date_of_birth=datetime.date(2026, 1, 1), dob_precision="year")
    # when
    person.full_clean()
    # then the best single date is today, not 1 July
    assert person.date_of_birth == datetime.date(2026, 3, 10)


@pytest.mark.django_db
def test_month_only_birth_this_month_is_not_pushed_into_the_future(today):
    # given a baby born this month, registered on the 10th (mid-month is the 15th)
    person = Person(sex="male", date_of_birth=datetime.date(2026, 3, 1), dob_precision="month")
    # when
    person.full_clean()
    # then
    assert person.date_of_birth == datetime.date(2026, 3, 10)


@pytest.mark.django_db
def test_death_before_birth_is_rejected(today):
    # given
    person = Person(
        sex="female",
        date_of_birth=datetime.date(2016, 3, 1),
        dob_precision="day",
        date_of_death=datetime.date(2016, 2, 28),
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"date_of_death": ["Death cannot come before birth."]}


@pytest.mark.django_db
def test_death_before_earliest_possible_birth_is_rejected(today):
    # given a range of birth and a death before it starts
    person = Person(
        sex="female",
        dob_precision="range",
        dob_earliest=datetime.date(2015, 1, 1),
        dob_latest=datetime.date(2016, 12, 31),
        date_of_death=datetime.date(2014, 12, 31),
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"date_of_death": ["Death cannot come before birth."]}


@pytest.mark.django_db
def test_death_in_the_future_is_rejected(today):
    # given
    person = Person(
        sex="female",
        date_of_birth=datetime.date(2016, 3, 1),
        dob_precision="day",
        date_of_death=today + datetime.timedelta(days=1),
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"date_of_death": ["A date of death cannot be in the future."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earliest", "latest"),
    [(datetime.date(2015, 1, 1), None), (None, datetime.date(2016, 1, 1)), (None, None)],
)
def test_range_without_both_bounds_is_rejected(today, earliest, latest):
    # given
    person = Person(sex="female", dob_precision="range", dob_earliest=earliest, dob_latest=latest)
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {
        "dob_earliest": ["An estimated range needs both its earliest and latest date."]
    }


@pytest.mark.django_db
def test_reversed_range_is_rejected(today):
    # given
    person = Person(
        sex="female",
        dob_precision="range",
        dob_earliest=datetime.date(2016, 1, 1),
        dob_latest=datetime.date(2015, 12, 31),
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {
        "dob_latest": ["The latest date must not be before the earliest."]
    }


@pytest.mark.django_db
def test_reversed_range_is_refused_by_the_database():
    # given a reversed range that bypasses clean()
    person = Person(
        sex="female",
        dob_precision="range",
        dob_earliest=datetime.date(2016, 1, 1),
        dob_latest=datetime.date(2015, 1, 1),
    )
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_stated_precision_without_date_is_rejected(today):
    # given
    person = Person(sex="female", dob_precision="year")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {
        "date_of_birth": ["Enter the date of birth, or choose “unknown” precision."]
    }


@pytest.mark.django_db
def test_unknown_language_codes_are_rejected(today):
    # given
    person = Person(sex="female", dob_precision="unknown", languages=["ru", "zz", "ar", "xx"])
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert errors_of(excinfo) == {"languages": ["Unknown language codes: xx, zz"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"dob_precision": "day", "date_of_birth": datetime.date(2016, 3, 1)},
            (datetime.date(2016, 3, 1), None, None),
        ),
        (
            {"dob_precision": "month", "date_of_birth": datetime.date(2016, 3, 1)},
            (datetime.date(2016, 3, 15), None, None),
        ),
        (
            {"dob_precision": "year", "date_of_birth": datetime.date(2016, 3, 1)},
            (datetime.date(2016, 7, 1), None, None),
        ),
        (
            {
                "dob_precision": "year",
                "date_of_birth": datetime.date(2016, 3, 1),
                "dob_earliest": datetime.date(2015, 1, 1),
                "dob_latest": datetime.date(2017, 1, 1),
            },
            (datetime.date(2016, 7, 1), None, None),
        ),
        (
            {
                "dob_precision": "range",
                "dob_earliest": datetime.date(2015, 1, 1),
                "dob_latest": datetime.date(2016, 12, 31),
            },
            (datetime.date(2016, 1, 1), datetime.date(2015, 1, 1), datetime.date(2016, 12, 31)),
        ),
        (
            {
                "dob_precision": "range",
                "dob_earliest": datetime.date(2015, 1, 1),
                "dob_latest": datetime.date(2015, 1, 1),
            },
            (datetime.date(2015, 1, 1), datetime.date(2015, 1, 1), datetime.date(2015, 1, 1)),
        ),
        (
            {"dob_precision": "unknown", "date_of_birth": datetime.date(2016, 3, 1)},
            (None, None, None),
        ),
    ],
    ids=["day", "month", "year", "year-drops-range", "range", "range-one-day", "unknown"],
)
def test_date_of_birth_is_normalised_for_its_precision(today, given, expected):
    # given
    person = Person(sex="female", **given)
    # when
    person.full_clean()
    # then
    assert (person.date_of_birth, person.dob_earliest, person.dob_latest) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"dob_precision": "day", "date_of_birth": datetime.date(2016, 3, 1)}, "March 1, 2016"),
        ({"dob_precision": "month", "date_of_birth": datetime.date(2016, 3, 1)}, "March 2016"),
        ({"dob_precision": "year", "date_of_birth": datetime.date(2016, 3, 1)}, "2016 (year only)"),
        (
            {
                "dob_precision": "range",
                "dob_earliest": datetime.date(2015, 1, 1),
                "dob_latest": datetime.date(2016, 12, 31),
            },
            "between Jan 2015 and Dec 2016 (estimated)",
        ),
        ({"dob_precision": "unknown", "date_of_birth": datetime.date(2016, 3, 1)}, "unknown"),
    ],
    ids=["day", "month", "year", "range", "unknown"],
)
def test_date_of_birth_display_states_the_precision(today, given, expected):
    # given a normalised person
    person = Person(sex="female", **given)
    person.full_clean()
    # when
    with translation.override("en"):
        shown = str(person.date_of_birth_display)
    # then
    assert shown == expected


def test_age_is_whole_years_and_estimated_unless_exact():
    # given a child born on 1 March 2016, year known only
    person = Person(date_of_birth=datetime.date(2016, 7, 1), dob_precision="year")
    # when / then
    assert person.age(on=datetime.date(2026, 6, 30)) == 9
    assert person.age(on=datetime.date(2026, 7, 1)) == 10
    assert person.age_is_estimated is True
    assert Person(dob_precision="day").age_is_estimated is False
    assert Person(dob_precision="unknown").age() is None


# -- PersonName --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["   ", "\t\n"])
def test_whitespace_name_is_rejected(today, text):
    # given
    person = make_person()
    name = PersonName(person=person, full_text=text, name_type="alias")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        name.full_clean()
    assert errors_of(excinfo) == {"full_text": ["A name cannot be empty."]}


@pytest.mark.django_db
def test_empty_name_is_rejected(today):
    # given
    person = make_person()
    name = PersonName(person=person, full_text="", name_type="alias")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        name.full_clean()
    assert errors_of(excinfo) == {
        "full_text": ["This field cannot be blank.", "A name cannot be empty."]
    }


@pytest.mark.django_db
def test_name_without_letters_is_rejected(today):
    # given
    person = make_person()
    name = PersonName(person=person, full_text="- . -", name_type="alias")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        name.full_clean()
    assert errors_of(excinfo) == {"full_text": ["A name must contain letters."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "script", "search_text"),
    [
        ("خديجة  حسينوفا", "Arab", "خديجه حسينوفا"),
        ("Ёлкина Фатима", "Cyrl", "елкина фатима"),
        ("  Hüseynova   ZÖHRA ", "Latn", "huseynova zohra"),
    ],
)
def test_name_gets_script_and_search_text(today, text, script, search_text):
    # given
    person = make_person()
    name = PersonName(person=person, full_text=text, name_type="declared_by_mother")
    # when
    name.full_clean()
    name.save()
    # then
    stored = PersonName.objects.get(pk=name.pk)
    assert (stored.full_text, stored.script, stored.search_text) == (
        " ".join(text.split()),
        script,
        search_text,
    )


@pytest.mark.django_db
def test_stated_script_is_kept(today):
    # given a Latin transliteration the registrar marks as Latin
    person = make_person()
    name = PersonName(person=person, full_text="Хадижат", script="Latn", name_type="alias")
    # when
    name.full_clean()
    # then
    assert name.script == "Latn"


@pytest.mark.django_db
def test_two_primary_names_are_refused_by_the_database(today):
    # given a person with a preferred name
    person = make_person()
    PersonName.objects.create(
        person=person, full_text="A", name_type="alias", is_primary=True, search_text="a"
    )
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonName.objects.create(
            person=person, full_text="B", name_type="alias", is_primary=True, search_text="b"
        )
    assert PersonName.objects.filter(person=person).count() == 1


# -- Relationship ------------------------------------------------------------------------


@pytest.mark.django_db
def test_self_link_is_rejected(today):
    # given
    person = make_person()
    link = Relationship(
        person=person, relative=person, relationship_type="full_sibling", basis="declared"
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {"relative": ["A person cannot be their own relative."]}


@pytest.mark.django_db
def test_self_link_is_refused_by_the_database(today):
    # given
    person = make_person()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(
            person=person, relative=person, relationship_type="full_sibling", basis="declared"
        )
    assert Relationship.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "relationship_type", ["mother", "father", "grandparent_maternal", "grandparent_paternal"]
)
def test_elder_born_after_the_child_is_rejected(today, relationship_type):
    # given a child born 2016 and a "parent" born 2017
    child = make_person(born=datetime.date(2016, 3, 1))
    elder = make_person(kind="adult", sex="unknown", born=datetime.date(2017, 1, 1))
    link = Relationship(
        person=child, relative=elder, relationship_type=relationship_type, basis="declared"
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {
        "relationship_type": ["A parent or grandparent cannot be born after the child."]
    }


@pytest.mark.django_db
def test_sibling_born_after_the_child_is_accepted(today):
    # given
    child = make_person(born=datetime.date(2016, 3, 1))
    sibling = make_person(born=datetime.date(2017, 1, 1))
    link = Relationship(
        person=child, relative=sibling, relationship_type="full_sibling", basis="declared"
    )
    # when / then
    link.full_clean()


@pytest.mark.django_db
def test_male_mother_is_rejected(today):
    # given
    child = make_person()
    man = make_person(kind="adult", sex="male", born=datetime.date(1990, 1, 1))
    link = Relationship(person=child, relative=man, relationship_type="mother", basis="declared")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {"relationship_type": ["A mother cannot be recorded as male."]}


@pytest.mark.django_db
def test_female_father_is_rejected(today):
    # given
    child = make_person()
    woman = make_person(kind="adult", sex="female", born=datetime.date(1990, 1, 1))
    link = Relationship(person=child, relative=woman, relationship_type="father", basis="declared")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {"relationship_type": ["A father cannot be recorded as female."]}


@pytest.mark.django_db
def test_duplicate_link_is_rejected(today):
    # given an existing mother link
    child = make_person()
    mother = make_person(kind="adult", born=datetime.date(1990, 1, 1))
    Relationship.objects.create(
        person=child, relative=mother, relationship_type="mother", basis="declared"
    )
    link = Relationship(
        person=child, relative=mother, relationship_type="mother", basis="dna_confirmed"
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {
        "__all__": ["Relationship with this Person, Relative and Relationship already exists."]
    }


@pytest.mark.django_db
def test_future_verification_date_is_rejected(today):
    # given
    child = make_person()
    mother = make_person(kind="adult", born=datetime.date(1990, 1, 1))
    link = Relationship(
        person=child,
        relative=mother,
        relationship_type="mother",
        basis="dna_confirmed",
        verified_on=today + datetime.timedelta(days=1),
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert errors_of(excinfo) == {"verified_on": ["A verification date cannot be in the future."]}


# -- CustodyEpisode ----------------------------------------------------------------------


@pytest.fixture
def registrar(db) -> User:
    return User.objects.create_user("registrar")


@pytest.fixture
def held_child(today, prison, registrar):
    """A child held in prison from 10 Jan 2018 to 1 Jan 2019."""
    child = make_person()
    CustodyEpisode.objects.create(
        child=child,
        facility=prison,
        started_on=datetime.date(2018, 1, 10),
        ended_on=datetime.date(2019, 1, 1),
        recorded_by=registrar,
    )
    return child


def new_episode(child, facility, started_on, ended_on=None, **fields) -> CustodyEpisode:
    recorder = User.objects.get(username="registrar")
    return CustodyEpisode(
        child=child,
        facility=facility,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=recorder,
        **fields,
    )


@pytest.mark.django_db
def test_episode_ending_before_it_starts_is_rejected(held_child, orphanage):
    # given
    episode = new_episode(
        held_child, orphanage, datetime.date(2020, 5, 1), datetime.date(2020, 4, 30)
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        episode.full_clean()
    assert errors_of(excinfo) == {"ended_on": ["An episode cannot end before it starts."]}


@pytest.mark.django_db
def test_episode_starting_in_the_future_is_rejected(held_child, orphanage, today):
    # given
    episode = new_episode(held_child, orphanage, today + datetime.timedelta(days=1))
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        episode.full_clean()
    assert errors_of(excinfo) == {"started_on": ["A custody episode cannot start in the future."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started_on", "ended_on"),
    [
        (datetime.date(2018, 6, 1), datetime.date(2018, 7, 1)),  # inside
        (datetime.date(2017, 1, 1), datetime.date(2018, 1, 11)),  # over the start
        (datetime.date(2018, 12, 31), None),  # open, from the last day
        (datetime.date(2017, 1, 1), None),  # open, from before
    ],
)
def test_overlapping_episode_is_rejected(held_child, orphanage, started_on, ended_on):
    # given
    episode = new_episode(held_child, orphanage, started_on, ended_on)
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        episode.full_clean()
    assert errors_of(excinfo)["started_on"] == [
        "This period overlaps another custody episode of the same child."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started_on", "ended_on"),
    [
        (datetime.date(2019, 1, 1), None),  # starts the day the other ends
        (datetime.date(2017, 1, 1), datetime.date(2018, 1, 10)),  # ends the day the other starts
    ],
)
def test_touching_episode_is_accepted(held_child, orphanage, started_on, ended_on):
    # given
    episode = new_episode(held_child, orphanage, started_on, ended_on)
    # when
    episode.full_clean()
    episode.save()
    # then
    assert CustodyEpisode.objects.filter(child=held_child).count() == 2


@pytest.mark.django_db
def test_child_held_with_themselves_is_rejected(held_child, orphanage):
    # given
    episode = new_episode(held_child, orphanage, datetime.date(2019, 1, 1), with_person=held_child)
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        episode.full_clean()
    assert errors_of(excinfo) == {"with_person": ["A child cannot be held with themselves."]}


@pytest.mark.django_db
def test_episode_ending_before_start_is_refused_by_the_database(held_child, orphanage):
    # given / when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            child=held_child,
            facility=orphanage,
            started_on=datetime.date(2020, 5, 1),
            ended_on=datetime.date(2020, 4, 1),
        )
    assert CustodyEpisode.objects.filter(child=held_child).count() == 1


@pytest.mark.django_db
def test_two_open_episodes_are_refused_by_the_database(held_child, orphanage, prison):
    # given one open episode
    CustodyEpisode.objects.create(
        child=held_child, facility=orphanage, started_on=datetime.date(2019, 1, 1)
    )
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEpisode.objects.create(
            child=held_child, facility=prison, started_on=datetime.date(2020, 1, 1)
        )
    assert CustodyEpisode.objects.filter(child=held_child).count() == 2


# -- Case --------------------------------------------------------------------------------


def new_case(child, **fields) -> Case:
    now = timezone.now()
    defaults = {
        "reference": "HW-2026-00099",
        "child": child,
        "home_state": HomeState.objects.get(code="RU"),
        "status_changed_at": now,
        "opened_at": now,
    }
    return Case(**{**defaults, **fields})


@pytest.mark.django_db
def test_case_for_an_adult_is_rejected(today):
    # given
    adult = make_person(kind="adult", born=datetime.date(1990, 1, 1))
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        new_case(adult).full_clean()
    assert errors_of(excinfo) == {"child": ["A case is opened for a child, not an adult."]}


@pytest.mark.django_db
def test_side_state_without_return_status_is_rejected(today):
    # given
    case = new_case(make_person(), status="ON_HOLD")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert errors_of(excinfo) == {
        "return_status": ["A case in a side state must remember the main state to return to."]
    }


@pytest.mark.django_db
def test_side_state_returning_to_a_side_state_is_rejected(today):
    # given
    case = new_case(make_person(), status="ON_HOLD", return_status="NATIONALITY_DISPUTED")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert errors_of(excinfo) == {
        "return_status": ["A case in a side state must remember the main state to return to."]
    }


@pytest.mark.django_db
def test_main_state_with_return_status_is_rejected(today):
    # given
    case = new_case(make_person(), status="PROFILED", return_status="REGISTERED")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert errors_of(excinfo) == {
        "return_status": ["Only a case in a side state has a state to return to."]
    }


@pytest.mark.django_db
def test_side_state_remembering_a_main_state_is_accepted(today):
    # given
    case = new_case(make_person(), status="ON_HOLD", return_status="PROFILED")
    # when
    case.full_clean()
    # then
    assert case.in_side_state is True


# -- Agency and Role ---------------------------------------------------------------------


@pytest.mark.django_db
def test_mission_without_country_is_rejected():
    # given
    agency = Agency(name="Embassy of Nowhere", kind=AgencyKind.HOME_STATE_MISSION)
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert errors_of(excinfo) == {"country": ["A home-state mission must name its country."]}


@pytest.mark.django_db
def test_non_mission_with_country_is_rejected():
    # given
    agency = Agency(name="MFA", kind=AgencyKind.COORDINATING_MINISTRY, country_id="RU")
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert errors_of(excinfo) == {"country": ["Only a home-state mission has a country."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "country"),
    [(AgencyKind.HOME_STATE_MISSION, None), (AgencyKind.COORDINATING_MINISTRY, "RU")],
)
def test_agency_country_rule_is_enforced_by_the_database(kind, country):
    # given / when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="Bad agency", kind=kind, country_id=country)
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_mission_with_country_is_accepted():
    # given
    agency = Agency(name="Embassy of Russia", kind=AgencyKind.HOME_STATE_MISSION, country_id="RU")
    # when
    agency.full_clean()
    agency.save()
    # then
    assert Agency.objects.get().is_mission is True


@pytest.mark.django_db
def test_role_with_unknown_capability_is_rejected():
    # given
    role = Role(
        code="typo",
        name="Typo",
        capabilities=["people.view_person", "people.veiw_person", "cases.fly"],
    )
    # when / then
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert errors_of(excinfo) == {
        "capabilities": ["Unknown capabilities: cases.fly, people.veiw_person"]
    }
