"""Who sees which rows: every scoped model for every kind of user, the children filters, relatives.

Non-negotiable: a home-state consul never sees another state's child, not in a list, a count,
a search or a menu of choices.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from homeward.accounts.models import Role, User
from homeward.accounts.services import sync_standard_roles
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case, FamilyGroup
from homeward.core.models import HomeState
from homeward.core.scoping import ScopedModelMixin
from homeward.people import services
from homeward.people.filtersets import ChildFilterSet
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName, Relationship
from homeward.people.queries import children_for, relatives_visible_to
from tests import conftest
from tests.adults.test_scope import ADULT_SCOPED_MODELS
from tests.api.test_scope import WEBHOOK_SCOPED_MODELS
from tests.conftest import DEMO_USERS, make_user, register
from tests.diplomacy.test_scope import DIPLOMACY_SCOPED_MODELS
from tests.disclosures.test_scope import DISCLOSURE_SCOPED_MODELS
from tests.exports.test_scope import EXPORTS_SCOPED_MODELS
from tests.imports.test_scope import IMPORT_SCOPED_MODELS
from tests.judicial.test_scope import JUDICIAL_SCOPED_MODELS
from tests.matching.test_scope import MATCHING_SCOPED_MODELS
from tests.operations.test_scope import OPERATIONS_SCOPED_MODELS
from tests.retention.test_scope import RETENTION_SCOPED_MODELS
from tests.workflow.test_scope import WORKFLOW_SCOPED_MODELS

pytestmark = pytest.mark.django_db

SCOPED_MODELS = {
    "person": Person,
    "personname": PersonName,
    "relationship": Relationship,
    "custodyepisode": CustodyEpisode,
    "case": Case,
    "familygroup": FamilyGroup,
    "auditevent": AuditEvent,
    "homestate": HomeState,
    "facility": Facility,
    "attachment": Attachment,
}

# Which capability governs each model (its own, or the record it belongs to).
GOVERNED_BY = {
    "person": "people.{}_person",
    "personname": "people.{}_person",
    "relationship": "people.{}_person",
    "custodyepisode": "people.{}_person",
    "case": "cases.{}_case",
    "familygroup": "cases.{}_case",
    "auditevent": "audit.{}_auditevent",
    "homestate": "core.{}_homestate",
    "facility": "people.{}_facility",
    "attachment": "attachments.{}_attachment",
}

# Every role may at least see which documents are attached (downloading is a finer grant).
READ = {
    "people.view_person",
    "people.view_facility",
    "cases.view_case",
    "core.view_homestate",
    "attachments.view_attachment",
}
EDIT = READ | {"people.add_person", "people.change_person"}
OFFICER = EDIT | {"cases.change_case", "audit.view_auditevent"}
EVERYTHING = "superuser"

# username -> (scope, capabilities): scope is "all", a home state code, or "none".
EXPECTED_ACCESS = {
    "mfa.officer": ("all", OFFICER),
    "mfa.protocol": ("all", READ),
    "hjc.judge": ("all", READ),
    "moj.registrar": ("all", EDIT),
    "molsa.carer": ("all", EDIT),
    "moh.lab": ("all", READ),
    "security.liaison": ("all", READ),
    "moi.residency": ("all", READ),
    "unicef.officer": ("all", READ),
    "auditor": ("all", READ | {"audit.view_auditevent"}),
    "consul.ru": ("RU", READ),
    "consul.tj": ("TJ", READ),
    "admin": ("all", EVERYTHING),
    "officer.ru": ("RU", OFFICER),  # a ministry user limited to Russia
    "consul.ru.overreaching": (
        "RU",
        READ,
    ),  # a mission user whose all_home_states/home_states say more
    "no.roles": ("all", set()),
    "no.states": ("none", OFFICER),  # limited to a list of states, which is empty
    "inactive.officer": ("none", set()),
    "inactive.admin": ("none", set()),
    "anonymous": ("none", set()),
}


@pytest.fixture
def users(db, monkeypatch) -> dict[str, User]:
    """conftest's `users`, with the standard roles synced once instead of once per user."""
    roles = sync_standard_roles()
    monkeypatch.setattr(conftest, "sync_standard_roles", lambda: roles)
    made = {name: make_user(name) for name in DEMO_USERS}
    made["admin"] = User.objects.create_superuser("admin", "", "correct horse battery staple")
    return made


def ministry_user(
    username: str, *, roles=(), all_states=False, states=(), active=True, superuser=False
) -> User:
    standard = {role.code: role for role in Role.objects.filter(code__in=roles)}
    user = User.objects.create_user(
        username,
        password="correct horse battery staple",
        all_home_states=all_states,
        is_active=active,
        is_superuser=superuser,
    )
    user.roles.add(*[standard[code] for code in roles])
    user.home_states.add(*states)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def everyone(users) -> dict:
    """The demo users plus the edge cases of EXPECTED_ACCESS."""
    ru, tj = HomeState.objects.get(code="RU"), HomeState.objects.get(code="TJ")
    overreaching = ministry_user(
        "consul.ru.overreaching", roles=["home_state_consul"], all_states=True, states=[tj]
    )
    overreaching.agency = users["consul.ru"].agency
    overreaching.save(update_fields=["agency"])
    return {
        **users,
        "officer.ru": ministry_user("officer.ru", roles=["mfa_case_officer"], states=[ru]),
        "consul.ru.overreaching": User.objects.get(pk=overreaching.pk),
        "no.roles": ministry_user("no.roles", all_states=True),
        "no.states": ministry_user("no.states", roles=["mfa_case_officer"]),
        "inactive.officer": ministry_user(
            "inactive.officer", roles=["mfa_case_officer"], all_states=True, active=False
        ),
        "inactive.admin": ministry_user(
            "inactive.admin", all_states=True, active=False, superuser=True
        ),
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def world(everyone, registry, orphanage) -> dict:
    """The shared registry, one family group per state, and every row's id per state."""
    ru_group = FamilyGroup.objects.create(label="Huseynov siblings")
    tj_group = FamilyGroup.objects.create(label="Rahimov")
    Case.objects.filter(child__in=[registry["ru_child"], registry["ru_brother"]]).update(
        family_group=ru_group
    )
    Case.objects.filter(child=registry["tj_child"]).update(family_group=tj_group)
    ru_people = [registry["ru_child"], registry["ru_brother"], registry["ru_mother"]]
    tj_people = [registry["tj_child"]]
    ru_children = [registry["ru_child"], registry["ru_brother"]]

    def ids(queryset) -> list[str]:
        return sorted(str(pk) for pk in queryset.values_list("pk", flat=True))

    documents = {
        key: _document(registry[key], everyone["mfa.officer"], index)
        for index, key in enumerate(["ru_child", "ru_mother", "tj_child"])
    }
    ru_events = AuditEvent.objects.filter(person_id__in=[child.pk for child in ru_children])
    tj_events = AuditEvent.objects.filter(person_id=registry["tj_child"].pk)
    rows = {
        "all": {name: ids(model.objects.all()) for name, model in SCOPED_MODELS.items()},
        "RU": {
            "person": ids(Person.objects.filter(pk__in=[p.pk for p in ru_people])),
            "personname": ids(PersonName.objects.filter(person__in=ru_people)),
            "relationship": ids(Relationship.objects.filter(person=registry["ru_child"])),
            "custodyepisode": ids(CustodyEpisode.objects.filter(child__in=ru_children)),
            "case": ids(Case.objects.filter(child__in=ru_children)),
            "familygroup": [str(ru_group.pk)],
            "auditevent": ids(ru_events),
            "homestate": ["RU"],
            "facility": ids(Facility.objects.all()),
            "attachment": sorted([str(documents["ru_child"].pk), str(documents["ru_mother"].pk)]),
        },
        "TJ": {
            "person": ids(Person.objects.filter(pk__in=[p.pk for p in tj_people])),
            "personname": ids(PersonName.objects.filter(person__in=tj_people)),
            "relationship": [],
            "custodyepisode": ids(CustodyEpisode.objects.filter(child__in=tj_people)),
            "case": ids(Case.objects.filter(child__in=tj_people)),
            "familygroup": [str(tj_group.pk)],
            "auditevent": ids(tj_events),
            "homestate": ["TJ"],
            "facility": ids(Facility.objects.all()),
            "attachment": [str(documents["tj_child"].pk)],
        },
        "none": {name: [] for name in SCOPED_MODELS} | {"facility": ids(Facility.objects.all())},
    }
    # the registry is what the expectations above assume
    assert {name: len(value) for name, value in rows["RU"].items()} == {
        "person": 3,
        "personname": 3,
        "relationship": 2,
        "custodyepisode": 2,
        "case": 2,
        "familygroup": 1,
        "auditevent": 6,
        "homestate": 1,
        "facility": 2,
        "attachment": 2,
    }
    assert {name: len(value) for name, value in rows["all"].items() if name != "homestate"} == {
        "person": 4,
        "personname": 4,
        "relationship": 2,
        "custodyepisode": 3,
        "case": 3,
        "familygroup": 2,
        "auditevent": 9,
        "facility": 2,
        "attachment": 3,
    }
    return {"users": everyone, "rows": rows, **registry}


def _document(person, actor, index: int) -> Attachment:
    """A document row (no file, no audit event: only its scope matters here)."""
    return Attachment.objects.create(
        person=person,
        kind="court_decision",
        title="Decision",
        content_type="application/pdf",
        size=1,
        sha256=f"{index:064x}",
        storage_key=f"{index:032x}",
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )


@pytest.fixture
def people(users, registry) -> dict:
    """The shared registry and the demo users, for tests that need no edge-case users."""
    return {**registry, "users": users}


def expected_rows(world, username: str, action: str) -> dict[str, list[str]]:
    scope, capabilities = EXPECTED_ACCESS[username]
    expected = {}
    for name in SCOPED_MODELS:
        allowed = capabilities == EVERYTHING or GOVERNED_BY[name].format(action) in capabilities
        expected[name] = world["rows"][scope][name] if allowed else []
    return expected


def test_every_scoped_model_is_covered():
    # given every model that declares a scope
    declared = {
        model._meta.model_name for model in apps.get_models() if issubclass(model, ScopedModelMixin)
    }
    # when / then this suite (and tests/workflow/test_scope.py) checks all of them
    assert declared == (
        set(SCOPED_MODELS)
        | set(WORKFLOW_SCOPED_MODELS)
        | set(DIPLOMACY_SCOPED_MODELS)
        | set(MATCHING_SCOPED_MODELS)
        | set(EXPORTS_SCOPED_MODELS)
        | set(DISCLOSURE_SCOPED_MODELS)
        | set(RETENTION_SCOPED_MODELS)
        | set(ADULT_SCOPED_MODELS)
        | set(JUDICIAL_SCOPED_MODELS)
        | set(OPERATIONS_SCOPED_MODELS)
        | set(IMPORT_SCOPED_MODELS)
        | set(WEBHOOK_SCOPED_MODELS)
    )


@pytest.mark.parametrize("username", list(EXPECTED_ACCESS))
def test_for_user_returns_exactly_the_rows_in_scope(world, username):
    # given a user
    user = world["users"][username]
    # when each scoped model is narrowed to what the user may see, and may change
    seen = {
        action: {
            name: sorted(
                str(pk) for pk in model.objects.for_user(user, action).values_list("pk", flat=True)
            )
            for name, model in SCOPED_MODELS.items()
        }
        for action in ("view", "change")
    }
    counts = {
        action: {
            name: model.objects.for_user(user, action).count()
            for name, model in SCOPED_MODELS.items()
        }
        for action in ("view", "change")
    }
    # then exactly the expected rows, each once, and counts agree
    expected = {action: expected_rows(world, username, action) for action in ("view", "change")}
    assert seen == expected
    assert counts == {
        action: {name: len(rows) for name, rows in by_model.items()}
        for action, by_model in expected.items()
    }


def test_read_only_roles_can_change_nothing(world):
    # given every role without an edit capability
    read_only = [
        name
        for name, (_scope, caps) in EXPECTED_ACCESS.items()
        if caps in (READ, READ | {"audit.view_auditevent"})
    ]
    assert sorted(read_only) == sorted(
        [
            "mfa.protocol",
            "hjc.judge",
            "moh.lab",
            "security.liaison",
            "moi.residency",
            "unicef.officer",
            "auditor",
            "consul.ru",
            "consul.tj",
            "consul.ru.overreaching",
        ]
    )
    # when / then
    for username in read_only:
        user = world["users"][username]
        assert {
            name: model.objects.for_user(user, "change").count()
            for name, model in SCOPED_MODELS.items()
        } == {name: 0 for name in SCOPED_MODELS}, username


def test_consul_cannot_find_another_states_child_by_name_or_count(people):
    # given the Tajik child's exact name and its search form
    consul = people["users"]["consul.ru"]
    tajik = PersonName.objects.get(person=people["tj_child"])
    # when / then
    assert Person.objects.for_user(consul).filter(names__full_text=tajik.full_text).count() == 0
    assert Person.objects.for_user(consul).filter(names__search_text__contains="فاطمه").count() == 0
    assert PersonName.objects.for_user(consul).filter(search_text=tajik.search_text).count() == 0
    assert Person.objects.for_user(consul).filter(pk=people["tj_child"].pk).exists() is False
    assert Case.objects.for_user(consul).filter(home_state="TJ").count() == 0


def test_scope_follows_a_case_moved_to_another_state(people):
    # given the Tajik child re-assessed as Russian
    officer = people["users"]["mfa.officer"]
    child = people["tj_child"]
    services.update_person(
        child,
        actor=officer,
        expected_version=1,
        changes={},
        home_state=HomeState.objects.get(code="RU"),
    )
    # when / then
    assert Person.objects.for_user(people["users"]["consul.ru"]).filter(pk=child.pk).count() == 1
    assert Person.objects.for_user(people["users"]["consul.tj"]).count() == 0
    assert CustodyEpisode.objects.for_user(people["users"]["consul.tj"]).count() == 0


def test_an_adult_linked_to_children_of_two_states_is_seen_by_both(people):
    # given the mother also linked to the Tajik child
    officer = people["users"]["mfa.officer"]
    services.link_relative(
        people["tj_child"],
        actor=officer,
        relative=people["ru_mother"],
        relationship_type="mother",
        basis="declared",
    )
    # when
    tj_seen = Person.objects.for_user(people["users"]["consul.tj"])
    # then the mother is visible, but not her Russian children nor their links
    assert sorted(map(str, tj_seen.values_list("pk", flat=True))) == sorted(
        [str(people["tj_child"].pk), str(people["ru_mother"].pk)]
    )
    assert list(
        Relationship.objects.for_user(people["users"]["consul.tj"]).values_list(
            "person_id", flat=True
        )
    ) == [people["tj_child"].pk]


# -- relatives -----------------------------------------------------------------------------


@pytest.fixture
def half_sibling(people):
    """The Tajik child recorded as a maternal half-sibling of the Russian child."""
    return services.link_relative(
        people["ru_child"],
        actor=people["users"]["mfa.officer"],
        relative=people["tj_child"],
        relationship_type="half_sibling_maternal",
        basis="declared",
    )


def labelled(rows) -> list[tuple[str, object]]:
    return [(str(label), person.pk) for label, person, _link in rows]


def test_consul_does_not_see_a_half_sibling_of_another_state(people, half_sibling):
    # given / when
    rows = relatives_visible_to(people["ru_child"], people["users"]["consul.ru"])
    # then
    assert labelled(rows) == [
        ("Full sibling", people["ru_brother"].pk),
        ("Mother", people["ru_mother"].pk),
    ]
    assert (
        Relationship.objects.for_user(people["users"]["consul.ru"])
        .filter(pk=half_sibling.pk)
        .count()
        == 0
    )


def test_officer_sees_every_relative(people, half_sibling):
    # given / when
    rows = relatives_visible_to(people["ru_child"], people["users"]["mfa.officer"])
    # then
    assert labelled(rows) == [
        ("Full sibling", people["ru_brother"].pk),
        ("Half-sibling (same mother)", people["tj_child"].pk),
        ("Mother", people["ru_mother"].pk),
    ]


def test_other_consul_does_not_see_the_link_from_the_other_side(people, half_sibling):
    # given / when / then
    assert relatives_visible_to(people["tj_child"], people["users"]["consul.tj"]) == []
    assert labelled(relatives_visible_to(people["tj_child"], people["users"]["mfa.officer"])) == [
        ("Half-sibling (same mother)", people["ru_child"].pk),
    ]
    assert Relationship.objects.for_user(people["users"]["consul.tj"]).count() == 0


def test_relatives_of_an_adult_read_from_her_side(people):
    # given / when
    rows = relatives_visible_to(people["ru_mother"], people["users"]["consul.ru"])
    # then
    assert labelled(rows) == [("Child", people["ru_child"].pk)]
    assert relatives_visible_to(people["ru_mother"], people["users"]["consul.tj"]) == []


# -- the children filters ------------------------------------------------------------------


@pytest.fixture
def children(users, registry, prison, orphanage) -> dict:
    """The registry's children, an unaccompanied Tajik baby and Russian teenager in the orphanage.

    The Russian brother has moved from the prison to the orphanage."""
    officer = users["mfa.officer"]
    today = timezone.localdate()
    tj_orphan = register(
        officer,
        name="يوسف",
        state="TJ",
        sex="male",
        born=today - datetime.timedelta(days=400),
        unaccompanied=True,
    )
    services.record_custody_move(tj_orphan, actor=officer, facility=orphanage, started_on=today)
    ru_teen = register(
        officer,
        name="Мариам Алиева",
        state="RU",
        born=datetime.date(today.year - 16, 1, 1),
        unaccompanied=True,
    )
    services.record_custody_move(
        ru_teen, actor=officer, facility=orphanage, started_on=datetime.date(2020, 1, 1)
    )
    services.record_custody_move(
        registry["ru_brother"],
        actor=officer,
        facility=orphanage,
        started_on=datetime.date(2020, 1, 1),
    )
    everyone = {
        **users,
        "officer.ru": ministry_user(
            "officer.ru", roles=["mfa_case_officer"], states=[HomeState.objects.get(code="RU")]
        ),
        "no.roles": ministry_user("no.roles", all_states=True),
        "anonymous": AnonymousUser(),
    }
    return {
        **registry,
        "users": everyone,
        "tj_orphan": tj_orphan,
        "ru_teen": ru_teen,
        "prison": prison,
        "orphanage": orphanage,
    }


def filtered(user, data: dict) -> ChildFilterSet:
    return ChildFilterSet(data, queryset=children_for(user), request=SimpleNamespace(user=user))


def found(user, data: dict) -> set:
    filterset = filtered(user, data)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["خديجة", "خديجه", "  خديجة  ", "خَدِيجَة", "حسينوفا"])
def test_arabic_name_search_matches_spelling_variants(children, query):
    # given / when / then
    assert found(children["users"]["mfa.officer"], {"q": query}) == {children["ru_child"].pk}


def test_name_search_matches_every_child_sharing_a_family_name(children):
    # given / when / then (the mother, an adult, is not in the children list)
    assert found(children["users"]["consul.ru"], {"q": "حسينوف"}) == {
        children["ru_child"].pk,
        children["ru_brother"].pk,
    }


def test_cyrillic_name_search_folds_case(children):
    # given / when / then
    assert found(children["users"]["mfa.officer"], {"q": "МАРИАМ"}) == {children["ru_teen"].pk}


def test_search_by_case_reference(children):
    # given
    reference = Case.objects.get(child=children["tj_child"]).reference
    # when / then
    assert found(children["users"]["mfa.officer"], {"q": reference.lower()}) == {
        children["tj_child"].pk
    }


def test_consul_searching_another_states_child_finds_nothing(children):
    # given the Tajik child's exact name and case reference
    consul = children["users"]["consul.ru"]
    name = PersonName.objects.get(person=children["tj_child"]).full_text
    reference = Case.objects.get(child=children["tj_child"]).reference
    # when / then
    assert found(consul, {"q": name}) == set()
    assert found(consul, {"q": reference}) == set()
    assert found(children["users"]["consul.tj"], {"q": name}) == {children["tj_child"].pk}


@pytest.mark.parametrize(
    ("username", "codes"),
    [
        ("consul.ru", ["RU"]),
        ("consul.tj", ["TJ"]),
        ("mfa.officer", ["RU", "TJ"]),
        ("officer.ru", ["RU"]),
        ("no.roles", []),
        ("anonymous", []),
    ],
)
def test_home_state_choices_show_only_states_in_scope(children, username, codes):
    # given / when
    filterset = filtered(children["users"][username], {})
    # then
    assert list(filterset.filters["home_state"].queryset.values_list("code", flat=True)) == codes
    choices = [value for value, _label in filterset.form.fields["home_state"].choices if value]
    assert [str(choice) for choice in choices] == codes


def test_consul_choosing_another_state_gets_an_error_and_no_foreign_child(children):
    # given
    consul = children["users"]["consul.ru"]
    # when
    filterset = filtered(consul, {"home_state": "TJ"})
    # then
    assert filterset.is_valid() is False
    assert filterset.errors == {
        "home_state": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert set(filterset.qs.values_list("case__home_state", flat=True)) == {"RU"}


def test_home_state_filter(children):
    # given / when / then
    assert found(children["users"]["mfa.officer"], {"home_state": "TJ"}) == {
        children["tj_child"].pk,
        children["tj_orphan"].pk,
    }


def test_unaccompanied_filter(children):
    # given
    officer = children["users"]["mfa.officer"]
    # when / then
    assert found(officer, {"unaccompanied": "true"}) == {
        children["tj_orphan"].pk,
        children["ru_teen"].pk,
    }
    assert found(officer, {"unaccompanied": "false"}) == {
        children["ru_child"].pk,
        children["ru_brother"].pk,
        children["tj_child"].pk,
    }
    assert found(children["users"]["consul.ru"], {"unaccompanied": "true"}) == {
        children["ru_teen"].pk
    }


def test_mother_sentenced_filter(children):
    # given
    officer = children["users"]["mfa.officer"]
    # when / then
    assert found(officer, {"mother_sentenced": "true"}) == {children["ru_child"].pk}
    assert found(officer, {"mother_sentenced": "false"}) == {
        children["ru_brother"].pk,
        children["tj_child"].pk,
        children["tj_orphan"].pk,
        children["ru_teen"].pk,
    }


def test_facility_filter_uses_current_placement(children):
    # given the brother was in prison until he moved to the orphanage
    officer = children["users"]["mfa.officer"]
    # when / then
    assert found(officer, {"facility": children["prison"].pk}) == {
        children["ru_child"].pk,
        children["tj_child"].pk,
    }
    assert found(officer, {"facility": children["orphanage"].pk}) == {
        children["ru_brother"].pk,
        children["tj_orphan"].pk,
        children["ru_teen"].pk,
    }
    assert found(children["users"]["consul.ru"], {"facility": children["orphanage"].pk}) == {
        children["ru_brother"].pk,
        children["ru_teen"].pk,
    }


def test_sex_and_status_filters(children):
    # given
    officer = children["users"]["mfa.officer"]
    # when / then
    assert found(officer, {"sex": "male"}) == {children["ru_brother"].pk, children["tj_orphan"].pk}
    assert len(found(officer, {"status": "REGISTERED"})) == 5
    assert found(officer, {"status": "CLOSED"}) == set()


def test_combined_filters_narrow_together(children):
    # given / when / then
    assert found(
        children["users"]["mfa.officer"],
        {"unaccompanied": "true", "home_state": "RU", "q": "мариам"},
    ) == {children["ru_teen"].pk}


def years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@pytest.fixture
def ages(users) -> dict:
    """Children of known ages today, with no placement, and one whose birth date is unknown."""
    officer = users["mfa.officer"]
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    births = {
        "one": years_ago(today, 1) - 10 * day,
        "almost_three": years_ago(today, 3) + day,
        "three_today": years_ago(today, 3),
        "five": years_ago(today, 5) - 10 * day,
        "nine_today": years_ago(today, 9),
        "fourteen": years_ago(today, 15) + day,
        "sixteen": years_ago(today, 16) - 10 * day,
        "eighteen_today": years_ago(today, 18),
    }
    made = {
        label: register(officer, name=label, state="RU", born=born)
        for label, born in births.items()
    }
    made["unknown"] = services.register_child(
        actor=officer,
        fields={"sex": "female", "dob_precision": "unknown"},
        names=[{"full_text": "unknown", "name_type": "alias"}],
        home_state=HomeState.objects.get(code="RU"),
    )
    return {"officer": officer, **made}


@pytest.mark.parametrize(
    ("band", "labels"),
    [
        ("0-2", {"one", "almost_three"}),
        ("3-8", {"three_today", "five"}),
        ("9-14", {"nine_today", "fourteen"}),
        ("15-17", {"sixteen"}),
        ("18+", {"eighteen_today"}),
    ],
)
def test_age_band_filter_follows_legal_thresholds(ages, band, labels):
    # given / when / then
    assert found(ages["officer"], {"age_band": band}) == {ages[label].pk for label in labels}
