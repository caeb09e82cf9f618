"""Linking outside lists: `homeward link LEFT.csv [RIGHT.csv]` and `--against-registry`.

A home state sends the list of children it is looking for; UNICEF sends its own. Nothing is
imported: each row becomes the same `Record` a registry person becomes
(`engine.record_from_row`), pairs are found by blocking on the phonetic keys, and each
pair is scored by `engine.score_pair`, the comparator behind the search page, so a pair
scores the same here as there.

Blocking is what keeps this from being n²: two records are compared only when they share a
block key (two name keys of different words, or one name key with a birth year).
Muhammad alone does not make a block; Muhammad with the same family key, or born the same
year, does.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from homeward.matching.engine import (
    Parameters,
    Record,
    given_keys,
    parameters,
    record_from_row,
    registry_records,
    score_pair,
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
# A block larger than this (a common name pair in a huge list) is skipped for the year rules
# only; the name-pair rules keep those people reachable.
MAX_YEAR_BLOCK = 2000

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


def block_pairs(
    left: Sequence[Record], right: Sequence[Record] | None = None
) -> Iterator[tuple[int, int]]:
    """Index pairs (left, right) sharing a block key; with one list, pairs i < j of it.

    The right side is indexed under its own years, the left looked up under its years
    ± YEAR_TOLERANCE, so each pair is found whichever side carries the estimate.
    """
    dedup = right is None
    indexed = left if dedup else right
    index: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(indexed):
        for key in _block_keys(record, 0):
            index[key].append(position)
    for position, record in enumerate(left):
        found: set[int] = set()
        for key in _block_keys(record, YEAR_TOLERANCE):
            members = index.get(key)
            if not members or (key[0] != "n" and len(members) > MAX_YEAR_BLOCK):
                continue
            found.update(members)
        for other in sorted(found):
            # the year tolerance is symmetric, so with one list the pair is also found from
            # the other side: keep it once, from the lower index
            if not dedup or other > position:
                yield (position, other)


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
    exactly as in a registry search.
    """
    params = params or parameters()
    threshold = params.threshold if threshold is None else threshold
    dedup = right is None
    population = left if dedup else right
    frequencies, size = _frequencies(population)
    prior = 1.0 / max(size - 1 if dedup else size + 1, 2)
    started = datetime.datetime.now(tz=datetime.UTC)
    pairs: list[Pair] = []
    compared = 0
    for i, j in block_pairs(left, right):
        a, b = left[i], population[j]
        value, _comparisons = score_pair(a, b, params, frequencies=frequencies, prior=prior)
        compared += 1
        if progress and compared % 50_000 == 0:
            elapsed = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
            progress(
                _("{count} pairs compared, {found} kept ({seconds:.0f} s)").format(
                    count=compared, found=len(pairs), seconds=elapsed
                )
            )
        if value >= threshold:
            pairs.append(Pair(str(a.ref), str(b.ref), round(value, 4)))
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
