"""A seeded generator of labelled record pairs: where the matcher's m and u come from.

Each synthetic child is written twice, the way the field writes them (domain.md §5): once by
an Iraqi register (Arabic script, given name + surname or father's name, an estimated birth
year, the mother's name in Arabic), once by the home state (its own script or a Latin
passport form, typos, swapped order, missing fields, an exact date more often than not).
The two records of one child are a true pair; a record of one child with a record of
another, drawn at random, is an unrelated pair. Name pools are the demo's
(`core.demo.names`): common names shared by many, so that names alone are not enough.

The proportions below describe the *data* (how often a register omits the mother, how often
a clerk misspells); the matcher's weights are then *measured* on the pairs, not chosen.
"""

from __future__ import annotations

import datetime
import functools
import random

from homeward.core.demo.names import (
    NATIONALITIES,
    arabic_variant,
    feminine_surname,
    latin_variants,
    patronymic,
)
from homeward.matching.engine import Record, birth_range, compare, record_for_query, sample_pairs

__all__ = ["generate_people", "home_row", "host_row", "labelled_vectors", "linked_lists"]

SEED = 20190710
PEOPLE = 1500


def _typo(rng: random.Random, text: str) -> str:
    """One slip of a clerk's pen: a letter dropped, doubled or swapped with the next."""
    if len(text) < 4:
        return text
    index = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return text[:index] + text[index + 1 :]
    if kind == "double":
        return text[:index] + text[index] + text[index:]
    return text[:index] + text[index + 1] + text[index] + text[index + 2 :]


def _dob(rng: random.Random) -> datetime.date:
    return datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(0, 12 * 365))


def _host_record(rng: random.Random, child: dict) -> Record:
    """The Iraqi register: Arabic script, estimated birth year, mother's name when known."""
    given, surname, father = child["given"][1], child["surname"][1], child["father"][1]
    if rng.random() < 0.3:
        given = arabic_variant(given)
    second = father if rng.random() < 0.25 else surname  # nasab instead of a surname
    name = f"{given} {second}"
    year = child["dob"].year + rng.choice((0, 0, 0, 1, -1))
    earliest, latest, exact = birth_range(datetime.date(year, 7, 1), "year")
    if rng.random() < 0.2:  # a document was seen: the register has the exact date
        earliest, latest, exact = birth_range(child["dob"], "day")
    if rng.random() < 0.1:
        earliest = latest = None
    mother = [f"{child['mother'][1]} {child['mother_surname'][1]}"] if rng.random() < 0.7 else []
    fathers = [father] if rng.random() < 0.3 else []
    sex = child["sex"] if rng.random() < 0.97 else ""
    return record_for_query(
        names=[name],
        sex=sex,
        born_earliest=earliest,
        born_latest=latest,
        exact_birth=exact,
        mother=mother,
        father=fathers,
    )


def _home_record(rng: random.Random, child: dict) -> Record:
    """The home state's list or a relative's request: own script or Latin, often incomplete."""
    nationality = child["nationality"]

    def spell(native: str) -> str:
        variants = latin_variants(native, nationality)
        text = rng.choice([native, *variants]) if variants and rng.random() < 0.5 else native
        return _typo(rng, text) if rng.random() < 0.12 else text

    given, surname = spell(child["given"][0]), spell(child["surname"][0])
    parts = [surname, given] if rng.random() < 0.1 else [given, surname]
    if nationality.patronymic and rng.random() < 0.4:
        parts.append(patronymic(child["father"][0], child["sex"], nationality.patronymic))
    roll = rng.random()
    if roll < 0.6:
        earliest, latest, exact = birth_range(child["dob"], "day")
    elif roll < 0.85:
        earliest, latest, exact = birth_range(child["dob"], "year")
    else:
        earliest = latest = None
        exact = False
    mother = (
        [f"{spell(child['mother'][0])} {spell(child['mother_surname'][0])}"]
        if rng.random() < 0.6
        else []
    )
    fathers = [spell(child["father"][0])] if rng.random() < 0.5 else []
    return record_for_query(
        names=[" ".join(parts)],
        sex=child["sex"],
        born_earliest=earliest,
        born_latest=latest,
        exact_birth=exact,
        mother=mother,
        father=fathers,
    )


def generate_people(count: int = PEOPLE, seed: int = SEED) -> list[dict]:
    """Synthetic children: nationality, sex, names as (native, Arabic) pairs, parents, date."""
    rng = random.Random(seed)
    nationalities = list(NATIONALITIES.values())
    people = []
    for _ in range(count):
        nationality = rng.choice(nationalities)
        group = rng.choices(
            nationality.groups, weights=[group.weight for group in nationality.groups]
        )[0]
        sex = rng.choice(("female", "male"))
        surname = rng.choice(group.surnames)
        mother_surname = rng.choice(group.surnames)
        if nationality.gendered_surnames:
            mother_surname = feminine_surname(*mother_surname)
            if sex == "female":
                surname = feminine_surname(*surname)
        people.append(
            {
                "nationality": nationality,
                "sex": sex,
                "given": rng.choice(nationality.female if sex == "female" else nationality.male),
                "surname": surname,
                "father": rng.choice(nationality.male),
                "mother": rng.choice(nationality.female),
                "mother_surname": mother_surname,
                "dob": _dob(rng),
            }
        )
    return people


@functools.cache
def labelled_vectors(count: int = PEOPLE, seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """Agreement levels of true pairs and of as many unrelated pairs (seeded, cached)."""
    rng = random.Random(seed + 1)
    people = generate_people(count, seed)
    host = [_host_record(rng, child) for child in people]
    home = [_home_record(rng, child) for child in people]
    matches = [_levels(compare(left, right)) for left, right in zip(host, home, strict=True)]
    indices = list(range(count))
    non_matches = [
        _levels(compare(host[left], home[right]))
        for left, right in sample_pairs(indices, count * 4, seed=seed + 2)
    ]
    return matches, non_matches


def _levels(comparisons: dict) -> dict[str, str | None]:
    return {field: item.level for field, item in comparisons.items()}


# -- rows, as outside lists and the benchmark write them ----------------------------------------


def host_row(rng: random.Random, child: dict, record_id: str) -> dict[str, str]:
    """An Iraqi register row: Arabic script, an Iraqi name chain (the family column often
    holds the father's name, the father column the father and grandfather), an age turned
    into a birth year, the mother's name when a carer knew it."""
    given, surname, father = child["given"][1], child["surname"][1], child["father"][1]
    if rng.random() < 0.3:
        given = arabic_variant(given)
    family = father if rng.random() < 0.25 else surname  # nasab instead of a surname
    roll = rng.random()
    if roll < 0.2:
        dob = child["dob"].isoformat()  # a document was seen
    elif roll < 0.9:
        dob = str(child["dob"].year + rng.choice((0, 0, 0, 1, -1)))  # "about 6"
    else:
        dob = ""
    father_name = ""
    if rng.random() < 0.35:
        father_name = father if rng.random() < 0.6 else f"{father} {child['grandfather'][1]}"
    mother = ""
    if rng.random() < 0.7:
        mother = f"{child['mother'][1]} {child['mother_surname'][1]}"
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "father_name": father_name,
        "mother_name": mother,
        "sex": child["sex"] if rng.random() < 0.97 else "",
        "dob": dob,
        "nationality": "",
    }


def home_row(rng: random.Random, child: dict, record_id: str) -> dict[str, str]:
    """A home-state row: its own script or a Latin passport form, transliteration variants,
    typos, given and family swapped now and then, fields left empty."""
    nationality = child["nationality"]

    def spell(native: str) -> str:
        variants = latin_variants(native, nationality)
        text = rng.choice([native, *variants]) if variants and rng.random() < 0.5 else native
        return _typo(rng, text) if rng.random() < 0.12 else text

    given, family = spell(child["given"][0]), spell(child["surname"][0])
    if rng.random() < 0.1:
        given, family = family, given
    roll = rng.random()
    if roll < 0.6:
        dob = child["dob"].isoformat()
    elif roll < 0.7:
        dob = child["dob"].strftime("%Y-%m")
    elif roll < 0.85:
        dob = str(child["dob"].year)
    else:
        dob = ""
    mother = ""
    if rng.random() < 0.6:
        mother = f"{spell(child['mother'][0])} {spell(child['mother_surname'][0])}"
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "father_name": spell(child["father"][0]) if rng.random() < 0.5 else "",
        "mother_name": mother,
        "sex": child["sex"] if rng.random() < 0.95 else "",
        "dob": dob,
        "nationality": nationality.code,
    }


def linked_lists(
    count: int, seed: int = SEED, *, siblings: float = 0.15
) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    """A host register and a home-state list of `count` children, with the true pairs.

    A share of the children are siblings of an earlier one (same surname, parents, close
    birth): the hardest negatives, since only the given name and the date tell them apart.
    """
    rng = random.Random(seed)
    people = generate_people(count, seed)
    for index, child in enumerate(people):
        child["grandfather"] = rng.choice(child["nationality"].male)
        if index and rng.random() < siblings:
            elder = people[rng.randrange(index)]
            for key in ("nationality", "father", "grandfather", "mother", "mother_surname"):
                child[key] = elder[key]
            child["sex"], child["surname"] = elder["sex"], elder["surname"]
            pool = elder["nationality"].female if elder["sex"] == "female" else None
            child["given"] = rng.choice(pool or elder["nationality"].male)
            child["dob"] = elder["dob"] + datetime.timedelta(days=rng.randrange(300, 1500))
    host = [host_row(rng, child, f"H{index:07d}") for index, child in enumerate(people)]
    home = [home_row(rng, child, f"S{index:07d}") for index, child in enumerate(people)]
    # the lists are not in the same order
    rng.shuffle(home)
    truth = {(f"H{index:07d}", f"S{index:07d}") for index in range(count)}
    return host, home, truth
