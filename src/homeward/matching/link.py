"""Linking outside lists: `homeward link LEFT.csv [RIGHT.csv]` and `--against-registry`.

A home state sends the list of children it is looking for; UNICEF sends its own. Nothing is
imported: each row becomes the same `Record` a registry person becomes
(`engine.record_from_row`), pairs are found by blocking on the phonetic keys, and each
pair is scored with `engine.score_pair`'s rules and weights (by `engine.PairScorer`, which
gives the same value without building the explanation), the comparator behind the search
page, so a pair scores the same here as there.

Blocking is what keeps this from being n²: two records are compared only when they share a
block key (two name keys of different words, or one name key with a birth year).
Muhammad alone does not make a block; Muhammad with the same family key, or born the same
year, does. A name-pair block too large to compare in full (a common name pair in a big
list) is also split by birth year and sex, so the twins a small list compares in full are
still compared when the list grows tenfold.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import logging
import math
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from homeward.matching.engine import (
    PairScorer,
    Parameters,
    Record,
    given_keys,
    parameters,
    record_from_row,
    registry_records,
)

__all__ = [
    "COLUMNS",
    "LinkInputError",
    "Pair",
    "block_arrays",
    "block_pairs",
    "link_records",
    "read_rows",
    "records_from_rows",
    "registry_side",
    "write_pairs",
]

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "father_name",
    "mother_name",
    "sex",
    "dob",
    "nationality",
)
# Birth estimates of one person differ by a year between registers: a record is looked up
# under its own years and the neighbouring ones.
YEAR_TOLERANCE = 1
# A block of up to this many people is compared in full; in a larger one (a common name pair,
# or a common name and a year, in a big list) each record meets only its WINDOW nearest
# neighbours either side in the block's sorted order (`_order`).
MAX_BLOCK = 100
WINDOW = 5
# A candidate met only in over-large blocks must be met in this many of them: one common
# key shared in a crowd says little; a block small enough to compare in full counts alone.
MIN_HITS = 2
# Blocking looks records up in chunks yielding about this many pairs (before de-duplication)
# at a time, so its arrays stay at tens of MB whatever the list's size.
CHUNK_PAIRS = 4_000_000
# Each chunk's distinct pair codes are kept apart and sorted together once at the end (one
# sort, not one per merge: at 1,000,000 persons the repeated merges of 10 million codes
# took ~8 s of ~25); only when more than this many wait (1.2 GB) are they merged early.
MERGE_CODES = 150_000_000

Progress = Callable[[str], None]

logger = logging.getLogger(__name__)


class LinkInputError(ValueError):
    """A list that cannot be read, with the file, row and column named for the person fixing it."""


@dataclass(frozen=True)
class Pair:
    left_id: str
    right_id: str
    score: float


@contextlib.contextmanager
def _phase(name: str) -> Iterator[None]:
    """Time one phase of a batch run: logged at debug level with `extra` phase, wall and cpu
    (seconds; CPU of the whole process), which `bench/matching/run.py --phases` sums."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        if logger.isEnabledFor(logging.DEBUG):
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            logger.debug(
                "phase %s: %.2f s wall, %.2f s CPU",
                name,
                wall,
                cpu,
                extra={"phase": name, "wall": wall, "cpu": cpu},
            )


def _collector_paused():
    """Python's cyclic garbage collector off for a bulk build of acyclic objects.

    Reading and blocking a list make millions of small containers (records, their parsed
    parts, memo entries) that all stay alive: every so many allocations the collector
    traverses the survivors again, which cost more than the building (at 100,000 persons
    the array table's build took 2.8 s with it, 1.0 s without). Nothing built here forms a
    cycle; the collector's previous state is restored, so nesting is harmless. The same
    pause as an import's (`core.bulk.collecting_per_chunk`), without collecting per chunk.
    """
    from homeward.core.bulk import collecting_per_chunk

    return collecting_per_chunk()


# -- reading ----------------------------------------------------------------------------------


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV list with a header; every column in `COLUMNS` must be there.

    Errors name the file, and the row and column when there is one: a ministry clerk fixes
    the file, not the code.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in (reader.fieldnames or [])]
            missing = [column for column in COLUMNS if column not in header]
            if missing:
                raise LinkInputError(
                    _("{file}: missing column(s) {columns} in the header row.").format(
                        file=path, columns=", ".join(missing)
                    )
                )
            reader.fieldnames = header
            rows = []
            for row in reader:
                rows.append({column: (row.get(column) or "").strip() for column in COLUMNS})
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise LinkInputError(
            _("{file}: not UTF-8 text (undecodable byte near line {line}).").format(
                file=path, line=line
            )
        ) from error
    except OSError as error:
        raise LinkInputError(
            _("{file}: cannot be read ({reason}).").format(file=path, reason=error.strerror)
        ) from error
    return rows


def records_from_rows(rows: Sequence[dict[str, str]], source: str = "") -> list[Record]:
    """Records from rows; a bad date or a missing record_id names its row (header = row 1).

    Each distinct cell is parsed once (`record_from_row`'s memo, for this list only).
    """
    with _phase("records"), _collector_paused():
        return _records_from_rows(rows, source)


def _records_from_rows(rows: Sequence[dict[str, str]], source: str) -> list[Record]:
    records, seen, memo = [], set(), {}
    for index, row in enumerate(rows, start=2):
        record_id = row.get("record_id", "")
        if not record_id:
            raise LinkInputError(
                _("{file}: row {row}, column record_id: empty.").format(file=source, row=index)
            )
        if record_id in seen:
            raise LinkInputError(
                _("{file}: row {row}, column record_id: {value} appears twice.").format(
                    file=source, row=index, value=record_id
                )
            )
        seen.add(record_id)
        try:
            records.append(record_from_row(row, ref=record_id, memo=memo))
        except ValueError as error:
            raise LinkInputError(
                _(
                    "{file}: row {row}, column dob: {value!r} is not a date "
                    "(write YYYY, YYYY-MM or YYYY-MM-DD)."
                ).format(file=source, row=index, value=row.get("dob", ""))
            ) from error
    return records


def registry_side(user, *, chunk: int = 1000) -> list[Record]:
    """Every person `user` may see, as Records (names, birth, sex, parents in scope)."""
    from homeward.people.models import Person

    ids = list(Person.objects.for_user(user, "view").order_by("pk").values_list("pk", flat=True))
    records: list[Record] = []
    for start in range(0, len(ids), chunk):
        found = registry_records(user, ids[start : start + chunk])
        records.extend(
            found[pk] for pk in ids[start : start + chunk] if pk in found and found[pk].names
        )
    return records


# -- blocking ---------------------------------------------------------------------------------
#
# `_block_keys` and `_order` define a record's block keys and its place in an over-large
# block, record by record. Blocking computes the same from arrays (`_side`, `_coded_keys`,
# `_order_ranks`): each distinct parsed name is worked out once, not each record, and keys
# are numbers; tests/matching/test_link.py compares the pairs with a record-by-record
# blocking written on these definitions.


def _years(record: Record, tolerance: int) -> set[int]:
    if not (record.born_earliest and record.born_latest):
        return set()
    return set(
        range(record.born_earliest.year - tolerance, record.born_latest.year + tolerance + 1)
    )


def _name_keys(record: Record) -> tuple[set[str], set[str]]:
    """The name-pair block keys (`n:`) of a record, and the keys of its own name's words."""
    words: list[frozenset[str]] = []
    for name in record.names:
        for item in name.tokens:
            if item.keys:
                words.append(item.keys)
    own = set().union(*words) if words else set()
    for name in record.father:
        for item in name.tokens:
            if item.keys:
                words.append(item.keys)
    keys = set()
    for first in range(len(words)):
        for second in range(first + 1, len(words)):
            for a in words[first]:
                for b in words[second]:
                    if a != b:
                        keys.add("n:" + "|".join(sorted((a, b))))
    return keys, own


def _block_keys(record: Record, tolerance: int) -> set[str]:
    """Block keys: unordered pairs of keys of two different words (survives swapped order
    and a family name written as the father's), and any key of the person's own name with
    a birth year (survives a missing or misread second name)."""
    keys, own = _name_keys(record)
    for year in _years(record, tolerance):
        keys.update(f"y:{key}|{year}" for key in own)
    return keys


def _first_key(names: Sequence, part: str) -> str:
    for name in names:
        for item in getattr(name, part):
            if item.key:
                return item.key
    return ""


def _order(record: Record) -> tuple:
    """Where a record sorts inside an over-large block: by the phonetic keys of given,
    family, father's and mother's names, then birth year and sex, so that records agreeing
    on everything the block key does not already say end up next to each other."""
    year = record.born_earliest.year if record.born_earliest else 0
    return (
        _first_key(record.names, "given"),
        _first_key(record.names, "family") or _first_key(record.names, "others"),
        _first_key(record.father, "tokens") or _first_key(record.names, "father"),
        _first_key(record.mother, "tokens"),
        year,
        record.sex,
    )


class _Side:
    """One list's blocking inputs as arrays (`_side`): per record the codes of its name-pair
    keys and the ids of its own name's keys (flat, with counts), its first and last birth
    year (0 when unknown) and sex code (1 female, 2 male, 0 unknown), and the six columns of
    its `_order` tuple (strings as vocabulary ids)."""

    __slots__ = (
        "first",
        "last",
        "name_codes",
        "name_counts",
        "order",
        "own_counts",
        "own_ids",
        "sex",
        "size",
    )


def _side(records: Sequence[Record], vocabulary: dict[str, int]) -> _Side:
    """`records`' block keys and sort order as numbers.

    A key string is its id in `vocabulary` (given when first seen); a name-pair key (two
    keys of two different words, `_name_keys`) is the two ids packed, smaller first, into
    one int64: an unordered pair of distinct keys, as "n:" + the two keys sorted is
    (`_coded_keys` numbers the distinct ones).

    What a record's keys and order are made of depends on its names, father's names and
    mother's names, and `records_from_rows` shares the parse of a repeated cell between
    rows: each is worked out once per distinct object (the records keep them alive while
    this runs, so their ids identify them), and per distinct birth and sex, and gathered
    per record by array indexing; the per-record Python work is four look-ups.
    """
    import numpy as np

    # per distinct names: own key ids, name-pair keys within them, order's given, family
    # and names' father-part key ids; per distinct father's or mother's names: their key
    # ids' union, pairs within them, first key id; per distinct names and father's names:
    # the record's name-pair keys (`_name_keys`) and the order's father key id
    names_memo: dict[int, tuple] = {}
    parent_memo: dict[int, tuple] = {}
    keys_memo: dict[tuple[int, int], int] = {}
    birth_memo: dict[tuple, int] = {}
    key_codes, key_counts, key_fathers = array("q"), array("q"), array("q")
    own_ids, own_counts, givens, families = array("q"), array("q"), array("q"), array("q")
    mothers_of: dict[int, int] = {}
    mother_keys = array("q")
    births: list[tuple] = []
    numbers = [array("q") for _ in range(4)]
    names_numbers, keys_numbers, mother_numbers, birth_numbers = numbers
    empty = vocabulary.setdefault("", len(vocabulary))

    def ids(keys: Iterable[str]) -> list[int]:
        return [vocabulary.setdefault(key, len(vocabulary)) for key in keys]

    def within(words: list[list[int]]) -> set[int]:
        packed = set()
        for first_word in range(len(words)):
            for second_word in range(first_word + 1, len(words)):
                for a in words[first_word]:
                    for b in words[second_word]:
                        if a != b:
                            packed.add((a << 32) | b if a < b else (b << 32) | a)
        return packed

    def names_part(names: tuple) -> tuple:
        words = [ids(item.keys) for name in names for item in name.tokens if item.keys]
        own = {key for word in words for key in word}
        own_ids.extend(sorted(own))
        own_counts.append(len(own))
        givens.append(vocabulary.setdefault(_first_key(names, "given"), len(vocabulary)))
        families.append(
            vocabulary.setdefault(
                _first_key(names, "family") or _first_key(names, "others"), len(vocabulary)
            )
        )
        father = vocabulary.setdefault(_first_key(names, "father"), len(vocabulary))
        return len(names_memo), own, within(words), father

    def parent_part(names: tuple) -> tuple:
        words = [ids(item.keys) for name in names for item in name.tokens if item.keys]
        union = {key for word in words for key in word}
        key = vocabulary.setdefault(_first_key(names, "tokens"), len(vocabulary))
        return union, within(words), key

    def keys_part(named: tuple, fathered: tuple) -> int:
        """`_name_keys`: pairs within the names' words, within the father's, and across."""
        packed = named[2] | fathered[1]
        for a in named[1]:
            for b in fathered[0]:
                if a != b:
                    packed.add((a << 32) | b if a < b else (b << 32) | a)
        key_codes.extend(sorted(packed))
        key_counts.append(len(packed))
        key_fathers.append(fathered[2] if fathered[2] != empty else named[3])
        return len(key_counts) - 1

    for record in records:
        names, fathers = record.names, record.father
        named = names_memo.get(id(names))
        if named is None:
            named = names_memo[id(names)] = names_part(names)
        names_numbers.append(named[0])
        number = keys_memo.get((id(names), id(fathers)))
        if number is None:
            fathered = parent_memo.get(id(fathers))
            if fathered is None:
                fathered = parent_memo[id(fathers)] = parent_part(fathers)
            number = keys_memo[id(names), id(fathers)] = keys_part(named, fathered)
        keys_numbers.append(number)
        mothers = record.mother
        number = mothers_of.get(id(mothers))
        if number is None:
            mothered = parent_memo.get(id(mothers))
            if mothered is None:
                mothered = parent_memo[id(mothers)] = parent_part(mothers)
            number = mothers_of[id(mothers)] = len(mother_keys)
            mother_keys.append(mothered[2])
        mother_numbers.append(number)
        birth = (record.born_earliest, record.born_latest, record.sex)
        number = birth_memo.get(birth)
        if number is None:
            number = birth_memo[birth] = len(births)
            births.append(birth)
        birth_numbers.append(number)
    names_numbers, keys_numbers, mother_numbers, birth_numbers = map(_int64, numbers)
    sex_codes = {"female": 1, "male": 2}
    born = [
        (
            earliest.year if earliest else 0,
            earliest.year if earliest and latest else 0,
            latest.year if earliest and latest else 0,
            vocabulary.setdefault(sex, len(vocabulary)),
            sex_codes.get(sex, 0),
        )
        for earliest, latest, sex in births
    ]
    year, first, last, sexes, sex = (
        np.array([values[column] for values in born], dtype=np.int64)[birth_numbers]
        for column in range(5)
    )
    side = _Side()
    side.size = len(records)
    side.name_codes, side.name_counts = _gathered(key_codes, key_counts, keys_numbers)
    side.own_ids, side.own_counts = _gathered(own_ids, own_counts, names_numbers)
    side.first, side.last, side.sex = first, last, sex
    side.order = [
        _int64(givens)[names_numbers],
        _int64(families)[names_numbers],
        _int64(key_fathers)[keys_numbers],
        _int64(mother_keys)[mother_numbers],
        year,
        sexes,
    ]
    return side


def _gathered(values, counts, numbers) -> tuple:
    """(values, counts) of the entries `numbers` of a flat table (`values`, with `counts`
    per entry), concatenated in that order."""
    import numpy as np

    values, counts = _int64(values), _int64(counts)
    starts = np.cumsum(counts) - counts
    counts = counts[numbers]
    return values[_expand(starts[numbers], counts)], counts


def _int64(values):
    import numpy as np

    if isinstance(values, np.ndarray):
        return values
    return np.frombuffer(values, dtype=np.int64) if len(values) else np.zeros(0, dtype=np.int64)


def _year_keys(side: _Side, tolerance: int) -> tuple:
    """(raw codes, owners, own) of a side's own-name keys with a birth year (`_block_keys`'
    "y:" keys): each own key once per year from the record's first birth year - `tolerance`
    to its last + `tolerance`, as key id * 10,001 + year, and whether the year is one of the
    record's own (its index keys); none for a record with no year."""
    import numpy as np

    owners = np.repeat(np.arange(side.size, dtype=np.int64), side.own_counts)
    keys = side.own_ids
    pick = side.first[owners] > 0
    owners, keys = owners[pick], keys[pick]
    low = side.first[owners] - tolerance
    spans = side.last[owners] + tolerance - low + 1
    years = _expand(low, spans)
    owners = np.repeat(owners, spans)
    own = (years >= side.first[owners]) & (years <= side.last[owners])
    return np.repeat(keys, spans) * 10_001 + years, owners, own


def _coded_keys(index: _Side, query: _Side) -> tuple:
    """(index codes, their records, query codes, their records, whether each query key is
    also one of its record's index keys, number of name-pair codes, number of codes): each
    record's block keys (`_block_keys`) as integer codes, flat int64 arrays.

    Index keys are a record's own years (`_block_keys(record, 0)`), query keys its years
    ± YEAR_TOLERANCE; the name-pair keys are both. The name-pair keys are codes 0 to the
    number of name-pair codes - 1, the year keys follow: one code per distinct key either
    side has (a key no indexed record has is a block of no members). Query entries are
    grouped by record, in record order (`_candidate_codes` chunks by them).
    """
    import numpy as np

    sides = (index.name_codes,) if index is query else (index.name_codes, query.name_codes)
    names = _sorted_unique(np.concatenate(sides), in_place=True)
    index_years, index_year_owners, _own = _year_keys(index, 0)
    query_years, query_year_owners, query_own = _year_keys(query, YEAR_TOLERANCE)
    years = _sorted_unique(np.concatenate((index_years, query_years)), in_place=True)
    name_count = len(names)

    def coded(side: _Side, year_keys, year_owners) -> tuple:
        keys = np.concatenate(
            (
                np.searchsorted(names, side.name_codes),
                name_count + np.searchsorted(years, year_keys),
            )
        )
        owners = np.concatenate(
            (np.repeat(np.arange(side.size, dtype=np.int64), side.name_counts), year_owners)
        )
        return keys, owners

    index_keys, index_owners = coded(index, index_years, index_year_owners)
    query_keys, query_owners = coded(query, query_years, query_year_owners)
    # two runs, each in record order: a stable sort merges them
    order = np.argsort(query_owners, kind="stable")
    query_indexed = np.concatenate((np.ones(len(query.name_codes), dtype=bool), query_own))
    key_count = name_count + len(years)
    return (
        index_keys,
        index_owners,
        query_keys[order],
        query_owners[order],
        query_indexed[order],
        name_count,
        key_count,
    )


def _order_ranks(vocabulary: dict[str, int], *sides: _Side) -> list:
    """Each side's `_order` tuples as int64 dense ranks over all sides (the rank of a tuple
    among the distinct tuples, sorted): rank comparisons are the tuples' comparisons, which
    is all the windowed lookup needs. A string column's ids are replaced by their rank in
    the sorted vocabulary, so the columns sort as the strings do."""
    import numpy as np

    strings = list(vocabulary)
    rank = np.empty(len(strings), dtype=np.int64)
    rank[sorted(range(len(strings)), key=strings.__getitem__)] = np.arange(
        len(strings), dtype=np.int64
    )
    columns = [np.concatenate([side.order[column] for side in sides]) for column in range(6)]
    columns = [column if number == 4 else rank[column] for number, column in enumerate(columns)]
    total = len(columns[0])
    ranks = np.zeros(total, dtype=np.int64)
    if total:
        order = np.lexsort(columns[::-1])  # the last key given is the primary one
        new = np.zeros(total, dtype=bool)
        for column in columns:
            ordered = column[order]
            new[1:] |= ordered[1:] != ordered[:-1]
        ranks[order] = np.cumsum(new)
    bounds = np.cumsum([side.size for side in sides])[:-1]
    return np.split(ranks, bounds)


def _sub_blocks(keys, owners, births, split, tolerance: int) -> tuple:
    """(sub-block codes, owners, own): the entries of `keys` that `split` marks, once per
    birth year (± `tolerance`) and sex of their record (an unknown sex under both), and
    whether the year is one of the record's own (its index sub-blocks); records with no
    birth year are in no sub-block."""
    import numpy as np

    first, last, sex = births
    pick = split[keys] & (first[owners] > 0)
    keys, owners = keys[pick], owners[pick]
    low = first[owners] - tolerance
    spans = last[owners] + tolerance - low + 1
    years = _expand(low, spans)
    keys, owners = np.repeat(keys, spans), np.repeat(owners, spans)
    sexes = sex[owners]
    unknown = sexes == 0
    keys = np.concatenate((keys, keys[unknown]))
    owners = np.concatenate((owners, owners[unknown]))
    years = np.concatenate((years, years[unknown]))
    sexes = np.concatenate((np.where(unknown, 1, sexes), np.full(int(unknown.sum()), 2)))
    own = (years >= first[owners]) & (years <= last[owners])
    return (keys * 10_000 + years) * 3 + sexes, owners, own


def _split_large(
    name_count: int, key_count: int, index, index_births, query, query_indexed, query_births
):
    """Index and query keys with every over-large name-pair block also split by birth year
    and sex (`_sub_blocks`; looked up under the record's years ± YEAR_TOLERANCE), and the
    number of key codes; `query_indexed` (whether a query key is also one of its record's
    index keys) follows the query keys.

    In a larger list the same name pair is shared by more people (the 1,000,000-person
    benchmark's largest blocks hold ~6,000): sorted-neighbourhood windows alone then miss
    most of the twins that a full comparison finds in a small list. A sub-block is
    compared in full up to MAX_BLOCK members, and windowed beyond, like any block; the
    whole block keeps its windows (a record with no birth year is in no sub-block).
    """
    import numpy as np

    (index_keys, index_owners), (query_keys, query_owners) = index, query
    counts = np.bincount(index_keys, minlength=key_count)
    split = counts > MAX_BLOCK
    split[name_count:] = False  # codes from `name_count` on are year keys
    if not split.any():
        return index_keys, index_owners, query_keys, query_owners, query_indexed, key_count
    index_sub, index_sub_owners, _own = _sub_blocks(
        index_keys, index_owners, index_births, split, 0
    )
    query_sub, query_sub_owners, query_sub_own = _sub_blocks(
        query_keys, query_owners, query_births, split, YEAR_TOLERANCE
    )
    distinct = _sorted_unique(index_sub)
    # a sub-block no indexed record is in has no members: not looked up
    at = np.minimum(np.searchsorted(distinct, query_sub), max(len(distinct) - 1, 0))
    known = distinct[at] == query_sub if len(distinct) else np.zeros(len(at), dtype=bool)
    index_keys = np.concatenate((index_keys, key_count + np.searchsorted(distinct, index_sub)))
    index_owners = np.concatenate((index_owners, index_sub_owners))
    query_keys = np.concatenate((query_keys, key_count + at[known]))
    query_owners = np.concatenate((query_owners, query_sub_owners[known]))
    query_indexed = np.concatenate((query_indexed, query_sub_own[known]))
    # a record's lookups stay together, in record order (`_candidate_codes` chunks by them)
    order = np.argsort(query_owners, kind="stable")
    return (
        index_keys,
        index_owners,
        query_keys[order],
        query_owners[order],
        query_indexed[order],
        key_count + len(distinct),
    )


def _sorted_unique(codes, *, in_place: bool = False):
    """The distinct values of an int64 array, ascending: what `np.unique` returns, by a sort.

    NumPy 2.4's `np.unique` de-duplicates integers through a hash table before sorting; on
    the 100k dedup's ~18 million pair codes that took over a minute, the sort a few seconds
    (measured: 3 million codes, 4.2 s against 0.06 s).
    """
    import numpy as np

    if in_place:
        codes.sort()  # the caller's own temporary: no copy of a large array
    else:
        codes = np.sort(codes)
    if len(codes) == 0:
        return codes
    keep = np.empty(len(codes), dtype=bool)
    keep[0] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def _expand(starts, lengths):
    """The indexes start..start+length-1 of every (start, length), concatenated."""
    from homeward.matching.vectors import expand_ranges

    return expand_ranges(starts, lengths)


def _candidate_codes(
    index_keys,
    index_owners,
    index_ranks,
    query_keys,
    query_owners,
    query_ranks,
    size: int,
    key_count: int,
    query_indexed,
):
    """Sorted distinct pair codes `query * size + member` (with one list, `low * size + high`).

    A query record meets everyone in a block of up to MAX_BLOCK members, and, in a larger
    block, the WINDOW members either side of where its order sorts among the block's
    members (sorted by order, then position; the left bisection point), counting only those
    met in at least MIN_HITS such windows. All in arrays: members grouped by key with one
    sort, windows found with one `searchsorted`, hits counted by sorting pair codes. Query
    records are taken in chunks (whole records) of about CHUNK_PAIRS pairs to bound memory.

    With one list (`query_indexed` given: whether each query key is also one of its
    record's index keys), a record that looks up a small block it is a member of meets
    only the members after it: each member looks that block up too (a record's query keys
    include its index keys) and meets it from the other side, so the pair is found once,
    not twice (the sorting and merging of codes is most of this function's time).
    """
    import numpy as np

    dedup = query_indexed is not None
    window = WINDOW
    sort = np.lexsort((index_owners, index_ranks[index_owners], index_keys))
    members = index_owners[sort]
    member_keys = index_keys[sort]
    counts = np.bincount(index_keys, minlength=key_count).astype(np.int64)
    ends = np.cumsum(counts)
    starts = ends - counts
    large = counts > MAX_BLOCK
    scale = int(index_ranks.max()) + 2 if len(index_ranks) else 1
    if len(query_ranks):
        scale = max(scale, int(query_ranks.max()) + 2)
    # the members of over-large blocks only, with each block's bounds among them, and a
    # (key, rank) code to find where a query record's order sorts in its block
    in_large = large[member_keys]
    large_members = members[in_large]
    sorted_combined = member_keys[in_large] * scale + index_ranks[large_members]
    del in_large
    large_counts = np.where(large, counts, 0)
    large_ends = np.cumsum(large_counts)
    large_starts = large_ends - large_counts
    span = np.arange(-window, window + 1, dtype=np.int64)
    chunk = CHUNK_PAIRS
    # how many pairs each looked-up key yields at most, summed: chunks of about `chunk` pairs
    reach = np.cumsum(np.where(large[query_keys], 2 * window + 1, counts[query_keys]))
    merged, pending, waiting = np.zeros(0, dtype=np.int64), [], 0
    total = len(query_keys)
    begin = 0
    while begin < total:
        done = int(reach[begin - 1]) if begin else 0
        end = max(int(np.searchsorted(reach, done + chunk, side="right")), begin + 1)
        if end < total:
            # whole records only: a record's windows are counted together
            end = int(np.searchsorted(query_owners, query_owners[end - 1], side="right"))
        keys, owners = query_keys[begin:end], query_owners[begin:end]
        indexed = query_indexed[begin:end] if dedup else None
        begin = end
        small = ~large[keys]
        small_keys, small_owners = keys[small], owners[small]
        lengths = counts[small_keys]
        met_members = members[_expand(starts[small_keys], lengths)]
        met_owners = np.repeat(small_owners, lengths)
        if dedup:
            # a member before the record, in a block the record is in: met from its side
            keep = np.repeat(indexed[small], lengths)
            np.logical_not(keep, out=keep)
            keep |= met_members > met_owners
            met_owners, met_members = met_owners[keep], met_members[keep]
        big_keys, big_owners = keys[~small], owners[~small]
        if len(big_keys):
            at = np.searchsorted(
                sorted_combined, big_keys * scale + query_ranks[big_owners], side="left"
            )
            low = np.maximum(at - window, large_starts[big_keys])
            high = np.minimum(at + window + 1, large_ends[big_keys])
            spots = at[:, None] + span
            valid = (spots >= low[:, None]) & (spots < high[:, None])
            rows = np.broadcast_to(big_owners[:, None], spots.shape)[valid]
            hits = np.sort(rows * size + large_members[spots[valid]])
            if len(hits):
                edge = np.empty(len(hits) + 1, dtype=bool)
                edge[0] = edge[-1] = True
                np.not_equal(hits[1:], hits[:-1], out=edge[1:-1])
                bounds = np.flatnonzero(edge)
                runs = np.diff(bounds)
                windowed = hits[bounds[:-1][runs >= MIN_HITS]]
                met_owners = np.concatenate((met_owners, windowed // size))
                met_members = np.concatenate((met_members, windowed % size))
        if dedup:
            keep = met_owners != met_members
            met_owners, met_members = met_owners[keep], met_members[keep]
            met = np.minimum(met_owners, met_members) * size
            met += np.maximum(met_owners, met_members)
        else:
            met = met_owners * size
            met += met_members
        del met_owners, met_members
        met = _sorted_unique(met, in_place=True)
        pending.append(met)
        waiting += len(met)
        if waiting > max(len(merged), MERGE_CODES):
            # a pair is often found from both sides: merge when the pending codes outgrow
            # both the merged ones and MERGE_CODES, so memory follows the distinct pairs
            merged = _merged(merged, pending)
            pending, waiting = [], 0
    return _merged(merged, pending) if pending else merged


def _merged(merged, pending: list):
    """The sorted distinct codes of `merged` and of the `pending` arrays (emptied)."""
    import numpy as np

    codes = np.concatenate([merged, *pending])
    pending.clear()
    return _sorted_unique(codes, in_place=True)


def block_arrays(
    left: Sequence[Record], right: Sequence[Record] | None = None, *, chunk: int = 1_000_000
) -> Iterator[tuple]:
    """`block_pairs`' pairs as (left indexes, right indexes) int64 arrays of up to `chunk`
    pairs each, in the same order: what batch scoring (`PairScorer.totals`) takes."""
    with _collector_paused():
        found, size = _candidates(left, right)
    for start in range(0, len(found), chunk):
        block = found[start : start + chunk]
        yield block // size, block % size


def _candidates(left: Sequence[Record], right: Sequence[Record] | None) -> tuple:
    """(sorted distinct candidate pair codes, right side's size): `block_arrays`' work."""
    with _phase("block keys"):
        size, ranks, query_ranks, keys = _keys(left, right)
    with _phase("candidate pairs"):
        index_keys, index_owners, query_keys, query_owners, query_indexed, key_count = keys
        del keys
        found = _candidate_codes(
            index_keys,
            index_owners,
            ranks,
            query_keys,
            query_owners,
            query_ranks,
            size,
            key_count,
            query_indexed if right is None else None,
        )
    return found, size


def _keys(left: Sequence[Record], right: Sequence[Record] | None) -> tuple:
    """(indexed side's size, index order ranks, query order ranks, block keys): the keys
    with over-large name-pair blocks split (`_split_large`: index keys, their records,
    query keys, their records, whether each is also an index key of its record, key
    count)."""
    vocabulary: dict[str, int] = {}
    query = _side(left, vocabulary)
    index = query if right is None else _side(right, vocabulary)
    if right is None:
        (ranks,) = _order_ranks(vocabulary, index)
        query_ranks = ranks
    else:
        ranks, query_ranks = _order_ranks(vocabulary, index, query)
    del vocabulary
    index_keys, index_owners, query_keys, query_owners, query_indexed, name_count, key_count = (
        _coded_keys(index, query)
    )
    keys = _split_large(
        name_count,
        key_count,
        (index_keys, index_owners),
        (index.first, index.last, index.sex),
        (query_keys, query_owners),
        query_indexed,
        (query.first, query.last, query.sex),
    )
    return index.size, ranks, query_ranks, keys


def block_pairs(
    left: Sequence[Record], right: Sequence[Record] | None = None
) -> Iterator[tuple[int, int]]:
    """Index pairs (left, right) sharing a block key; with one list, pairs i < j of it.

    The right side is indexed under its own years, the left looked up under its years
    ± YEAR_TOLERANCE, so each pair is found whichever side carries the estimate. A block of
    up to MAX_BLOCK people is compared in full; in a larger one (a common name pair in a
    big list) each record meets only its WINDOW nearest neighbours in the block's sorted
    order, so the pairs grow with the list, not with its square. Pairs come in ascending
    order (by left, then right). The keys are worked out once per distinct parsed name in
    Python (`_side`) and gathered per record as arrays; the grouping, windows and
    de-duplication are NumPy array operations (`_candidate_codes`).
    """
    for lefts, rights in block_arrays(left, right, chunk=100_000):
        yield from zip(lefts.tolist(), rights.tolist(), strict=True)


# -- scoring ----------------------------------------------------------------------------------


def _frequencies(records: Iterable[Record]) -> tuple[dict[str, float], int]:
    counts: Counter = Counter()
    total = 0
    for record in records:
        total += 1
        counts.update(given_keys(record))
    return {key: count / total for key, count in counts.items()} if total else {}, total


def link_records(
    left: Sequence[Record],
    right: Sequence[Record] | None = None,
    *,
    threshold: float | None = None,
    params: Parameters | None = None,
    progress: Progress | None = None,
) -> list[Pair]:
    """Scored candidate pairs at or above `threshold` (default: the estimated one), best first.

    Each left record is sought among the right list (or the list itself when deduplicating):
    the prior is 1/(N+1) and common given names count for what they are worth in that list,
    exactly as in a registry search. Pairs are scored by `engine.PairScorer` over arrays of
    a million candidate pairs at a time (`PairScorer.totals`), which gives `score_pair`'s
    probability without its explanation and drops, exactly, the pairs whose remaining fields
    could not lift them to the threshold (birth and sex are compared first, the names, which
    are most of the cost, only for the pairs that can still be kept).
    """
    with _collector_paused():
        return _link_records(left, right, threshold, params, progress)


def _link_records(left, right, threshold, params, progress) -> list[Pair]:
    import numpy as np

    params = params or parameters()
    threshold = params.threshold if threshold is None else threshold
    dedup = right is None
    population = left if dedup else right
    with _phase("tables"):
        frequencies, size = _frequencies(population)
    prior = 1.0 / max(size - 1 if dedup else size + 1, 2)
    from homeward.matching.vectors import probabilities

    with _phase("tables"):
        scorer = PairScorer(params, frequencies=frequencies, prior=prior)
        # each record's comparable parts once, as arrays; pairs scored a chunk at a time
        left_table = scorer.table(left)
        right_table = left_table if dedup else scorer.table(right)
    started = datetime.datetime.now(tz=datetime.UTC)
    pairs: list[Pair] = []
    compared = 0
    for lefts, rights in block_arrays(left, right):
        compared += len(lefts)
        with _phase("scoring"):
            positions, totals = scorer.totals(left_table, right_table, lefts, rights, threshold)
        with _phase("output"):
            if 0 < threshold < 1:
                # a total weight below the threshold's log-odds (less a margin far above
                # rounding error) gives a probability below it: only the others are
                # turned into probabilities, in Python, and compared exactly
                near = np.flatnonzero(totals >= math.log2(threshold / (1 - threshold)) - 1e-6)
                positions, totals = positions[near], totals[near]
            kept_left, kept_right = lefts[positions].tolist(), rights[positions].tolist()
            values = probabilities(totals)
            for i, j, value in zip(kept_left, kept_right, values, strict=True):
                if value >= threshold:
                    pairs.append(Pair(str(left[i].ref), str(population[j].ref), round(value, 4)))
        if progress:
            elapsed = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
            progress(
                _("{count} pairs compared, {found} kept ({seconds:.0f} s)").format(
                    count=compared, found=len(pairs), seconds=elapsed
                )
            )
    with _phase("output"):
        pairs.sort(key=lambda pair: (-pair.score, pair.left_id, pair.right_id))
    if progress:
        progress(
            _("{count} pairs compared, {found} at or above {threshold}.").format(
                count=compared, found=len(pairs), threshold=threshold
            )
        )
    return pairs


def write_pairs(pairs: Iterable[Pair], path: str | Path) -> int:
    """Write `left_id,right_id,score`; returns the number of rows written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id", "score"))
        for pair in pairs:
            writer.writerow((pair.left_id, pair.right_id, f"{pair.score:.4f}"))
            count += 1
    return count
