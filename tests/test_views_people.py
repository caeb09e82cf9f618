"""The people pages: scope (404 out of scope, only own nationals listed), audit of every read,
and forms that write exactly what they should, or nothing at all."""

import datetime
import re

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts import capabilities
from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.exceptions import StaleEditError
from homeward.people import events
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship
from tests.conftest import register

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r">(HW-\d{4}-\d{5})</a>")  # case references rendered as links


def counts() -> dict:
    return {
        "person": Person.objects.count(),
        "name": PersonName.objects.count(),
        "relationship": Relationship.objects.count(),
        "episode": CustodyEpisode.objects.count(),
        "case": Case.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def new_events(since: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(seq__gt=since)
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def login(client, user: User):
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(client, users):
    return login(client, users["mfa.officer"])


@pytest.fixture
def consul_editor(users) -> User:
    """consul.ru with edit and audit capabilities too: any 404 it gets comes from scope alone."""
    role = Role.objects.create(
        code="consul_editor",
        name="Consul with edit rights",
        capabilities=[*capabilities.EDIT_REGISTRY, capabilities.VIEW_AUDIT],
    )
    users["consul.ru"].roles.add(role)
    return User.objects.get(pk=users["consul.ru"].pk)


def person_pages(person: Person) -> list[str]:
    return [
        reverse("people:person_detail", args=[person.pk]),
        reverse("people:person_edit", args=[person.pk]),
        reverse("people:access_history", args=[person.pk]),
        reverse("people:name_create", args=[person.pk]),
        reverse("people:relative_create", args=[person.pk]),
        reverse("people:custody_create", args=[person.pk]),
    ]


def post_names(*names: str, **extra) -> dict:
    data = {
        "names-TOTAL_FORMS": "4",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "4",
    }
    for index, name in enumerate(names):
        data[f"names-{index}-full_text"] = name
        data[f"names-{index}-name_type"] = "prison_register"
    data.update(extra)
    return data


def registration(prison, **overrides) -> dict:
    data = post_names(
        "مريم إبراهيموفا",
        "Марьям Ибрагимова",
        **{
            "names-0-is_primary": "on",
            "names-1-name_type": "legal_home_state",
            "names-1-source": "Consular note 113",
            "sex": "female",
            "dob_precision": "year",
            "date_of_birth": "2017-01-01",
            "dob_source": "declared_by_mother",
            "languages": ["ar", "ru"],
            "orphan_status": "father_dead",
            "home_state": "RU",
            "facility": str(prison.pk),
            "custody_since": "2019-04-02",
            "custody_legal_basis": "Order 12/2019",
        },
    )
    data.update(overrides)
    return data


# -- pages answer ---------------------------------------------------------------------------


def test_every_page_opens_for_an_officer(officer_client, registry):
    # given
    child, mother = registry["ru_child"], registry["ru_mother"]
    urls = [
        reverse("people:child_list"),
        reverse("people:child_create"),
        reverse("people:lookup") + "?q=حسين",
        reverse("audit:event_list"),
        *person_pages(child),
        reverse("people:person_detail", args=[mother.pk]),
        reverse("people:person_edit", args=[mother.pk]),
        reverse("people:relative_create", args=[mother.pk]),
    ]
    # when
    statuses = {url: officer_client.get(url).status_code for url in urls}
    # then
    assert statuses == {url: 200 for url in urls}


def test_anonymous_visitor_is_sent_to_sign_in(client, registry):
    # given
    urls = [
        reverse("people:child_list"),
        reverse("people:child_create"),
        reverse("people:lookup") + "?q=ab",
    ]
    urls += person_pages(registry["ru_child"])
    # when
    responses = {url: client.get(url) for url in urls}
    # then
    assert {url: (r.status_code, r.url) for url, r in responses.items()} == {
        url: (302, redirect_to_login(url).url) for url in urls
    }


def test_sign_in_page_opens_and_signs_in(client, users):
    # given
    page = client.get(reverse("login"))
    # when
    response = client.post(
        reverse("login"), {"username": "mfa.officer", "password": "correct horse battery staple"}
    )
    # then
    assert page.status_code == 200
    assert (response.status_code, response.url) == (302, reverse("dashboard"))


def test_sign_out_needs_a_post(officer_client):
    # when
    refused = officer_client.get(reverse("logout"))
    signed_out = officer_client.post(reverse("logout"))
    # then
    assert refused.status_code == 405
    assert (signed_out.status_code, signed_out.url) == (302, reverse("login"))


# -- scope ----------------------------------------------------------------------------------


def test_consul_gets_404_for_another_states_child(client, users, registry):
    # given
    login(client, users["consul.ru"])
    url = reverse("people:person_detail", args=[registry["tj_child"].pk])
    since = last_seq()
    # when
    response = client.get(url)
    # then
    assert response.status_code == 404
    assert new_events(since) == ["accounts.access.denied"]
    assert "فاطمة" not in response.content.decode()


def test_consul_with_edit_rights_gets_404_on_every_page_of_another_states_child(
    client, consul_editor, registry
):
    # given
    login(client, consul_editor)
    tajik, russian = person_pages(registry["tj_child"]), person_pages(registry["ru_child"])
    # when
    tajik_statuses = [client.get(url).status_code for url in tajik]
    russian_statuses = [client.get(url).status_code for url in russian]
    # then
    assert tajik_statuses == [404] * 6
    assert russian_statuses == [200] * 6


def test_consul_without_edit_rights_is_refused_alike_for_any_child(client, users, registry):
    # given: a refusal for lack of capability must not differ between own and other nationals
    login(client, users["consul.ru"])
    urls = person_pages(registry["ru_child"])[1:] + person_pages(registry["tj_child"])[1:]
    # when
    statuses = [client.get(url).status_code for url in urls]
    # then
    assert statuses == [403] * 10


def test_consul_cannot_post_to_another_states_child(client, consul_editor, registry, prison):
    # given
    login(client, consul_editor)
    tajik = registry["tj_child"]
    before = counts()
    # when
    response = client.post(
        reverse("people:custody_create", args=[tajik.pk]),
        {"facility": prison.pk, "started_on": "2020-01-01"},
    )
    # then
    assert response.status_code == 404
    assert {**counts(), "audit": before["audit"]} == before


def test_children_list_for_a_consul_shows_only_own_nationals(client, users, registry):
    # given
    login(client, users["consul.ru"])
    russian = {registry["ru_child"], registry["ru_brother"]}
    # when
    response = client.get(reverse("people:child_list"))
    # then
    shown = {person for person, _episode in response.context["rows"]}
    assert shown == russian
    assert set(REFERENCE.findall(response.content.decode())) == {
        person.case.reference for person in russian
    }
    assert registry["tj_child"].case.reference not in response.content.decode()


def test_children_list_search_does_not_reach_another_state(client, users, registry):
    # given
    login(client, users["consul.ru"])
    # when
    # (a name search is a POST: the name stays out of the URL)
    by_reference = client.post(
        reverse("people:child_list"), {"q": registry["tj_child"].case.reference}, follow=True
    )
    by_name = client.post(reverse("people:child_list"), {"q": "رحيموفا"}, follow=True)
    # then
    assert (by_reference.context["total"], by_name.context["total"]) == (0, 0)


def test_lookup_for_a_consul_never_returns_another_states_child(client, users, registry):
    # given
    login(client, users["consul.ru"])
    url = reverse("people:lookup")
    # when
    shared_letters = client.post(url, {"q": "فا"})
    tajik_name = client.post(url, {"q": "فاطمة"})
    tajik_reference = client.post(url, {"q": registry["tj_child"].case.reference})
    # then
    assert set(shared_letters.context["people"]) == {registry["ru_child"], registry["ru_mother"]}
    assert tajik_name.context["people"] == []
    assert tajik_reference.context["people"] == []
    assert str(registry["tj_child"].pk) not in shared_letters.content.decode()


def test_lookup_for_an_officer_finds_every_state(officer_client, registry):
    # when
    response = officer_client.post(reverse("people:lookup"), {"q": "فا"})
    # then
    assert set(response.context["people"]) == {
        registry["ru_child"],
        registry["ru_mother"],
        registry["tj_child"],
    }


def test_lookup_needs_two_letters(officer_client, registry):
    # when
    response = officer_client.post(reverse("people:lookup"), {"q": "ف"})
    # then
    assert response.context["people"] is None


# -- audit of reads -------------------------------------------------------------------------


def test_opening_a_record_writes_one_view_event(officer_client, users, registry):
    # given
    child = registry["ru_child"]
    since = last_seq()
    # when
    response = officer_client.get(reverse("people:person_detail", args=[child.pk]))
    # then
    assert response.status_code == 200
    event = AuditEvent.objects.get(seq__gt=since)
    assert (
        event.event_type,
        event.actor_username,
        event.person_id,
        event.case_id,
        event.home_state,
        event.channel,
    ) == (
        events.PERSON_VIEWED,
        "mfa.officer",
        child.pk,
        child.case.pk,
        "RU",
        "web",
    )


def test_list_writes_the_ids_it_shows(officer_client, registry):
    # given
    since = last_seq()
    # when
    response = officer_client.get(reverse("people:child_list"), {"home_state": "RU", "q": ""})
    # then
    event = AuditEvent.objects.get(seq__gt=since)
    shown = [str(person.pk) for person, _episode in response.context["rows"]]
    assert event.event_type == events.PEOPLE_LISTED
    assert event.data == {"ids": shown, "query": {"home_state": "RU"}, "total": 2}
    assert set(shown) == {str(registry["ru_child"].pk), str(registry["ru_brother"].pk)}


def test_list_answers_htmx_with_the_results_only(officer_client, registry):
    # when
    response = officer_client.post(
        reverse("people:child_list"), {"q": "حسين"}, headers={"HX-Request": "true"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert set(REFERENCE.findall(html)) == {
        registry["ru_child"].case.reference,
        registry["ru_brother"].case.reference,
    }
    assert "HX-Request" in response["Vary"]


def test_list_query_count_does_not_grow_with_rows(officer_client, users, registry, prison):
    # given
    url = reverse("people:child_list")
    with CaptureQueriesContext(connection) as three_rows:
        officer_client.get(url)
    for name in ("أمينة", "يوسف", "مريم"):
        register(users["mfa.officer"], name=name, state="TJ", facility=prison)
    # when
    with CaptureQueriesContext(connection) as six_rows:
        response = officer_client.get(url)
    # then
    assert response.context["total"] == 6
    assert len(six_rows) == len(three_rows)


def test_list_filters_by_stage_and_flags(officer_client, registry):
    # given
    Case.objects.filter(child=registry["ru_brother"]).update(status="HANDED_OVER")
    # when
    returned = officer_client.get(reverse("people:child_list"), {"stage": "returned"})
    sentenced = officer_client.get(
        reverse("people:child_list"), {"stage": "in_custody", "mother_sentenced": "true"}
    )
    # then
    assert [p for p, _e in returned.context["rows"]] == [registry["ru_brother"]]
    assert [p for p, _e in sentenced.context["rows"]] == [registry["ru_child"]]


def test_access_history_lists_reads_and_is_itself_audited(officer_client, registry):
    # given
    child = registry["ru_child"]
    officer_client.get(reverse("people:person_detail", args=[child.pk]))
    since = last_seq()
    # when
    response = officer_client.get(reverse("people:access_history", args=[child.pk]))
    # then
    shown = [event.event_type for event, _label in response.context["rows"]]
    assert shown == [
        events.PERSON_VIEWED,
        events.RELATIONSHIP_LINKED,
        events.RELATIONSHIP_LINKED,
        events.CHILD_REGISTERED,
        "cases.case.opened",
    ]
    assert new_events(since) == [events.ACCESS_HISTORY_VIEWED]


def test_access_history_needs_the_audit_capability(client, users, registry):
    # given
    login(client, users["molsa.carer"])
    # when
    response = client.get(reverse("people:access_history", args=[registry["ru_child"].pk]))
    # then
    assert response.status_code == 403


def test_record_shows_family_and_custody(officer_client, registry):
    # when
    response = officer_client.get(reverse("people:person_detail", args=[registry["ru_child"].pk]))
    # then
    relatives = {(label, str(other.pk)) for label, other, _link in response.context["relatives"]}
    assert relatives == {
        ("Mother", str(registry["ru_mother"].pk)),
        ("Full sibling", str(registry["ru_brother"].pk)),
    }
    assert [episode.facility.name_en for episode, _adult in response.context["episodes"]] == [
        "Rusafa Women's Prison"
    ]


# -- registering ----------------------------------------------------------------------------


def test_register_writes_the_child_names_case_placement_and_events(
    officer_client, registry, prison
):
    # given
    before, since = counts(), last_seq()
    # when
    response = officer_client.post(reverse("people:child_create"), registration(prison))
    # then
    child = Person.objects.get(names__full_text="مريم إبراهيموفا")
    assert (response.status_code, response.url) == (
        302,
        reverse("people:person_detail", args=[child.pk]),
    )
    assert counts() == {
        **before,
        "person": before["person"] + 1,
        "name": before["name"] + 2,
        "case": before["case"] + 1,
        "episode": before["episode"] + 1,
        "audit": before["audit"] + 2,
    }
    assert new_events(since) == ["cases.case.opened", events.CHILD_REGISTERED]
    assert (child.case.home_state_id, child.languages, child.date_of_birth) == (
        "RU",
        ["ar", "ru"],
        datetime.date(2017, 7, 1),
    )
    assert list(child.names.values_list("full_text", "is_primary")) == [
        ("مريم إبراهيموفا", True),
        ("Марьям Ибрагимова", False),
    ]
    episode = CustodyEpisode.objects.get(child=child)
    assert (episode.facility, episode.started_on, episode.legal_basis) == (
        prison,
        datetime.date(2019, 4, 2),
        "Order 12/2019",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"dob_precision": "day", "date_of_birth": "2099-01-01"},
            "date_of_birth",
            "A date of birth cannot be in the future.",
        ),
        ({"names-0-full_text": "   ", "names-1-full_text": ""}, None, "A name cannot be empty."),
        (
            {"home_state": "XX"},
            "home_state",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        (
            {"names-0-full_text": "x" * 201},
            None,
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            {"custody_since": ""},
            "custody_since",
            "Enter the date the child has been held there since.",
        ),
        ({"names-1-is_primary": "on"}, None, "Mark only one name as the preferred name."),
    ],
    ids=[
        "future-birth",
        "empty-name",
        "unknown-home-state",
        "too-long-name",
        "facility-without-date",
        "two-preferred",
    ],
)
def test_register_with_bad_input_shows_the_error_and_writes_nothing(
    officer_client, registry, prison, overrides, field, message
):
    # given
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:child_create"), registration(prison, **overrides)
    )
    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    if field:
        assert response.context["form"].errors[field] == [message]
        assert f'id="id_{field}_error"' in response.content.decode()
    assert counts() == before


def test_register_refuses_a_home_state_outside_the_users_scope(client, consul_editor, prison):
    # given
    login(client, consul_editor)
    before = counts()
    # when
    response = client.post(reverse("people:child_create"), registration(prison, home_state="TJ"))
    # then
    assert response.context["form"].errors["home_state"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert counts() == before


def test_register_needs_the_add_capability(client, users):
    # given
    login(client, users["consul.ru"])
    # when
    response = client.get(reverse("people:child_create"))
    # then
    assert response.status_code == 403


# -- editing --------------------------------------------------------------------------------


def edit_data(person: Person, **overrides) -> dict:
    data = {
        "version": str(person.version),
        "sex": person.sex,
        "dob_precision": person.dob_precision,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "dob_source": person.dob_source,
        "orphan_status": person.orphan_status,
        "legal_status": person.legal_status,
        "home_state": "RU",
    }
    data.update(overrides)
    return data


def test_edit_saves_and_bumps_the_version(officer_client, registry):
    # given
    child = registry["ru_child"]
    since = last_seq()
    # when
    response = officer_client.post(
        reverse("people:person_edit", args=[child.pk]), edit_data(child, unaccompanied="on")
    )
    # then
    child.refresh_from_db()
    assert (response.status_code, response.url) == (
        302,
        reverse("people:person_detail", args=[child.pk]),
    )
    assert (child.unaccompanied, child.version) == (True, 2)
    assert new_events(since) == [events.PERSON_UPDATED]


def test_edit_of_a_stale_version_says_someone_else_changed_it(officer_client, registry):
    # given
    child = registry["ru_child"]
    Person.objects.filter(pk=child.pk).update(version=5)  # another editor saved meanwhile
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:person_edit", args=[child.pk]), edit_data(child, unaccompanied="on")
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(StaleEditError.message)]
    assert str(StaleEditError.message) in response.content.decode()
    assert counts() == before
    assert Person.objects.get(pk=child.pk).unaccompanied is False


def test_edit_with_death_before_birth_writes_nothing(officer_client, registry):
    # given
    child = registry["ru_child"]
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:person_edit", args=[child.pk]), edit_data(child, date_of_death="2010-01-01")
    )
    # then
    assert response.context["form"].errors["date_of_death"] == ["Death cannot come before birth."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert counts() == before


def test_edit_without_changes_writes_nothing(officer_client, registry):
    # given
    child = registry["ru_child"]
    before = counts()
    # when
    response = officer_client.post(reverse("people:person_edit", args=[child.pk]), edit_data(child))
    # then
    assert response.status_code == 302
    assert counts() == before


# -- names, relatives, custody --------------------------------------------------------------


def test_add_name_writes_the_name(officer_client, registry):
    # given
    child = registry["ru_child"]
    since = last_seq()
    # when
    response = officer_client.post(
        reverse("people:name_create", args=[child.pk]),
        {"full_text": "Khadija Huseynova", "name_type": "alias", "source": "UNICEF BIA"},
    )
    # then
    assert response.status_code == 302
    assert list(child.names.values_list("full_text", "script", "is_primary")) == [
        ("خديجة حسينوفا", "Arab", True),
        ("Khadija Huseynova", "Latn", False),
    ]
    assert new_events(since) == [events.NAME_ADDED]


def test_add_an_empty_name_writes_nothing(officer_client, registry):
    # given
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:name_create", args=[registry["ru_child"].pk]),
        {"full_text": "  ", "name_type": "alias"},
    )
    # then
    assert response.context["form"].errors == {"full_text": ["A name cannot be empty."]}
    assert counts() == before


def link_data(**overrides) -> dict:
    data = {"mode": "existing", "relationship_type": "mother", "basis": "declared"}
    data.update(overrides)
    return data


def test_link_an_existing_relative(officer_client, registry):
    # given
    brother, mother = registry["ru_brother"], registry["ru_mother"]
    since = last_seq()
    # when
    response = officer_client.post(
        reverse("people:relative_create", args=[brother.pk]),
        link_data(relative=str(mother.pk), verified_by="MoH lab"),
    )
    # then
    assert response.status_code == 302
    link = Relationship.objects.get(person=brother, relative=mother)
    assert (link.relationship_type, link.basis, link.verified_by) == (
        "mother",
        "declared",
        "MoH lab",
    )
    assert new_events(since) == [events.RELATIONSHIP_LINKED]


def test_child_cannot_be_linked_as_their_own_mother(officer_client, registry):
    # given
    child = registry["ru_child"]
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:relative_create", args=[child.pk]), link_data(relative=str(child.pk))
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["relative"] == ["A person cannot be their own relative."]
    assert counts() == before


def test_link_a_new_adult_registers_and_links_them(officer_client, registry):
    # given
    child = registry["tj_child"]
    before, since = counts(), last_seq()
    # when
    response = officer_client.post(
        reverse("people:relative_create", args=[child.pk]),
        link_data(
            mode="new",
            new_name="نادية رحيموفا",
            new_name_type="court_record",
            new_sex="female",
            new_birth_year="1990",
            new_legal_status="sentenced_life",
        ),
    )
    # then
    assert response.status_code == 302
    mother = Person.objects.get(names__full_text="نادية رحيموفا")
    assert (mother.kind, mother.legal_status, mother.date_of_birth) == (
        "adult",
        "sentenced_life",
        datetime.date(1990, 7, 1),
    )
    assert (
        Relationship.objects.filter(
            person=child, relative=mother, relationship_type="mother"
        ).count()
        == 1
    )
    assert counts() == {
        **before,
        "person": before["person"] + 1,
        "name": before["name"] + 1,
        "relationship": before["relationship"] + 1,
        "audit": before["audit"] + 2,
    }
    assert new_events(since) == [events.ADULT_REGISTERED, events.RELATIONSHIP_LINKED]


def test_new_adult_whose_link_is_invalid_is_not_created(officer_client, registry):
    # given
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:relative_create", args=[registry["tj_child"].pk]),
        link_data(
            mode="new",
            new_name="Omar",
            new_name_type="declared_by_mother",
            new_sex="male",
            new_legal_status="unknown",
        ),
    )
    # then
    assert response.context["form"].errors["relationship_type"] == [
        "A mother cannot be recorded as male."
    ]
    assert counts() == before


def test_relative_search_without_javascript_offers_visible_people(client, consul_editor, registry):
    # given
    login(client, consul_editor)
    # when
    response = client.post(
        reverse("people:relative_create", args=[registry["ru_brother"].pk]),
        link_data(relative_q="فا", find="1"),
    )
    # then
    assert set(response.context["people"]) == {registry["ru_child"], registry["ru_mother"]}


def test_custody_move_closes_the_current_placement(officer_client, registry, orphanage):
    # given
    child = registry["ru_child"]
    since = last_seq()
    # when
    response = officer_client.post(
        reverse("people:custody_create", args=[child.pk]),
        {
            "facility": orphanage.pk,
            "started_on": "2021-02-03",
            "legal_basis": "Order 9/2021",
            "reason": "Mother moved",
        },
    )
    # then
    assert response.status_code == 302
    assert list(
        child.custody_episodes.order_by("started_on").values_list("facility__name_en", "ended_on")
    ) == [
        ("Rusafa Women's Prison", datetime.date(2021, 2, 3)),
        ("Dar al-Hanan Orphanage", None),
    ]
    assert new_events(since) == [events.CUSTODY_MOVED]


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        ("2017-12-01", "The move cannot be dated before the current placement began (2018-01-10)."),
        ("2099-01-01", "A custody episode cannot start in the future."),
    ],
    ids=["back-dated", "future"],
)
def test_custody_move_with_a_bad_date_writes_nothing(
    officer_client, registry, orphanage, started_on, message
):
    # given
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:custody_create", args=[registry["ru_child"].pk]),
        {"facility": orphanage.pk, "started_on": started_on},
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["started_on"] == [message]
    assert counts() == before
    assert (
        CustodyEpisode.objects.filter(child=registry["ru_child"], ended_on__isnull=True).count()
        == 1
    )


def test_custody_page_is_for_children_only(officer_client, registry):
    # when
    response = officer_client.get(reverse("people:custody_create", args=[registry["ru_mother"].pk]))
    # then
    assert response.status_code == 404


def test_oversized_request_is_refused_and_writes_nothing(officer_client, registry):
    # given: a 3 MB field, over DATA_UPLOAD_MAX_MEMORY_SIZE
    before = counts()
    # when
    response = officer_client.post(
        reverse("people:name_create", args=[registry["ru_child"].pk]),
        {"full_text": "x" * (3 * 1024 * 1024), "name_type": "alias"},
    )
    # then
    assert response.status_code == 400
    assert counts() == before


def test_out_of_scope_and_missing_records_answer_the_same_bytes(client, users, registry):
    # given
    login(client, users["consul.ru"])
    # when
    hidden = client.get(reverse("people:person_detail", args=[registry["tj_child"].pk]))
    missing = client.get(
        reverse("people:person_detail", args=["00000000-0000-4000-8000-000000000000"])
    )
    # then
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.content == missing.content
