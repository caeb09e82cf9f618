"""Write use cases: one transaction each, with its audit event, and nothing written on error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.services import sync_standard_roles
from homeward.audit.models import AuditEvent, AuditHead
from homeward.audit.verify import verify_chain
from homeward.cases.models import Case
from homeward.cases.services import open_case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.models import HomeState
from homeward.people import services
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship
from tests.conftest import make_user, register

pytestmark = pytest.mark.django_db


def counts() -> dict:
    """Every table a use case may write, and the audit chain's head."""
    head = AuditHead.objects.get(pk=1)
    return {
        "person": Person.objects.count(),
        "name": PersonName.objects.count(),
        "relationship": Relationship.objects.count(),
        "episode": CustodyEpisode.objects.count(),
        "case": Case.objects.count(),
        "audit": AuditEvent.objects.count(),
        "head": (head.seq, head.hash),
    }


def event_row(event: AuditEvent) -> dict:
    return {
        "event_type": event.event_type,
        "actor_username": event.actor_username,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_id": event.person_id,
        "case_id": event.case_id,
        "home_state": event.home_state,
        "data": event.data,
    }


def state(code: str) -> HomeState:
    return HomeState.objects.get(code=code)


@pytest.fixture
def officer(db) -> User:
    """Only the user these tests act as (the shared `users` fixture builds every demo user)."""
    return make_user("mfa.officer")


@pytest.fixture
def ru_scoped(db) -> User:
    """A ministry user (not a mission) who works on Russia only, with every edit capability."""
    user = User.objects.create_user("officer.ru", password="correct horse battery staple")
    user.roles.add(sync_standard_roles()["mfa_case_officer"])
    user.home_states.add(state("RU"))
    return User.objects.get(pk=user.pk)


def register_khadija(actor, prison, **overrides):
    arguments = {
        "actor": actor,
        "fields": {
            "sex": "female",
            "date_of_birth": datetime.date(2016, 3, 1),
            "dob_precision": "day",
        },
        "names": [
            {"full_text": "خديجة حسينوفا", "name_type": "prison_register"},
            {"full_text": "Хадижат Гусейнова", "name_type": "legal_home_state"},
        ],
        "home_state": state("RU"),
        "custody": {
            "facility": prison,
            "started_on": datetime.date(2018, 1, 10),
            "legal_basis": "Court order 7/2018",
        },
    }
    return services.register_child(**{**arguments, **overrides})


# -- register_child ----------------------------------------------------------------------


def test_register_child_creates_person_names_case_and_placement(officer, prison):
    # given an empty registry
    year = timezone.localdate().year
    # when
    child = register_khadija(officer, prison)
    # then
    person = Person.objects.get()
    assert (person.pk, person.kind, person.sex, person.date_of_birth, person.version) == (
        child.pk,
        "child",
        "female",
        datetime.date(2016, 3, 1),
        1,
    )
    names = list(
        PersonName.objects.filter(person=person)
        .order_by("created_at", "pk")
        .values_list("full_text", "script", "is_primary", "search_text")
    )
    assert names == [
        ("خديجة حسينوفا", "Arab", True, "خديجه حسينوفا"),
        ("Хадижат Гусейнова", "Cyrl", False, "хадижат гусеинова"),
    ]
    case = Case.objects.get()
    assert (
        case.reference,
        case.child_id,
        case.home_state_id,
        case.status,
        case.return_status,
        case.version,
    ) == (
        f"HW-{year}-00001",
        child.pk,
        "RU",
        "REGISTERED",
        "",
        1,
    )
    episode = CustodyEpisode.objects.get()
    assert (
        episode.child_id,
        episode.facility_id,
        episode.started_on,
        episode.ended_on,
        episode.legal_basis,
        episode.recorded_by_id,
    ) == (child.pk, prison.pk, datetime.date(2018, 1, 10), None, "Court order 7/2018", officer.pk)


def test_register_child_records_case_opened_then_child_registered(officer, prison):
    # given
    year = timezone.localdate().year
    # when
    child = register_khadija(officer, prison)
    # then
    case = Case.objects.get()
    assert [event_row(event) for event in AuditEvent.objects.order_by("seq")] == [
        {
            "event_type": "cases.case.opened",
            "actor_username": "mfa.officer",
            "object_type": "cases.case",
            "object_id": str(case.pk),
            "person_id": child.pk,
            "case_id": case.pk,
            "home_state": "RU",
            "data": {"reference": f"HW-{year}-00001", "home_state": "RU"},
        },
        {
            "event_type": "people.child.registered",
            "actor_username": "mfa.officer",
            "object_type": "people.person",
            "object_id": str(child.pk),
            "person_id": child.pk,
            "case_id": case.pk,
            "home_state": "RU",
            "data": {"case": f"HW-{year}-00001", "names": 2, "custody": True},
        },
    ]
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2]
    assert AuditEvent.objects.get(seq=2).actor_id == officer.pk
    assert verify_chain() == (2, None)


def test_register_child_without_custody_opens_no_episode(officer):
    # given / when
    child = services.register_child(
        actor=officer,
        fields={"sex": "male", "dob_precision": "unknown"},
        names=[{"full_text": "Adam", "name_type": "assigned_by_facility"}],
        home_state=state("TJ"),
    )
    # then
    assert CustodyEpisode.objects.filter(child=child).count() == 0
    assert AuditEvent.objects.get(event_type="people.child.registered").data == {
        "case": Case.objects.get(child=child).reference,
        "names": 1,
        "custody": False,
    }


def test_case_references_are_sequential(officer, prison):
    # given
    year = timezone.localdate().year
    # when three children are registered
    for name, code in [("Aisha", "RU"), ("Fatima", "TJ"), ("Maryam", "RU")]:
        register(officer, name=name, state=code, facility=prison)
    # then
    assert list(Case.objects.order_by("reference").values_list("reference", "home_state_id")) == [
        (f"HW-{year}-00001", "RU"),
        (f"HW-{year}-00002", "TJ"),
        (f"HW-{year}-00003", "RU"),
    ]


def test_case_reference_year_is_baghdad_year(officer):
    # given a child and a case opened at 01:30 on 1 January in Baghdad (still 31 December in UTC)
    child = Person.objects.create(kind="child", sex="female", dob_precision="unknown")
    opened_at = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)
    # when
    case = open_case(child, actor=officer, home_state=state("RU"), opened_at=opened_at)
    # then
    assert case.reference == "HW-2027-00001"


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {
                "fields": {
                    "sex": "female",
                    "date_of_birth": datetime.date(2099, 1, 1),
                    "dob_precision": "day",
                }
            },
            {"date_of_birth": ["A date of birth cannot be in the future."]},
        ),
        (
            {
                "fields": {
                    "sex": "female",
                    "dob_precision": "unknown",
                    "languages": ["ru", "klingon"],
                }
            },
            {"languages": ["Unknown language codes: klingon"]},
        ),
        ({"names": []}, {"names": ["At least one name is required."]}),
        (
            {"names": [{"full_text": "   ", "name_type": "alias"}]},
            {"full_text": ["A name cannot be empty."]},
        ),
        (
            {
                "names": [
                    {"full_text": "Aisha", "name_type": "alias"},
                    {"full_text": "", "name_type": "alias"},
                ]
            },
            {"full_text": ["This field cannot be blank.", "A name cannot be empty."]},
        ),
        (
            {"names": [{"full_text": "Aisha", "name_type": "no_such_type"}]},
            {"name_type": ["Value 'no_such_type' is not a valid choice."]},
        ),
        (
            {
                "names": [
                    {"full_text": "Aisha", "name_type": "alias", "is_primary": True},
                    {"full_text": "Айша", "name_type": "alias", "is_primary": True},
                ]
            },
            {"names": ["Only one name can be the preferred name."]},
        ),
        (
            {"custody": {"facility": None, "started_on": datetime.date(2099, 1, 1)}},
            {"started_on": ["A custody episode cannot start in the future."]},
        ),
    ],
    ids=[
        "future-dob",
        "unknown-language",
        "no-names",
        "blank-name",
        "one-empty-name",
        "bad-name-type",
        "two-preferred-names",
        "future-custody",
    ],
)
def test_register_child_with_bad_input_writes_nothing(officer, prison, overrides, errors):
    # given
    if "custody" in overrides:
        overrides = {**overrides, "custody": {**overrides["custody"], "facility": prison}}
    before = counts()
    # when
    with pytest.raises(ValidationError) as excinfo:
        register_khadija(officer, prison, **overrides)
    # then
    assert excinfo.value.message_dict == errors
    assert counts() == before


def test_register_child_out_of_actors_scope_writes_nothing(ru_scoped, prison):
    # given a Russia-only officer registering a Tajik child
    # (refused only after everything is written)
    before = counts()
    # when
    with pytest.raises(OutOfScopeError):
        register_khadija(ru_scoped, prison, home_state=state("TJ"))
    # then
    assert counts() == before


def test_register_child_in_actors_scope_succeeds(ru_scoped, prison):
    # given / when
    child = register_khadija(ru_scoped, prison)
    # then
    assert Person.objects.for_user(ru_scoped).get().pk == child.pk
    assert list(AuditEvent.objects.values_list("event_type", "actor_username")) == [
        ("cases.case.opened", "officer.ru"),
        ("people.child.registered", "officer.ru"),
    ]


def test_register_child_rejects_non_person_fields(officer, prison):
    # given
    before = counts()
    # when / then
    with pytest.raises(TypeError, match=r"not person fields: \['kind', 'version'\]"):
        register_khadija(officer, prison, fields={"sex": "female", "kind": "adult", "version": 7})
    assert counts() == before


# -- register_adult ----------------------------------------------------------------------


def test_register_adult_creates_person_and_names_without_case(officer):
    # given / when
    adult = services.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1992, 5, 5),
            "dob_precision": "year",
            "legal_status": "sentenced",
        },
        names=[{"full_text": "Зульфия Гусейнова", "name_type": "court_record"}],
    )
    # then
    person = Person.objects.get()
    assert (person.pk, person.kind, person.date_of_birth, person.legal_status) == (
        adult.pk,
        "adult",
        datetime.date(1992, 7, 1),
        "sentenced",
    )
    assert list(PersonName.objects.values_list("full_text", "script", "is_primary")) == [
        ("Зульфия Гусейнова", "Cyrl", True),
    ]
    assert Case.objects.count() == 0
    assert event_row(AuditEvent.objects.get()) == {
        "event_type": "people.adult.registered",
        "actor_username": "mfa.officer",
        "object_type": "people.person",
        "object_id": str(adult.pk),
        "person_id": adult.pk,
        "case_id": None,
        "home_state": "",
        "data": {"names": 1},
    }


def test_register_adult_with_bad_input_writes_nothing(officer):
    # given
    before = counts()
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.register_adult(
            actor=officer,
            fields={"sex": "female", "date_of_death": datetime.date(2099, 1, 1)},
            names=[{"full_text": "Zulfiya", "name_type": "court_record"}],
        )
    # then
    assert excinfo.value.message_dict == {
        "date_of_death": ["A date of death cannot be in the future."]
    }
    assert counts() == before


# -- update_person -----------------------------------------------------------------------


def test_update_with_current_version_bumps_version_and_records_diff(officer, prison):
    # given
    child = register_khadija(officer, prison)
    before_events = AuditEvent.objects.count()
    # when
    updated = services.update_person(
        child,
        actor=officer,
        expected_version=1,
        changes={
            "date_of_birth": datetime.date(2016, 4, 2),
            "languages": ["ru", "ar"],
            "unaccompanied": False,
            "place_of_birth_country": state("SY"),
        },
    )
    # then
    person = Person.objects.get(pk=child.pk)
    assert (updated.version, person.version) == (2, 2)
    assert (person.date_of_birth, person.languages, person.place_of_birth_country_id) == (
        datetime.date(2016, 4, 2),
        ["ru", "ar"],
        "SY",
    )
    assert AuditEvent.objects.count() == before_events + 1
    case = Case.objects.get(child=child)
    assert event_row(AuditEvent.objects.latest("seq")) == {
        "event_type": "people.person.updated",
        "actor_username": "mfa.officer",
        "object_type": "people.person",
        "object_id": str(child.pk),
        "person_id": child.pk,
        "case_id": case.pk,
        "home_state": "RU",
        "data": {
            "changes": {
                "date_of_birth": ["2016-03-01", "2016-04-02"],
                "languages": [[], ["ru", "ar"]],
                "place_of_birth_country": [None, "SY"],
            }
        },
    }


def test_update_records_normalised_value_in_diff(officer, prison):
    # given a child born 1 March 2016
    child = register_khadija(officer, prison)
    # when the precision is lowered to the year
    services.update_person(
        child, actor=officer, expected_version=1, changes={"dob_precision": "year"}
    )
    # then the stored and recorded date is mid-year
    assert Person.objects.get(pk=child.pk).date_of_birth == datetime.date(2016, 7, 1)
    assert AuditEvent.objects.latest("seq").data == {
        "changes": {
            "date_of_birth": ["2016-03-01", "2016-07-01"],
            "dob_precision": ["day", "year"],
        }
    }


def test_update_with_stale_version_writes_nothing(officer, prison):
    # given someone else already saved version 2
    child = register_khadija(officer, prison)
    services.update_person(child, actor=officer, expected_version=1, changes={"sex": "unknown"})
    before = counts()
    # when an editor who loaded version 1 saves
    with pytest.raises(StaleEditError):
        services.update_person(child, actor=officer, expected_version=1, changes={"sex": "male"})
    # then
    person = Person.objects.get(pk=child.pk)
    assert (person.version, person.sex) == (2, "unknown")
    assert counts() == before


def test_update_with_invalid_change_writes_nothing(officer, prison):
    # given
    child = register_khadija(officer, prison)
    before = counts()
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.update_person(
            child,
            actor=officer,
            expected_version=1,
            changes={"date_of_death": datetime.date(2015, 1, 1)},
        )
    # then the version claim is rolled back with the rest
    assert excinfo.value.message_dict == {"date_of_death": ["Death cannot come before birth."]}
    person = Person.objects.get(pk=child.pk)
    assert (person.version, person.date_of_death) == (1, None)
    assert counts() == before


def test_update_rejects_non_editable_fields(officer, prison):
    # given
    child = register_khadija(officer, prison)
    before = counts()
    # when / then
    with pytest.raises(TypeError, match=r"not person fields: \['kind'\]"):
        services.update_person(child, actor=officer, expected_version=1, changes={"kind": "adult"})
    assert Person.objects.get(pk=child.pk).version == 1
    assert counts() == before


def test_changing_home_state_moves_the_case_and_records_it(officer, prison):
    # given a Russian child
    child = register_khadija(officer, prison)
    case = Case.objects.get(child=child)
    # when the officer re-assesses the nationality as Tajik
    services.update_person(
        child, actor=officer, expected_version=1, changes={}, home_state=state("TJ")
    )
    # then
    case = Case.objects.get(child=child)
    assert (case.home_state_id, case.version) == ("TJ", 2)
    assert [event_row(event) for event in AuditEvent.objects.filter(seq__gt=2).order_by("seq")] == [
        {
            "event_type": "people.person.updated",
            "actor_username": "mfa.officer",
            "object_type": "people.person",
            "object_id": str(child.pk),
            "person_id": child.pk,
            "case_id": case.pk,
            "home_state": "RU",
            "data": {"changes": {}},
        },
        {
            "event_type": "cases.case.home_state_changed",
            "actor_username": "mfa.officer",
            "object_type": "cases.case",
            "object_id": str(case.pk),
            "person_id": child.pk,
            "case_id": case.pk,
            "home_state": "TJ",
            "data": {"home_state": ["RU", "TJ"]},
        },
    ]
    assert list(Person.objects.for_user(make_user("consul.tj")).values_list("pk", flat=True)) == [
        child.pk
    ]
    assert Person.objects.for_user(make_user("consul.ru")).count() == 0


def test_same_home_state_records_no_change(officer, prison):
    # given
    child = register_khadija(officer, prison)
    # when
    services.update_person(
        child, actor=officer, expected_version=1, changes={}, home_state=state("RU")
    )
    # then
    assert list(AuditEvent.objects.values_list("event_type", flat=True)) == [
        "cases.case.opened",
        "people.child.registered",
        "people.person.updated",
    ]
    assert Case.objects.get(child=child).version == 1


def test_moving_case_out_of_actors_scope_rolls_everything_back(ru_scoped, prison):
    # given a Russian child registered by the Russia-only officer
    child = register_khadija(ru_scoped, prison)
    before = counts()
    # when that officer edits biodata and moves the case to Tajikistan
    with pytest.raises(OutOfScopeError):
        services.update_person(
            child,
            actor=ru_scoped,
            expected_version=1,
            changes={"sex": "male"},
            home_state=state("TJ"),
        )
    # then nothing of the edit remains
    person = Person.objects.get(pk=child.pk)
    assert (person.version, person.sex) == (1, "female")
    case = Case.objects.get(child=child)
    assert (case.home_state_id, case.version) == ("RU", 1)
    assert counts() == before


def test_editing_a_record_outside_actors_scope_writes_nothing(ru_scoped, officer, prison):
    # given a Tajik child
    child = register_khadija(officer, prison, home_state=state("TJ"))
    before = counts()
    # when the Russia-only officer edits it
    with pytest.raises(OutOfScopeError):
        services.update_person(child, actor=ru_scoped, expected_version=1, changes={"sex": "male"})
    # then
    assert Person.objects.get(pk=child.pk).sex == "female"
    assert counts() == before


# -- add_name ----------------------------------------------------------------------------


def test_add_preferred_name_demotes_the_old_one(officer, prison):
    # given a child whose preferred name is the Arabic one
    child = register_khadija(officer, prison)
    # when
    name = services.add_name(
        child,
        actor=officer,
        full_text="Khadija Huseynova",
        name_type="legal_home_state",
        source="Passport 7512",
        is_primary=True,
    )
    # then
    assert list(
        PersonName.objects.filter(person=child, is_primary=True).values_list("pk", flat=True)
    ) == [name.pk]
    assert PersonName.objects.get(person=child, full_text="خديجة حسينوفا").is_primary is False
    assert Person.objects.get(pk=child.pk).display_name == "Khadija Huseynova"
    case = Case.objects.get(child=child)
    assert event_row(AuditEvent.objects.latest("seq")) == {
        "event_type": "people.name.added",
        "actor_username": "mfa.officer",
        "object_type": "people.personname",
        "object_id": str(name.pk),
        "person_id": child.pk,
        "case_id": case.pk,
        "home_state": "RU",
        "data": {"script": "Latn", "name_type": "legal_home_state", "primary": True},
    }


def test_add_name_keeps_the_preferred_name(officer, prison):
    # given
    child = register_khadija(officer, prison)
    # when
    name = services.add_name(child, actor=officer, full_text="Umm Ahmad", name_type="kunya")
    # then
    assert PersonName.objects.get(person=child, is_primary=True).full_text == "خديجة حسينوفا"
    assert (name.is_primary, name.search_text) == (False, "umm ahmad")
    assert AuditEvent.objects.latest("seq").data == {
        "script": "Latn",
        "name_type": "kunya",
        "primary": False,
    }


def test_add_empty_name_writes_nothing_and_keeps_preferred(officer, prison):
    # given
    child = register_khadija(officer, prison)
    before = counts()
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.add_name(child, actor=officer, full_text=" ", name_type="alias", is_primary=True)
    # then
    assert excinfo.value.message_dict == {"full_text": ["A name cannot be empty."]}
    assert PersonName.objects.get(person=child, is_primary=True).full_text == "خديجة حسينوفا"
    assert counts() == before


# -- link_relative -----------------------------------------------------------------------


@pytest.fixture
def mother(officer):
    return services.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1992, 1, 1),
            "dob_precision": "year",
        },
        names=[{"full_text": "زلفية حسينوفا", "name_type": "court_record"}],
    )


def test_link_relative_records_link_and_event(officer, prison, mother):
    # given
    child = register_khadija(officer, prison)
    # when
    link = services.link_relative(
        child,
        actor=officer,
        relative=mother,
        relationship_type="mother",
        basis="dna_confirmed",
        verified_by="MoH DNA Laboratory",
        verified_on=datetime.date(2020, 2, 2),
    )
    # then
    stored = Relationship.objects.get()
    assert (
        stored.pk,
        stored.person_id,
        stored.relative_id,
        stored.relationship_type,
        stored.basis,
        stored.verified_by,
    ) == (
        link.pk,
        child.pk,
        mother.pk,
        "mother",
        "dna_confirmed",
        "MoH DNA Laboratory",
    )
    case = Case.objects.get(child=child)
    assert event_row(AuditEvent.objects.latest("seq")) == {
        "event_type": "people.relationship.linked",
        "actor_username": "mfa.officer",
        "object_type": "people.relationship",
        "object_id": str(link.pk),
        "person_id": child.pk,
        "case_id": case.pk,
        "home_state": "RU",
        "data": {"relative": str(mother.pk), "type": "mother", "basis": "dna_confirmed"},
    }


def test_linking_makes_the_adult_visible_to_a_scoped_actor(ru_scoped, prison, mother):
    # given a Russia-only officer who cannot see an unlinked adult
    child = register_khadija(ru_scoped, prison)
    assert Person.objects.for_user(ru_scoped).filter(pk=mother.pk).count() == 0
    # when
    services.link_relative(
        child, actor=ru_scoped, relative=mother, relationship_type="mother", basis="declared"
    )
    # then
    assert Person.objects.for_user(ru_scoped).filter(pk=mother.pk).count() == 1


def test_linking_outside_actors_scope_writes_nothing(ru_scoped, officer, prison, mother):
    # given a Tajik child
    child = register_khadija(officer, prison, home_state=state("TJ"))
    before = counts()
    # when the Russia-only officer links its mother
    with pytest.raises(OutOfScopeError):
        services.link_relative(
            child, actor=ru_scoped, relative=mother, relationship_type="mother", basis="declared"
        )
    # then
    assert counts() == before


@pytest.mark.parametrize(
    ("relative", "relationship_type", "errors"),
    [
        ("self", "full_sibling", {"relative": ["A person cannot be their own relative."]}),
        ("man", "mother", {"relationship_type": ["A mother cannot be recorded as male."]}),
        (
            "young",
            "mother",
            {"relationship_type": ["A parent or grandparent cannot be born after the child."]},
        ),
        (
            "mother",
            "mother",
            {
                "__all__": [
                    "Relationship with this Person, Relative and Relationship already exists."
                ]
            },
        ),
        ("mother", "cousin", {"relationship_type": ["Value 'cousin' is not a valid choice."]}),
    ],
)
def test_invalid_link_writes_nothing(officer, prison, mother, relative, relationship_type, errors):
    # given a child already linked to its mother
    child = register_khadija(officer, prison)
    services.link_relative(
        child, actor=officer, relative=mother, relationship_type="mother", basis="declared"
    )
    others = {
        "self": child,
        "mother": mother,
        "man": services.register_adult(
            actor=officer,
            fields={
                "sex": "male",
                "date_of_birth": datetime.date(1985, 1, 1),
                "dob_precision": "year",
            },
            names=[{"full_text": "Ruslan", "name_type": "declared_by_mother"}],
        ),
        "young": services.register_adult(
            actor=officer,
            fields={
                "sex": "female",
                "date_of_birth": datetime.date(2017, 1, 1),
                "dob_precision": "day",
            },
            names=[{"full_text": "Amina", "name_type": "declared_by_mother"}],
        ),
    }
    before = counts()
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.link_relative(
            child,
            actor=officer,
            relative=others[relative],
            relationship_type=relationship_type,
            basis="declared",
        )
    # then
    assert excinfo.value.message_dict == errors
    assert counts() == before


# -- record_custody_move -----------------------------------------------------------------


def test_custody_move_closes_current_episode_and_opens_new(officer, prison, orphanage, mother):
    # given a child in prison since 10 Jan 2018
    child = register_khadija(officer, prison)
    first = CustodyEpisode.objects.get(child=child)
    # when moved to the orphanage on 1 May 2019
    episode = services.record_custody_move(
        child,
        actor=officer,
        facility=orphanage,
        started_on=datetime.date(2019, 5, 1),
        with_person=mother,
        legal_basis="Court order 12/2019",
        reason="Mother transferred",
    )
    # then
    assert list(
        CustodyEpisode.objects.filter(child=child)
        .order_by("started_on")
        .values_list("pk", "facility_id", "started_on", "ended_on")
    ) == [
        (first.pk, prison.pk, datetime.date(2018, 1, 10), datetime.date(2019, 5, 1)),
        (episode.pk, orphanage.pk, datetime.date(2019, 5, 1), None),
    ]
    stored = CustodyEpisode.objects.get(pk=episode.pk)
    assert (stored.with_person_id, stored.legal_basis, stored.reason, stored.recorded_by_id) == (
        mother.pk,
        "Court order 12/2019",
        "Mother transferred",
        officer.pk,
    )
    case = Case.objects.get(child=child)
    assert event_row(AuditEvent.objects.latest("seq")) == {
        "event_type": "people.custody.moved",
        "actor_username": "mfa.officer",
        "object_type": "people.custodyepisode",
        "object_id": str(episode.pk),
        "person_id": child.pk,
        "case_id": case.pk,
        "home_state": "RU",
        "data": {
            "from_facility": prison.pk,
            "to_facility": orphanage.pk,
            "started_on": "2019-05-01",
            "legal_basis": "Court order 12/2019",
        },
    }


def test_custody_move_on_the_same_day_is_accepted(officer, prison, orphanage):
    # given
    child = register_khadija(officer, prison)
    # when moved the day the placement began
    services.record_custody_move(
        child, actor=officer, facility=orphanage, started_on=datetime.date(2018, 1, 10)
    )
    # then
    assert list(
        CustodyEpisode.objects.filter(child=child)
        .order_by("facility__name")
        .values_list("facility_id", "started_on", "ended_on")
    ) == [
        (orphanage.pk, datetime.date(2018, 1, 10), None),
        (prison.pk, datetime.date(2018, 1, 10), datetime.date(2018, 1, 10)),
    ]


def test_first_custody_move_opens_an_episode(officer, orphanage):
    # given a child registered with no placement
    child = services.register_child(
        actor=officer,
        fields={"sex": "male", "dob_precision": "unknown"},
        names=[{"full_text": "Yusuf", "name_type": "assigned_by_facility"}],
        home_state=state("TJ"),
    )
    # when
    episode = services.record_custody_move(
        child, actor=officer, facility=orphanage, started_on=datetime.date(2020, 1, 1)
    )
    # then
    assert CustodyEpisode.objects.get(child=child).pk == episode.pk
    assert AuditEvent.objects.latest("seq").data == {
        "from_facility": None,
        "to_facility": orphanage.pk,
        "started_on": "2020-01-01",
        "legal_basis": "",
    }


def test_back_dated_custody_move_writes_nothing(officer, prison, orphanage):
    # given a child in prison since 10 Jan 2018
    child = register_khadija(officer, prison)
    before = counts()
    # when a move is dated before that
    with pytest.raises(ValidationError) as excinfo:
        services.record_custody_move(
            child, actor=officer, facility=orphanage, started_on=datetime.date(2018, 1, 9)
        )
    # then
    assert excinfo.value.message_dict == {
        "started_on": ["The move cannot be dated before the current placement began (2018-01-10)."],
    }
    assert CustodyEpisode.objects.get(child=child).ended_on is None
    assert counts() == before


@pytest.mark.parametrize(
    ("details", "errors"),
    [
        (
            {"started_on": datetime.date(2099, 1, 1)},
            {"started_on": ["A custody episode cannot start in the future."]},
        ),
        (
            {"started_on": datetime.date(2019, 1, 1), "with_person": "self"},
            {"with_person": ["A child cannot be held with themselves."]},
        ),
    ],
    ids=["future", "with-themselves"],
)
def test_invalid_custody_move_leaves_current_episode_open(
    officer, prison, orphanage, details, errors
):
    # given
    child = register_khadija(officer, prison)
    if details.get("with_person") == "self":
        details = {**details, "with_person": child}
    before = counts()
    # when (the current episode is closed first, then the new one fails validation)
    with pytest.raises(ValidationError) as excinfo:
        services.record_custody_move(child, actor=officer, facility=orphanage, **details)
    # then the closing is rolled back too
    assert excinfo.value.message_dict == errors
    assert CustodyEpisode.objects.get(child=child).ended_on is None
    assert counts() == before
