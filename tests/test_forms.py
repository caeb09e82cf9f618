"""Forms: they narrow every choice to the user's scope, check input with the models' own
invariants, put service errors next to the right field, and render accessibly."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.forms import apply_service_error
from homeward.people.forms import (
    ChildRegistrationForm,
    CustodyMoveForm,
    LinkRelativeForm,
    NameForm,
    NameFormSet,
    PersonEditForm,
)

pytestmark = pytest.mark.django_db


def names_data(*rows: dict) -> dict:
    data = {
        "names-TOTAL_FORMS": "4",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "4",
    }
    for index, row in enumerate(rows):
        data.update({f"names-{index}-{key}": value for key, value in row.items()})
    return data


def test_name_formset_keeps_only_filled_rows():
    # given
    formset = NameFormSet(
        names_data(
            {"full_text": " خديجة  حسينوفا ", "name_type": "prison_register"},
            {"full_text": "Хадижа", "name_type": "alias"},
        ),
        prefix="names",
    )
    # when
    valid = formset.is_valid()
    # then
    assert valid is True
    assert [(row["full_text"], row["is_primary"]) for row in formset.names()] == [
        ("خديجة  حسينوفا", False),
        ("Хадижа", False),
    ]


def test_name_formset_needs_one_name():
    # given
    formset = NameFormSet(names_data(), prefix="names")
    # when
    valid = formset.is_valid()
    # then
    assert valid is False
    assert formset.errors[0] == {
        "full_text": ["A name cannot be empty."],
        "name_type": ["Choose the kind of name."],
    }


def test_name_formset_refuses_two_preferred_names():
    # given
    formset = NameFormSet(
        names_data(
            {"full_text": "Adam", "name_type": "alias", "is_primary": "on"},
            {"full_text": "Адам", "name_type": "alias", "is_primary": "on"},
        ),
        prefix="names",
    )
    # when
    valid = formset.is_valid()
    # then
    assert valid is False
    assert formset.non_form_errors() == ["Mark only one name as the preferred name."]


def test_name_without_letters_is_refused_on_its_row():
    # given
    form = NameForm({"full_text": "- . -", "name_type": "alias"})
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert form.errors == {"full_text": ["A name must contain letters."]}


def test_name_form_never_saves():
    # given
    form = NameForm({"full_text": "Adam", "name_type": "alias"})
    form.is_valid()
    # when / then
    with pytest.raises(NotImplementedError):
        form.save()


def test_registration_offers_only_home_states_in_scope(users):
    # when
    consul_form = ChildRegistrationForm(user=users["consul.ru"])
    officer_form = ChildRegistrationForm(user=users["mfa.officer"])
    # then
    assert list(consul_form.fields["home_state"].queryset.values_list("code", flat=True)) == ["RU"]
    assert officer_form.fields["home_state"].queryset.count() == 249


def test_registration_offers_only_visible_adults(users, registry):
    # when
    consul_ru = ChildRegistrationForm(user=users["consul.ru"]).fields["held_with"].queryset
    consul_tj = ChildRegistrationForm(user=users["consul.tj"]).fields["held_with"].queryset
    # then
    assert (list(consul_ru), list(consul_tj)) == ([registry["ru_mother"]], [])


def test_registration_checks_dates_with_the_model(users, prison):
    # given
    form = ChildRegistrationForm(
        {
            "sex": "male",
            "dob_precision": "range",
            "dob_earliest": "2016-01-01",
            "dob_latest": "2015-01-01",
            "dob_source": "facility_estimate",
            "orphan_status": "unknown",
            "home_state": "RU",
        },
        user=users["mfa.officer"],
    )
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert form.errors == {"dob_latest": ["The latest date must not be before the earliest."]}


def test_registration_needs_a_facility_for_custody_details(users):
    # given
    form = ChildRegistrationForm(
        {
            "sex": "male",
            "dob_precision": "unknown",
            "dob_source": "unknown",
            "orphan_status": "unknown",
            "home_state": "RU",
            "custody_since": "2019-01-01",
        },
        user=users["mfa.officer"],
    )
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert form.errors == {"facility": ["Choose the facility, or leave the custody fields empty."]}


def test_edit_form_hides_home_state_without_the_case_capability(users, registry):
    # given
    child = registry["ru_child"]
    # when
    registrar = PersonEditForm(
        instance=child, user=users["moj.registrar"], can_change_home_state=False
    )
    officer = PersonEditForm(instance=child, user=users["mfa.officer"], can_change_home_state=True)
    # then
    assert ("home_state" in registrar.fields, "home_state" in officer.fields) == (False, True)
    assert (officer.fields["version"].initial, officer.fields["home_state"].initial) == (1, "RU")


def test_link_form_checks_the_link_before_anything_is_written(users, registry):
    # given
    child, brother = registry["ru_child"], registry["ru_brother"]
    form = LinkRelativeForm(
        {
            "mode": "existing",
            "relative": str(child.pk),
            "relationship_type": "father",
            "basis": "declared",
        },
        person=brother,
        user=users["mfa.officer"],
        can_add_person=True,
    )
    # when
    valid = form.is_valid()
    # then: the younger sister cannot be her older brother's father
    assert valid is False
    assert form.errors == {
        "relationship_type": ["A parent or grandparent cannot be born after the child."]
    }


def test_link_form_refuses_a_duplicate_link(users, registry):
    # given
    form = LinkRelativeForm(
        {
            "mode": "existing",
            "relative": str(registry["ru_mother"].pk),
            "relationship_type": "mother",
            "basis": "dna_confirmed",
        },
        person=registry["ru_child"],
        user=users["mfa.officer"],
        can_add_person=True,
    )
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert form.non_field_errors() == [
        "Relationship with this Person, Relative and Relationship already exists."
    ]


def test_link_form_offers_only_visible_people(users, registry):
    # given
    form = LinkRelativeForm(
        {
            "mode": "existing",
            "relative": str(registry["tj_child"].pk),
            "relationship_type": "full_sibling",
            "basis": "declared",
        },
        person=registry["ru_child"],
        user=users["consul.ru"],
        can_add_person=False,
    )
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert form.errors == {
        "relative": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_link_form_without_add_capability_offers_no_new_adult(users, registry):
    # when
    form = LinkRelativeForm(
        person=registry["ru_child"], user=users["consul.ru"], can_add_person=False
    )
    # then
    assert [value for value, _label in form.fields["mode"].choices] == ["existing"]


def test_link_form_refuses_a_birth_year_in_the_future(users, registry):
    # given
    next_year = datetime.date.today().year + 1
    form = LinkRelativeForm(
        {
            "mode": "new",
            "new_name": "Zulfiya",
            "new_sex": "female",
            "new_birth_year": str(next_year),
            "relationship_type": "mother",
            "basis": "declared",
        },
        person=registry["ru_child"],
        user=users["mfa.officer"],
        can_add_person=True,
    )
    # when
    valid = form.is_valid()
    # then
    assert valid is False
    assert list(form.errors) == ["new_birth_year"]


def test_custody_form_offers_only_active_facilities(users, prison, orphanage):
    # given
    orphanage.is_active = False
    orphanage.save()
    # when
    form = CustodyMoveForm(user=users["mfa.officer"])
    # then
    assert list(form.fields["facility"].queryset) == [prison]


def test_service_errors_land_on_their_fields_or_on_top():
    # given
    form = CustodyMoveForm({"facility": "", "started_on": "2020-01-01"}, user=None)
    form.is_valid()
    # when
    apply_service_error(
        form, ValidationError({"started_on": ["Too early."], "child": ["Not a child."]})
    )
    apply_service_error(form, StaleEditError())
    apply_service_error(form, OutOfScopeError())
    # then
    assert form.errors["started_on"] == ["Too early."]
    assert form.non_field_errors() == [
        "Not a child.",
        str(StaleEditError.message),
        str(OutOfScopeError.message),
    ]


def test_invalid_field_renders_for_assistive_technology():
    # given
    form = NameForm({"full_text": "", "name_type": "alias", "source": "x" * 201})
    form.is_valid()
    # when
    html = str(form["source"])
    # then
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_source_helptext id_source_error"' in html
    assert 'maxlength="200"' in html


def test_edit_form_for_an_adult_has_no_child_only_fields(users, registry):
    # when
    form = PersonEditForm(
        instance=registry["ru_mother"], user=users["mfa.officer"], can_change_home_state=True
    )
    # then
    assert [
        name for name in ("unaccompanied", "orphan_status", "home_state") if name in form.fields
    ] == []
