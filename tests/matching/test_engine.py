"""The matcher: estimated parameters, hard cases, and scoped candidates from the registry."""

import datetime

import pytest

from homeward.matching.engine import (
    AGREE,
    FIELDS,
    LEVELS,
    PairScorer,
    compare,
    estimate_parameters,
    find_candidates,
    parameters,
    record_for_query,
    record_from_row,
    score,
    score_pair,
)
from homeward.matching.keys import keys_for_name
from homeward.matching.models import NameKey
from homeward.matching.synthetic import generate_people, labelled_vectors, linked_lists
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


def _children(*specs):
    """Children written straight to the tables (as the lookup benchmark loads them): each
    spec is (id, Arabic name, sex, date of birth, precision); returns the people by id."""
    import uuid

    from homeward.people.models import Person, PersonName

    people, names = [], []
    for pk, text, sex, dob, precision in specs:
        person = Person(
            id=uuid.UUID(int=pk), kind="child", sex=sex, date_of_birth=dob, dob_precision=precision
        )
        given, family = text.split()
        people.append(person)
        names.append(
            PersonName(
                person=person,
                full_text=text,
                script="Arab",
                given=given,
                family=family,
                name_type="prison_register",
                is_primary=True,
                search_text=text,
            )
        )
    Person.objects.bulk_create(people)
    PersonName.objects.bulk_create(names)
    NameKey.objects.bulk_create(
        NameKey(person_id=name.person_id, name=name, part=part, key=key)
        for name in names
        for part, key in sorted(keys_for_name(name))
    )
    return {person.pk.int: person for person in people}


def _sought(born: datetime.date):
    return record_for_query(
        names=["خديجة حسينوفا"],
        sex="female",
        born_earliest=born,
        born_latest=born,
        exact_birth=True,
    )


@pytest.mark.django_db
def test_true_record_tied_on_keys_with_many_others_is_still_scored_first(users):
    # given 200 girls with the sought child's exact name, born years from her, whose ids all
    # sort before hers: blocking alone ties them all on two keys of two
    born = datetime.date(2015, 6, 15)
    others = [
        (index, "خديجة حسينوفا", "female", born.replace(year=2012 + index % 2), "day")
        for index in range(1, 201)
    ]
    people = _children(*others, (10_000, "خديجة حسينوفا", "female", born, "day"))
    # when she is sought by name, sex and exact birth date
    record = _sought(born)
    found = find_candidates(users["admin"], record, limit=5)
    # then she is among those scored (the pre-rank weighs the birth date), and first
    assert found[0].person == people[10_000]
    assert found[0].score > found[1].score
    assert [item.level for item in found[0].comparisons] == [AGREE, AGREE, AGREE, AGREE, None, None]


@pytest.mark.django_db
def test_equal_scores_are_ordered_by_birth_distance_not_by_id(users):
    # given two girls whose birth dates are both "near" the sought one (so they score the
    # same), the farther one with the smaller id
    born = datetime.date(2015, 6, 15)
    people = _children(
        (1, "خديجة حسينوفا", "female", datetime.date(2015, 9, 20), "day"),
        (2, "خديجة حسينوفا", "female", datetime.date(2015, 6, 20), "day"),
    )
    record = _sought(born)
    # when the same search runs twice
    first = find_candidates(users["admin"], record)
    second = find_candidates(users["admin"], record)
    # then both score alike, the one born five days off comes first, every time
    assert first[0].score == first[1].score
    assert [item.person for item in first] == [people[2], people[1]]
    assert [item.person for item in second] == [people[2], people[1]]


@pytest.mark.django_db
def test_rare_key_outranks_a_common_one_in_the_pre_rank(users):
    # given many Khadijas sharing only the given name, and one child sharing only the rarer
    # family name, all born when the sought child was
    born = datetime.date(2015, 6, 15)
    common = [(index, "خديجة سعيدوفا", "female", born, "day") for index in range(1, 161)]
    people = _children(*common, (500, "زلفية حسينوفا", "female", born, "day"))
    record = _sought(born)
    # when candidates are chosen for scoring (160 share the given name: more than are scored)
    found = find_candidates(users["admin"], record, limit=200)
    # then the rare family-name match was among those scored
    assert people[500] in [item.person for item in found]


# Hand-made pairs and their scores as computed before batch scoring was made fast (commit
# 19faaf3): (left row, right row, probability) for the columns in `_COLUMNS`, scored with
# given-name shares `_SHARES` at a prior of 1/1001. Exact values: an optimisation must not
# move a score by a single bit.
_COLUMNS = ("given_name", "family_name", "father_name", "mother_name", "sex", "dob")
_SHARES = {"MHMT": 0.05, "HTJ": 0.01, "FTM": 0.03}
_SCORED_PAIRS = [
    (
        ("Хадижат", "Гусейнова", "", "Зульфия Гусейнова", "f", "2016-03-01"),
        ("خديجة", "حسينوفا", "", "زلفية حسينوفا", "female", "2016"),
        0.9994224326346896,
    ),
    (
        ("Магомед", "Керимов", "Ахмед", "", "m", "2012-05"),
        ("محمد", "كريموف", "احمد", "", "male", "2012"),
        0.9984017448234589,
    ),
    (
        ("Huseinova Khadija", "", "", "", "f", "2016-03-01"),
        ("Khadija", "Huseinova", "", "", "f", "2016-03-02"),
        0.9462097833396115,
    ),
    (
        ("Fatima", "Rahimova", "", "", "f", "2017-09"),
        ("Adam", "Huseinov", "", "", "m", "2014"),
        3.907526617923856e-12,
    ),
    (
        ("Ivan", "Ivanov", "", "", "m", "2015"),
        ("Ivanna", "Ivanova", "", "", "f", "2015"),
        0.025045297497683326,
    ),
    (
        ("Patimat", "Alieva", "", "", "", ""),
        ("Фотима", "Алиева", "", "", "", "2013"),
        0.7581418577751634,
    ),
    (
        ("محمد بن احمد بن علي", "", "", "", "male", "2011"),
        ("Muhammad", "Ali", "Ahmad", "", "m", "2010-12-30"),
        0.9931500632830739,
    ),
    (
        ("Yusuf", "Rahimzoda", "", "Maryam", "m", "2016-01-01"),
        ("Юсуф", "Рахимзода", "", "Марьям", "m", "2016-01-01"),
        0.9999968904194062,
    ),
]


def _row_record(values, ref):
    return record_from_row(dict(zip(_COLUMNS, values, strict=True)), ref=ref)


@pytest.mark.parametrize(("left", "right", "expected"), _SCORED_PAIRS)
def test_hand_made_pairs_keep_their_exact_scores(left, right, expected):
    # given two descriptions of a child scored among a population with known name shares
    a, b = _row_record(left, "a"), _row_record(right, "b")
    params = parameters()
    # when scored by the explaining comparator and by the batch scorer
    value, _comparisons = score_pair(a, b, params, frequencies=_SHARES, prior=1 / 1001)
    scorer = PairScorer(params, frequencies=_SHARES, prior=1 / 1001)
    batch = scorer.probability(scorer.features(a), scorer.features(b))
    # and by the array scorer, as a pair of one-record tables
    (arrays,) = scorer.probabilities(scorer.table([a]), scorer.table([b]), [0], [0])
    # then all give the score the matcher gave before, to the last bit
    assert value == expected
    assert batch == expected
    assert arrays == expected


def test_batch_scorer_equals_score_pair_and_its_floor_drops_only_lower_pairs():
    # given pairs of a seeded cross-script list of 60 children, in both directions
    host, home, _truth = linked_lists(60, seed=11)
    records = [_row_record([row[c] for c in _COLUMNS], row["record_id"]) for row in host + home]
    params = parameters()
    shares = {"MHMT": 0.08, "FTM": 0.04}
    scorer = PairScorer(params, frequencies=shares, prior=1 / 5000)
    features = [scorer.features(record) for record in records]
    kept = 0
    for i in range(0, len(records), 2):
        for j in range(len(records)):
            value, _c = score_pair(
                records[i], records[j], params, frequencies=shares, prior=1 / 5000
            )
            # then the value is the same float
            assert scorer.probability(features[i], features[j]) == value
            # and with a floor, a pair is dropped only when it scores below the floor
            floored = scorer.probability(features[i], features[j], floor=params.threshold)
            assert floored == value or (floored is None and value < params.threshold)
            kept += floored is not None
    assert 0 < kept < len(records) ** 2 // 2


def _seeded_records(persons, seed):
    host, home, _truth = linked_lists(persons, seed=seed)
    return [_row_record([row[c] for c in _COLUMNS], row["record_id"]) for row in host + home]


@pytest.mark.parametrize("dense_limit", [12_000, 5, 0])
def test_array_scorer_equals_score_pair_on_every_pair(monkeypatch, dense_limit):
    # given every ordered pair of a seeded cross-script list of 60 children, scored with
    # the similarity classes kept in a table for all strings, for the first 5 met only,
    # and for none (computed afresh for every pair)
    from homeward.matching import vectors

    monkeypatch.setattr(vectors, "DENSE_LIMIT", dense_limit)
    records = _seeded_records(60, seed=11)
    params = parameters()
    shares = {"MHMT": 0.08, "FTM": 0.04}
    scorer = PairScorer(params, frequencies=shares, prior=1 / 5000)
    table = scorer.table(records)
    left = [i for i in range(len(records)) for _j in range(len(records))]
    right = [j for _i in range(len(records)) for j in range(len(records))]
    # when the array scorer scores them all at once
    values = scorer.probabilities(table, table, left, right)
    # then each is score_pair's float, to the last bit
    expected = [
        score_pair(records[i], records[j], params, frequencies=shares, prior=1 / 5000)[0]
        for i, j in zip(left, right, strict=True)
    ]
    assert values == expected
    # and with a floor, only pairs scoring below it are dropped, the others keep their totals
    positions, totals = scorer.totals(table, table, left, right, floor=params.threshold)
    kept = dict(zip(positions.tolist(), vectors.probabilities(totals), strict=True))
    assert all(kept[k] == value for k, value in enumerate(expected) if k in kept)
    assert all(value < params.threshold for k, value in enumerate(expected) if k not in kept)
    assert 0 < len(kept) < len(expected) // 2


def test_array_scorer_meets_names_first_seen_after_it_scored():
    # given a scorer that scored one list, then is given a second list with names of its own
    params = parameters()
    scorer = PairScorer(params, frequencies={}, prior=1 / 1000)
    first, second = _seeded_records(20, seed=12), _seeded_records(20, seed=13)
    first_table = scorer.table(first)
    scorer.probabilities(first_table, first_table, [0, 1], [1, 0])
    second_table = scorer.table(second)
    # when the two lists are scored against each other
    left = [i for i in range(len(first)) for _j in range(len(second))]
    right = [j for _i in range(len(first)) for j in range(len(second))]
    values = scorer.probabilities(first_table, second_table, left, right)
    # then every pair has score_pair's value
    assert values == [
        score_pair(first[i], second[j], params, frequencies={}, prior=1 / 1000)[0]
        for i, j in zip(left, right, strict=True)
    ]
