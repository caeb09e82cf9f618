"""`PairScorer` over arrays of candidate pairs: the batch path's scoring in NumPy.

Batch linking meets millions of candidate pairs; scoring them one by one in Python cost
4-5 µs a pair, most of a 100,000-person run. Here a population's comparable parts are laid
out once as arrays (`FeatureTable`, one row per record) and a whole chunk of pairs is scored
with array operations: birth and sex levels from day numbers and codes, name levels from the
keys and Latin forms each side's name parts hold, and the weights summed in `score`'s order.

The name levels are `_compare_names`'s, by its rules: the best similarity over every token on
one side against every token on the other, where two tokens sharing a key are 1.0, otherwise
the better of the keys' Levenshtein similarity and (both vowelled) the canonical Latin forms'
Jaro-Winkler similarity (`names.forms_similarity`). The best over token pairs of that is the
best of its three parts taken separately, so each part is computed over the pairs' key or
Latin combinations with rapidfuzz's `cpdist` (the same scorers `forms_similarity` calls) and
reduced per pair. Sums are taken field by field in FIELDS order, then the prior, exactly as
`score` adds them, so a pair's total weight is the same float; the probability of the totals
is taken in Python (`1 / (1 + 2 ** -total)`, as `score` does), never by a vectorised power
whose last bit may depend on the processor.

Everything here is called through `engine.PairScorer` (`table`, `totals`, `probabilities`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from homeward.matching.engine import (
    AGREE,
    DISAGREE,
    NEAR,
    NEAR_DAYS,
    PARTLY,
    PARTLY_SIMILARITY,
    Record,
    _birth_days,
    _father_tokens,
)
from homeward.matching.names import canonical_latin

if TYPE_CHECKING:
    from homeward.matching.engine import PairScorer

__all__ = [
    "Classes",
    "FeatureTable",
    "build_table",
    "float_array",
    "object_array",
    "probabilities",
    "similarity_classes",
    "totals",
]

# Level codes in the arrays; NONE: one side does not state the field (weight 0).
CODES = {AGREE: 0, PARTLY: 1, NEAR: 2, DISAGREE: 3, None: 4}
NONE = CODES[None]
# `_name_level`'s bar for "agree" (a similarity of 1.0 up to rounding)
AGREE_SIMILARITY = 0.999
# Name parts a pair compares: (left part, right part) per field, and the fallback pair
# ("Huseinova Khadija": a given name found elsewhere lifts a disagreement to "partly")
_NAME_FIELDS = {
    "given": (("given", "given"), ("given", "tokens")),
    "family": (("family", "others"), ("family", "given")),
    "father": (("father", "father"), None),
    "mother": (("mother", "mother"), None),
}
# similarity class (`_classes_of`) -> name level code
_LEVEL_OF_CLASS = np.array([CODES[DISAGREE], CODES[PARTLY], CODES[AGREE]], dtype=np.int8)
# The classes of pairs of the first this many distinct keys (or Latin forms) met are kept in
# a square table of one byte a pair (144 MB when full; the 100,000-person benchmark meets
# about 1,100 keys and 4,500 Latin forms)
DENSE_LIMIT = 12_000
_PARTS = ("given", "tokens", "family", "others", "mother", "father")


class _Part:
    """One name part of every record: how many tokens, and the keys and vowelled canonical
    Latin forms of those tokens as ids (flat, with each record's start and count)."""

    __slots__ = ("key_count", "key_ids", "key_start", "latin_count", "latin_ids", "latin_start")

    def __init__(self, keys, key_counts, latins, latin_counts):
        self.key_ids, self.key_start, self.key_count = _flat(keys, key_counts)
        self.latin_ids, self.latin_start, self.latin_count = _flat(latins, latin_counts)


def _flat(values, counts) -> tuple:
    counts = _int64(counts)
    return _int64(values), np.cumsum(counts) - counts, counts


def _int64(values):
    if isinstance(values, np.ndarray):
        return values
    return np.frombuffer(values, dtype=np.int64) if len(values) else np.zeros(0, dtype=np.int64)


class FeatureTable:
    """The comparable parts of a list of records as arrays, row k for record k.

    `tokens[part]` is how many tokens the part has (0: the record does not state it), the
    parts' keys and Latin forms are `_Part`s; birth as day numbers, sex as 0 (unknown),
    1 or 2; `given_agree` the record's common-name-adjusted weight for an agreeing given name.
    """

    __slots__ = ("born", "earliest", "exact", "given_agree", "latest", "parts", "sex", "tokens")

    def __len__(self) -> int:
        return len(self.sex)


class _Layouts:
    """The distinct layouts of one or more name parts (a part's token count, key ids and
    Latin ids), each stored once; records refer to them by number (`of`)."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.tokens = [array("q") for _ in range(parts)]
        self.keys = [(array("q"), array("q")) for _ in range(parts)]
        self.latins = [(array("q"), array("q")) for _ in range(parts)]
        self.count = 0

    def add(self, layout: list) -> int:
        for part, (count, key_ids, latin_ids) in enumerate(layout):
            self.tokens[part].append(count)
            self.keys[part][0].extend(key_ids)
            self.keys[part][1].append(len(key_ids))
            self.latins[part][0].extend(latin_ids)
            self.latins[part][1].append(len(latin_ids))
        self.count += 1
        return self.count - 1

    def of(self, numbers, part: int) -> tuple:
        """(token counts, `_Part`) of records whose layouts are `numbers`."""
        found = []
        for values, counts in (self.keys[part], self.latins[part]):
            values, counts = _int64(values), _int64(counts)
            starts = np.cumsum(counts) - counts
            counts = counts[numbers]
            found += [values[expand_ranges(starts[numbers], counts)], counts]
        return _int64(self.tokens[part])[numbers], _Part(*found)


def expand_ranges(starts, lengths):
    """The indexes start..start+length-1 of every (start, length), concatenated."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)


def build_table(scorer: PairScorer, records: Sequence[Record]) -> FeatureTable:
    """The records' parts as `compare` pairs them (`engine._Features`), as arrays.

    A record's name parts depend on its names alone (the father part on its names and
    father's names, the mother part on the mother's names), and a list parsed by
    `link.records_from_rows` shares those objects between the rows that repeat them: each
    distinct object's parts are laid out once (`_Layouts`), in the order a record-by-record
    loop meets them (so keys and Latin forms get the same ids), and gathered per record
    by array indexing; likewise each distinct birth. The records keep the objects alive
    while this runs, so their ids identify them.
    """
    sexes = {"female": 1, "male": 2}
    # token -> (key ids, latin id or -1), by object: the records keep every token alive
    # while this runs, and parsing shares token objects between records
    known: dict[int, tuple[tuple[int, ...], int]] = {}

    def token_ids(item) -> tuple[tuple[int, ...], int]:
        key_ids = tuple(scorer._key_id(key) for key in item.keys)
        latin = scorer._latin_id(canonical_latin(item.latin)) if item.vowelled else -1
        known[id(item)] = found = (key_ids, latin)
        return found

    def layout(parts) -> list:
        """Each part's (token count, key ids, Latin ids), a part given by its token groups."""
        found = []
        for part_groups in parts:
            count, part_keys, part_latins = 0, [], []
            for group in part_groups:
                for item in group:
                    count += 1
                    key_ids, latin = known.get(id(item)) or token_ids(item)
                    part_keys.extend(key_ids)
                    if latin >= 0:
                        part_latins.append(latin)
            found.append((count, part_keys, part_latins))
        return found

    names_layouts, mother_layouts, father_layouts = _Layouts(4), _Layouts(1), _Layouts(1)
    names_of: dict[int, int] = {}
    mother_of: dict[int, int] = {}
    father_of: dict[tuple[int, int], int] = {}
    births_of: dict[tuple, int] = {}
    given_agree = array("d")
    births = []
    numbers = [array("q") for _ in range(4)]  # names, mother, father, birth per record
    names_numbers, mother_numbers, father_numbers, birth_numbers = numbers
    sex = array("b")
    for record in records:
        names = record.names
        number = names_of.get(id(names))
        if number is None:
            given_agree.append(scorer.given_agree(record))
            number = names_of[id(names)] = names_layouts.add(
                layout(
                    (
                        [x.given for x in names],
                        [x.tokens for x in names],
                        [x.family or x.others for x in names],
                        [x.others for x in names],
                    )
                )
            )
        names_numbers.append(number)
        mother = record.mother
        number = mother_of.get(id(mother))
        if number is None:
            number = mother_of[id(mother)] = mother_layouts.add(
                layout(([x.tokens for x in mother],))
            )
        mother_numbers.append(number)
        father = (id(names), id(record.father))
        number = father_of.get(father)
        if number is None:
            number = father_of[father] = father_layouts.add(layout((_father_tokens(record),)))
        father_numbers.append(number)
        birth = (record.born_earliest, record.born_latest, record.exact_birth)
        number = births_of.get(birth)
        if number is None:
            number = births_of[birth] = len(births)
            births.append(_birth_days(record))
        birth_numbers.append(number)
        sex.append(sexes.get(record.sex, 0))
    names_numbers, mother_numbers, father_numbers, birth_numbers = map(_int64, numbers)
    days = [days or (0, 0, False) for days in births]
    table = FeatureTable()
    table.earliest = np.array([day[0] for day in days], dtype=np.int64)[birth_numbers]
    table.latest = np.array([day[1] for day in days], dtype=np.int64)[birth_numbers]
    table.exact = np.array([bool(day[2]) for day in days], dtype=bool)[birth_numbers]
    table.born = np.array([day is not None for day in births], dtype=bool)[birth_numbers]
    table.sex = np.frombuffer(sex, dtype=np.int8).copy()
    table.given_agree = np.frombuffer(given_agree, dtype=np.float64)[names_numbers]
    table.tokens, table.parts = {}, {}
    for part, (layouts, numbers_of, index) in zip(
        _PARTS,
        (
            (names_layouts, names_numbers, 0),
            (names_layouts, names_numbers, 1),
            (names_layouts, names_numbers, 2),
            (names_layouts, names_numbers, 3),
            (mother_layouts, mother_numbers, 0),
            (father_layouts, father_numbers, 0),
        ),
        strict=True,
    ):
        table.tokens[part], table.parts[part] = layouts.of(numbers_of, index)
    return table


# -- pair levels ------------------------------------------------------------------------------


def _birth_codes(a: FeatureTable, b: FeatureTable, left, right):
    """`_birth_level_of_days` per pair, as level codes."""
    a_earliest, a_latest = a.earliest[left], a.latest[left]
    b_earliest, b_latest = b.earliest[right], b.latest[right]
    gap = np.maximum(np.maximum(b_earliest - a_latest, a_earliest - b_latest), 0)
    codes = np.where(
        gap == 0, CODES[PARTLY], np.where(gap <= NEAR_DAYS, CODES[NEAR], CODES[DISAGREE])
    )
    same_day = a.exact[left] & b.exact[right] & (a_earliest == b_earliest)
    codes = np.where(same_day, CODES[AGREE], codes)
    return np.where(a.born[left] & b.born[right], codes, NONE).astype(np.int8)


def _sex_codes(a: FeatureTable, b: FeatureTable, left, right):
    a_sex, b_sex = a.sex[left], b.sex[right]
    codes = np.where(a_sex == b_sex, CODES[AGREE], CODES[DISAGREE])
    return np.where((a_sex > 0) & (b_sex > 0), codes, NONE).astype(np.int8)


def _combinations(a_start, a_count, b_start, b_count):
    """For pairs whose sides hold `a_count` and `b_count` ids: every combination as (pair,
    position on the left, position on the right), grouped by pair in pair order."""
    sizes = a_count * b_count
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    across = b_count[owner]
    return owner, a_start[owner] + within // across, b_start[owner] + within % across


def _best(owner, values, pairs: int):
    """The largest value per pair (0 for a pair with none)."""
    best = np.zeros(pairs, dtype=np.int8)
    if len(owner):
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        best[owner[starts]] = np.maximum.reduceat(values, starts)
    return best


def _classes_of(strings, scorer, a_ids, b_ids):
    """Similarity classes of string pairs: 2 at or above AGREE_SIMILARITY, 1 at or above
    PARTLY_SIMILARITY, else 0 (`_name_level` reads no more of a similarity than that)."""
    values = cpdist(strings[a_ids], strings[b_ids], scorer=scorer, dtype=np.float64)
    return (values >= AGREE_SIMILARITY).astype(np.int8) + (values >= PARTLY_SIMILARITY)


class Classes:
    """Similarity classes of pairs of one kind of string (keys: Levenshtein; canonical Latin
    forms: Jaro-Winkler), each pair computed once and kept in a square table of one byte a
    pair for the first DENSE_LIMIT strings met (ids are given in the order strings are
    first met, so the common names are among them); a pair with a string met later is
    computed on each call. Pure: a class depends on the two strings alone."""

    def __init__(self, scorer) -> None:
        self.scorer = scorer
        self.table = np.zeros((0, 0), dtype=np.int8)

    def __call__(self, strings, a_ids, b_ids):
        size = min(len(strings), DENSE_LIMIT)
        if len(self.table) < size:
            grown = np.full((size, size), -1, dtype=np.int8)
            done = len(self.table)
            grown[:done, :done] = self.table
            self.table = grown
        found = np.empty(len(a_ids), dtype=np.int8)
        inside = (a_ids < size) & (b_ids < size)
        outside = np.flatnonzero(~inside)
        if len(outside):
            found[outside] = _classes_of(strings, self.scorer, a_ids[outside], b_ids[outside])
        inside = np.flatnonzero(inside)
        a_in, b_in = a_ids[inside], b_ids[inside]
        cached = self.table[a_in, b_in]
        missing = np.flatnonzero(cached < 0)
        if len(missing):
            codes = _distinct(a_in[missing] * size + b_in[missing])
            a_new, b_new = codes // size, codes % size
            self.table[a_new, b_new] = _classes_of(strings, self.scorer, a_new, b_new)
            cached[missing] = self.table[a_in[missing], b_in[missing]]
        found[inside] = cached
        return found


def similarity_classes() -> tuple[Classes, Classes]:
    """The class tables of a scorer: keys by Levenshtein, Latin forms by Jaro-Winkler, the
    scorers `names.forms_similarity` uses."""
    return Classes(Levenshtein.normalized_similarity), Classes(JaroWinkler.normalized_similarity)


def float_array(values: Sequence[float]):
    return np.array(values, dtype=np.float64)


def object_array(values: Sequence[object]):
    return np.array(values, dtype=object)


def _distinct(codes):
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _similarity_class(scorer: PairScorer, a_part: _Part, b_part: _Part, left, right):
    """`_best_similarity` per pair, as its class (`_classes_of`), for pairs whose both sides
    have tokens: a shared key is a Levenshtein similarity of 1.0, so the best of the key
    pairs' and the Latin pairs' classes is the class of `forms_similarity`'s best."""
    best = _best_class(
        scorer._key_classes, scorer._key_strings,
        a_part.key_ids, a_part.key_start[left], a_part.key_count[left],
        b_part.key_ids, b_part.key_start[right], b_part.key_count[right],
    )  # fmt: skip
    return np.maximum(
        best,
        _best_class(
            scorer._latin_classes, scorer._latin_strings,
            a_part.latin_ids, a_part.latin_start[left], a_part.latin_count[left],
            b_part.latin_ids, b_part.latin_start[right], b_part.latin_count[right],
        ),
    )  # fmt: skip


def _best_class(classes, strings, a_ids, a_start, a_count, b_ids, b_start, b_count):
    """The best class over every combination of a pair's ids on either side (0 for a pair
    with none on a side). Most pairs hold one id a side (a one-word name with one key):
    those are looked up directly, the others through their combinations (`_combinations`,
    `_best`); a pair's class is the same either way."""
    best = np.zeros(len(a_start), dtype=np.int8)
    single = (a_count == 1) & (b_count == 1)
    one = np.flatnonzero(single)
    if len(one):
        best[one] = classes(strings, a_ids[a_start[one]], b_ids[b_start[one]])
    rest = np.flatnonzero(~single & (a_count > 0) & (b_count > 0))
    if len(rest):
        owner, at_a, at_b = _combinations(
            a_start[rest], a_count[rest], b_start[rest], b_count[rest]
        )
        found = classes(strings, a_ids[at_a], b_ids[at_b])
        best[rest] = _best(owner, found, len(rest))
    return best


def _name_codes(scorer: PairScorer, a: FeatureTable, b: FeatureTable, field_name, left, right):
    """`_names_level` per pair for one name field, as level codes."""
    (a_name, b_name), fallback = _NAME_FIELDS[field_name]
    codes = np.full(len(left), NONE, dtype=np.int8)
    stated = np.flatnonzero((a.tokens[a_name][left] > 0) & (b.tokens[b_name][right] > 0))
    if not len(stated):
        return codes
    found = _similarity_class(scorer, a.parts[a_name], b.parts[b_name], left[stated], right[stated])
    codes[stated] = _LEVEL_OF_CLASS[found]
    if fallback is not None:
        a_other, b_other = fallback
        lifted = stated[found == 0]
        lifted = lifted[
            (a.tokens[a_other][left[lifted]] > 0) & (b.tokens[b_other][right[lifted]] > 0)
        ]
        if len(lifted):
            other = _similarity_class(
                scorer, a.parts[a_other], b.parts[b_other], left[lifted], right[lifted]
            )
            codes[lifted[other > 0]] = CODES[PARTLY]
    return codes


# -- totals -----------------------------------------------------------------------------------


def totals(
    scorer: PairScorer, a: FeatureTable, b: FeatureTable, left, right, floor: float | None = None
):
    """(positions, totals): which pairs (`left[k]`, `right[k]`) can reach `floor`, and their
    total weights (prior included).

    The tests are `PairScorer.probability`'s, in its order: birth and sex for every pair,
    then each name field only for the pairs that the fields still to compare could lift to
    the floor at their best weight; the sums are written as it writes them, term by term.
    """
    weights, best = scorer._weight_codes, scorer.best
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    needed = scorer.needed(floor)
    found = {
        "birth": weights["birth"][_birth_codes(a, b, left, right)],
        "sex": weights["sex"][_sex_codes(a, b, left, right)],
    }
    known = found["birth"] + found["sex"]
    positions = np.arange(len(left), dtype=np.int64)
    remaining = ["given", "family", "father", "mother"]
    for field_name in ("given", "family", "father", "mother"):
        bound = known
        for later in remaining:
            bound = bound + best[later]
        keep = np.flatnonzero(~(bound < needed))
        if len(keep) < len(positions):
            positions, left, right, known = positions[keep], left[keep], right[keep], known[keep]
            found = {name: values[keep] for name, values in found.items()}
        codes = _name_codes(scorer, a, b, field_name, left, right)
        value = weights[field_name][codes]
        if field_name == "given":
            value = np.where(codes == CODES[AGREE], a.given_agree[left], value)
        found[field_name] = value
        known = known + value
        remaining.remove(field_name)
    # summed in `score`'s order (FIELDS), then the prior
    total = np.zeros(len(positions), dtype=np.float64)
    for field_name in ("given", "family", "birth", "sex", "mother", "father"):
        total = total + found[field_name]
    return positions, total + scorer.prior_weight


def probabilities(weights: np.ndarray) -> list[float]:
    """`score`'s probability of each total weight, as Python floats (its formula, in Python)."""
    return [1.0 / (1.0 + 2.0 ** (-total)) for total in weights.tolist()]
