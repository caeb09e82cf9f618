"""The matcher: estimated parameters, hard cases, and scoped candidates from the registry."""

import datetime

import pytest

from homeward.matching.engine import (
    AGREE,
    FIELDS,
    LEVELS,
    compare,
    estimate_parameters,
    find_candidates,
    parameters,
    record_for_query,
    score,
)
from homeward.matching.keys import keys_for_name
from homeward.matching.models import NameKey
from homeward.matching.synthetic import generate_people, labelled_vectors
from homeward.people import services
from tests.conftest import register


def test_generator_is_seeded():
    # given the same seed twice
    # then the same people come out
    first, second = generate_people(20, seed=5), generate_people(20, seed=5)
    assert [(p["given"], p["dob"]) for p in first] == [(p["given"], p["dob"]) for p in second]


def test_parameters_are_estimated_from_labelled_pairs():
    # given true and unrelated pairs from the seeded generator
    matches, non_matches = labelled_vectors()
    # when m and u are estimated
    params = estimate_parameters(matches, non_matches, source="test")
    # then agreement is likelier among true pairs and disagreement among unrelated ones
    for field in FIELDS:
        assert params.m[field][AGREE] > params.u[field][AGREE], field
        assert params.m[field]["disagree"] < params.u[field]["disagree"], field
        assert sum(params.m[field].values()) == pytest.approx(1.0)
        assert set(params.m[field]) == set(LEVELS[field])
    assert params.pairs == len(matches) + len(non_matches) == 7500


def test_parameters_follow_the_data_not_constants():
    # given a labelled set where mothers' names never agree among true pairs
    matches = [{"given": AGREE, "mother": "disagree"}] * 10
    non_matches = [{"given": "disagree", "mother": AGREE}] * 10
    # when estimated
    params = estimate_parameters(matches, non_matches)
    # then mother agreement counts against a match: the weight is what the data says
    assert params.weight("mother", AGREE) < 0
    assert params.m["mother"][AGREE] == pytest.approx(0.5 / 11.5)


def _khadija(**extra):
    return record_for_query(
        names=["خديجة حسينوفا"],
        sex="female",
        born_earliest=datetime.date(2019, 1, 1),
        born_latest=datetime.date(2019, 12, 31),
        mother=["زلفية حسينوفا"],
        **extra,
    )


def test_same_child_in_two_scripts_scores_above_threshold():
    # given the prison register's record and the Russian ombudsman's
    host = _khadija()
    home = record_for_query(
        names=["Хадижат Гусейнова"],
        sex="female",
        born_earliest=datetime.date(2019, 5, 4),
        born_latest=datetime.date(2019, 5, 4),
        exact_birth=True,
        mother=["Зульфия Гусейнова"],
    )
    # when scored among a hundred people
    probability, comparisons = score(host, home, prior=1 / 101)
    # then it is above the threshold, and says why
    assert probability > parameters().threshold
    levels = {item.field: item.level for item in comparisons}
    assert levels == {
        "given": AGREE,
        "family": AGREE,
        "birth": "partly",
        "sex": AGREE,
        "mother": AGREE,
        "father": None,
    }
    given = next(item for item in comparisons if item.field == "given")
    assert (given.left, given.right) == ("خديجة", "Хадижат")


def test_same_common_name_with_different_parents_is_not_a_match():
    # given two boys called Muhammad, same age, whose parents differ
    left = record_for_query(
        names=["محمد"],
        sex="male",
        born_earliest=datetime.date(2018, 1, 1),
        born_latest=datetime.date(2018, 12, 31),
        mother=["فاطمة"],
        father=["عمر"],
    )
    right = record_for_query(
        names=["Muhammad"],
        sex="male",
        born_earliest=datetime.date(2018, 3, 1),
        born_latest=datetime.date(2018, 3, 1),
        exact_birth=True,
        mother=["Aisha"],
        father=["Yusuf"],
    )
    # when scored among a hundred people, Muhammad being a tenth of them
    probability, comparisons = score(left, right, prior=1 / 101, given_frequency=0.1)
    # then the name agrees but the pair stays below the threshold
    levels = {item.field: item.level for item in comparisons}
    assert levels["given"] == AGREE
    assert (levels["mother"], levels["father"]) == ("disagree", "disagree")
    assert probability < parameters().threshold


def test_ivanov_and_ivanova_share_the_family_but_not_the_sex():
    left = record_for_query(names=["Иван Иванов"], sex="male")
    right = record_for_query(names=["Мария Иванова"], sex="female")
    compared = compare(left, right)
    assert compared["family"].level == AGREE
    assert compared["sex"].level == "disagree"


def test_estimated_years_are_never_an_exact_date_match():
    # two estimates written as year only must not count as the same birthday
    left = record_for_query(
        names=["Adam"],
        born_earliest=datetime.date(2016, 1, 1),
        born_latest=datetime.date(2016, 12, 31),
    )
    right = record_for_query(
        names=["Adam"],
        born_earliest=datetime.date(2016, 1, 1),
        born_latest=datetime.date(2016, 12, 31),
    )
    assert compare(left, right)["birth"].level == "partly"


# -- registry ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_stores_the_names_keys(users):
    # given a child registered through the service
    child = register(users["mfa.officer"], name="خديجة حسينوفا", state="RU")
    # then the keys of its name are stored for blocking
    keys = set(NameKey.objects.filter(person=child).values_list("part", "key"))
    assert keys == {("given", "HTJ"), ("given", "HTJT"), ("family", "HSNF")}
    assert keys == keys_for_name(child.names.get())


@pytest.mark.django_db
def test_added_name_gets_keys(users):
    officer = users["mfa.officer"]
    child = register(officer, name="خديجة حسينوفا", state="RU")
    name = services.add_name(child, actor=officer, full_text="Khadija Huseinova", name_type="alias")
    assert set(NameKey.objects.filter(name=name).values_list("key", flat=True)) == {"HTJ", "HSNF"}


@pytest.mark.django_db
def test_rebuild_recomputes_every_key(users, registry):
    # given keys lost (rules changed, or data loaded before the app)
    NameKey.objects.all().delete()
    from django.core.management import call_command

    # when the command runs
    call_command("rebuild_name_keys")
    # then each name has its keys again
    assert NameKey.objects.filter(person=registry["ru_child"]).count() == 3
    assert NameKey.objects.values("name").distinct().count() == 4


@pytest.mark.django_db
def test_consul_never_finds_another_states_child_even_by_its_exact_name(users, registry):
    # given the Tajik child's exact name and consul.ru
    tj_name = registry["tj_child"].names.get().full_text
    record = record_for_query(names=[tj_name])
    # when consul.ru and consul.tj search for it
    ru_found = find_candidates(users["consul.ru"], record)
    tj_found = find_candidates(users["consul.tj"], record)
    # then only the Tajik consul finds it
    assert ru_found == []
    assert [candidate.person for candidate in tj_found] == [registry["tj_child"]]


@pytest.mark.django_db
def test_mother_outside_scope_never_informs_the_comparison(users, registry):
    # given the officer sees the mother; a consul of another state sees neither
    record = record_for_query(names=["Khadija Huseinova"], mother=["Zulfiya Huseinova"])
    found = find_candidates(users["mfa.officer"], record)
    # then the officer's comparison uses the mother's name
    mother = next(item for item in found[0].comparisons if item.field == "mother")
    assert (found[0].person, mother.level, mother.right) == (registry["ru_child"], AGREE, "زلفية")
    assert find_candidates(users["consul.tj"], record) == []
