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
year, does.
"""

from __future__ import annotations

import bisect
import csv
import datetime
from collections import Counter, defaultdict
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

Progress = Callable[[str], None]


class LinkInputError(ValueError):
    """A list that cannot be read, with the file, row and column named for the person fixing it."""


@dataclass(frozen=True)
class Pair:
    left_id: str
    right_id: str
    score: float


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
    """Records from rows; a bad date or a missing record_id names its row (header = row 1)."""
    records, seen = [], set()
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
            records.append(record_from_row(row, ref=record_id))
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


def _years(record: Record, tolerance: int) -> set[int]:
    if not (record.born_earliest and record.born_latest):
        return set()
    return set(
        range(record.born_earliest.year - tolerance, record.born_latest.year + tolerance + 1)
    )


def _block_keys(record: Record, tolerance: int) -> set[str]:
    """Block keys: unordered pairs of keys of two different words (survives swapped order
    and a family name written as the father's), and any key of the person's own name with
    a birth year (survives a missing or misread second name)."""
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


class _Block:
    """The members of one block key; above MAX_BLOCK members, sorted for windowed lookups."""

    __slots__ = ("members", "orders")

    def __init__(self, members: list[int], orders: Sequence[tuple]) -> None:
        if len(members) > MAX_BLOCK:
            members = sorted(members, key=orders.__getitem__)
            self.orders = [orders[member] for member in members]
        else:
            self.orders = None
        self.members = members

    def near(self, order: tuple) -> list[int]:
        """All members of a small block; in a large one, the WINDOW members either side of
        where `order` sorts (sorted-neighbourhood blocking inside the block)."""
        if self.orders is None:
            return self.members
        at = bisect.bisect_left(self.orders, order)
        return self.members[max(at - WINDOW, 0) : at + WINDOW + 1]


def _index(records: Sequence[Record], orders: Sequence[tuple]) -> dict[str, _Block]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(records):
        for key in _block_keys(record, 0):
            grouped[key].append(position)
    return {key: _Block(members, orders) for key, members in grouped.items()}


def _candidates(
    record: Record, order: tuple, index: dict[str, _Block], own: int | None = None
) -> set[int]:
    """Everyone met in a block small enough to compare in full, and everyone met in at
    least MIN_HITS windows of over-large blocks (a small block counts MIN_HITS hits alone).

    Small-block members go into a set and window members into a Counter in bulk
    (`set.update`, `Counter.update` run in C): this runs once per record over every block
    it falls in, which was most of the blocking time at 100k.
    """
    met: set[int] = set()
    windows: Counter = Counter()
    for key in _block_keys(record, YEAR_TOLERANCE):
        block = index.get(key)
        if block is None:
            continue
        if block.orders is None:
            met.update(block.members)
        else:
            windows.update(block.near(order))
    met.update(other for other, count in windows.items() if count >= MIN_HITS)
    met.discard(own)
    return met


def _sorted_unique(codes):
    """The distinct values of an int64 array, ascending: what `np.unique` returns, by a sort.

    NumPy 2.4's `np.unique` de-duplicates integers through a hash table before sorting; on
    the 100k dedup's ~18 million pair codes that took over a minute, the sort a few seconds
    (measured: 3 million codes, 4.2 s against 0.06 s).
    """
    import numpy as np

    codes = np.sort(codes)
    if len(codes) == 0:
        return codes
    keep = np.empty(len(codes), dtype=bool)
    keep[0] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def block_pairs(
    left: Sequence[Record], right: Sequence[Record] | None = None
) -> Iterator[tuple[int, int]]:
    """Index pairs (left, right) sharing a block key; with one list, pairs i < j of it.

    The right side is indexed under its own years, the left looked up under its years
    ± YEAR_TOLERANCE, so each pair is found whichever side carries the estimate. A block of
    up to MAX_BLOCK people is compared in full; in a larger one (a common name pair in a
    big list) each record meets only its WINDOW nearest neighbours in the block's sorted
    order, so the pairs grow with the list, not with its square. With one list, the pairs
    are collected as integers in NumPy arrays and de-duplicated there (a pair is often
    found from both sides), never as a Python set of tuples.
    """
    if right is not None:
        orders = [_order(record) for record in right]
        index = _index(right, orders)
        for position, record in enumerate(left):
            for other in sorted(_candidates(record, _order(record), index)):
                yield (position, other)
        return
    import numpy as np

    orders = [_order(record) for record in left]
    index = _index(left, orders)
    size = len(left)
    chunks, pending, waiting = [], [], 0
    for position, record in enumerate(left):
        found = _candidates(record, orders[position], index, own=position)
        if found:
            others = np.fromiter(found, dtype=np.int64, count=len(found))
            pending.append(np.minimum(others, position) * size + np.maximum(others, position))
            waiting += len(found)
        if waiting > 1_000_000:
            chunks.append(_sorted_unique(np.concatenate(pending)))
            pending, waiting = [], 0
    chunks.extend(pending)
    del index, orders, pending
    codes = _sorted_unique(np.concatenate(chunks)) if chunks else np.array([], dtype=np.int64)
    del chunks
    for start in range(0, len(codes), 100_000):
        block = codes[start : start + 100_000]
        yield from zip((block // size).tolist(), (block % size).tolist(), strict=True)


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
    exactly as in a registry search. Pairs are scored by `engine.PairScorer`, which gives
    `score_pair`'s probability without its explanation and drops, exactly, the pairs whose
    remaining fields could not lift them to the threshold (birth and sex are compared first,
    the names, which are most of the cost, only as long as the pair can still be kept).
    """
    params = params or parameters()
    threshold = params.threshold if threshold is None else threshold
    dedup = right is None
    population = left if dedup else right
    frequencies, size = _frequencies(population)
    prior = 1.0 / max(size - 1 if dedup else size + 1, 2)
    scorer = PairScorer(params, frequencies=frequencies, prior=prior)
    # each record's comparable parts once, not once per pair it is met in
    left_features = [scorer.features(record) for record in left]
    right_features = left_features if dedup else [scorer.features(record) for record in right]
    started = datetime.datetime.now(tz=datetime.UTC)
    pairs: list[Pair] = []
    compared = 0
    for i, j in block_pairs(left, right):
        compared += 1
        if progress and compared % 50_000 == 0:
            elapsed = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
            progress(
                _("{count} pairs compared, {found} kept ({seconds:.0f} s)").format(
                    count=compared, found=len(pairs), seconds=elapsed
                )
            )
        value = scorer.probability(left_features[i], right_features[j], floor=threshold)
        if value is not None and value >= threshold:
            pairs.append(Pair(str(left[i].ref), str(population[j].ref), round(value, 4)))
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
