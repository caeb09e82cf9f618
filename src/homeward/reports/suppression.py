"""Small-cell suppression for public figures: pure Python, no database.

The published figures are a set of *entries* (counts) tied together by *lines*: each line
says that some entries (the parts) add up to another entry (the whole), e.g. the cells of a
row and the row total, or yesterday's cumulative total, today's batch and today's
cumulative total. The method (docs/statistics.md, "Small cells"):

1. **Primary suppression.** An entry above zero and below the threshold (default 5,
   setting ``HOMEWARD_PUBLIC_MIN_CELL``) is hidden and shown as "<5".
2. **Fully suppressed rows.** A whole whose non-zero parts are all small (primary) is
   hidden too: the total of a fully suppressed row.
3. **Complementary suppression.** A line with exactly one hidden entry would give it
   away (whole minus the visible parts), so the next-smallest visible non-zero entry of
   that line is hidden as well (parts before the whole; entries may carry a cost, so a
   batch size is given up before a cumulative total). Repeat until stable.
4. **Audit.** Lines can combine (a row and a column, a series and a nationality total),
   so the hidden entries are then checked exactly: each hidden entry is recoverable iff
   it takes one value in every solution of the published equations (Gaussian elimination
   over the rationals). Any recoverable entry makes its lines hide one more entry, and
   the audit runs again. Complementary cells are shown as "x", never as "<5".

Bounds (a hidden pair summing to 5 must be small) are not audited; the threshold already
says a hidden primary cell is between 1 and threshold − 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "COMPLEMENTARY",
    "PRIMARY",
    "Cell",
    "SuppressedTable",
    "Suppressor",
    "recoverable",
    "suppress_table",
]

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
TOTAL = "__total__"


@dataclass(frozen=True)
class Cell:
    """One published count: its value is withheld from output when `suppressed` is set."""

    value: int
    suppressed: str = ""  # "", PRIMARY or COMPLEMENTARY
    threshold: int = 5

    @property
    def shown(self) -> int | str:
        """What the public sees: the count, "<5" for a small cell, "x" for a complementary one."""
        if self.suppressed == PRIMARY:
            return f"<{self.threshold}"
        if self.suppressed == COMPLEMENTARY:
            return "x"
        return self.value

    @property
    def public(self) -> int | None:
        """The count, or None when it is withheld (for JSON)."""
        return None if self.suppressed else self.value


@dataclass
class Suppressor:
    """Entries (key → count) and lines (parts add up to whole); `run()` decides what to hide."""

    threshold: int = 5
    values: dict[Hashable, int] = field(default_factory=dict)
    lines: list[tuple[tuple[Hashable, ...], Hashable]] = field(default_factory=list)
    costs: dict[Hashable, int] = field(default_factory=dict)

    def add(self, key: Hashable, value: int, *, cost: int = 0) -> None:
        """`cost` ranks complements: the cheapest entry of a line is hidden first."""
        self.values[key] = int(value)
        self.costs[key] = cost

    def add_line(self, parts: Iterable[Hashable], whole: Hashable) -> None:
        parts = tuple(parts)
        if parts:
            self.lines.append((parts, whole))

    def run(self) -> dict[Hashable, Cell]:
        hidden: dict[Hashable, str] = {
            key: PRIMARY for key, value in self.values.items() if 0 < value < self.threshold
        }
        while True:
            changed = self._complete_lines(hidden)
            exposed = recoverable(self.values, self.lines, hidden)
            if not exposed:
                if not changed:
                    break
                continue
            grew = False
            for key in exposed:
                for parts, whole in self.lines:
                    members = (*parts, whole)
                    if key in members and self._hide_next(members, parts, hidden):
                        grew = True
                        break
            if not grew:  # nothing left to hide beside them: hide the exposed entries' wholes
                for key in exposed:
                    for parts, whole in self.lines:
                        if key in parts and whole not in hidden:
                            hidden[whole] = COMPLEMENTARY
                            grew = True
                if not grew:
                    break
        return {
            key: Cell(value, hidden.get(key, ""), self.threshold)
            for key, value in self.values.items()
        }

    def _complete_lines(self, hidden: dict, *, lookahead: bool = True) -> bool:
        changed_any = False
        changed = True
        while changed:
            changed = False
            for parts, whole in self.lines:
                nonzero = [key for key in parts if self.values[key]]
                if (
                    nonzero
                    and whole not in hidden
                    and all(hidden.get(key) == PRIMARY for key in nonzero)
                ):
                    hidden[whole] = COMPLEMENTARY
                    changed = True
                members = (*parts, whole)
                if sum(1 for key in members if key in hidden) == 1:
                    changed |= self._hide_next(members, parts, hidden, lookahead=lookahead)
            changed_any |= changed
        return changed_any

    def _hide_next(self, members, parts, hidden: dict, *, lookahead: bool = True) -> bool:
        """Hide one more visible non-zero entry of the line (a part if any); True if any.

        The choice is the one that ends up hiding least: each candidate is tried and the
        cascade it sets off (greedy, one level) is weighed by the cost of what it hides, so
        a batch size goes before a month total, and a month total before the running total.
        """
        candidates = [key for key in parts if key not in hidden and self.values[key]]
        if not candidates:
            candidates = [key for key in members if key not in hidden and self.values[key]]
        if not candidates:
            return False
        ranked = sorted(candidates, key=lambda key: (self.costs[key], self.values[key], str(key)))
        if lookahead and len(ranked) > 1:
            ranked.sort(
                key=lambda key: (
                    self._loss(key, hidden),
                    self.costs[key],
                    self.values[key],
                    str(key),
                )
            )
        hidden[ranked[0]] = COMPLEMENTARY
        return True

    def _loss(self, key, hidden: dict) -> int:
        """What hiding `key` costs once the greedy cascade it sets off has run."""
        trial = dict(hidden)
        trial[key] = COMPLEMENTARY
        self._complete_lines(trial, lookahead=False)
        return sum(self.costs[k] + 1 for k in trial if k not in hidden)


def recoverable(values: dict, lines: list, hidden: Iterable[Hashable]) -> list[Hashable]:
    """The hidden entries whose exact value follows from the visible ones and the lines."""
    unknowns = [key for key in values if key in set(hidden)]
    if not unknowns:
        return []
    column = {key: index for index, key in enumerate(unknowns)}
    rows = []
    for parts, whole in lines:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in [*((part, 1) for part in parts), (whole, -1)]:
            if key in column:
                row[column[key]] += sign
        if any(row):
            rows.append(row)
    pivots = _reduce(rows, len(unknowns))
    exposed = []
    for row_index, pivot in pivots:
        row = rows[row_index]
        if all(value == 0 for index, value in enumerate(row) if index != pivot):
            exposed.append(unknowns[pivot])
    return exposed


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; returns (row, pivot column) pairs."""
    pivots = []
    lead = 0
    for col in range(width):
        found = next((r for r in range(lead, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[lead], rows[found] = rows[found], rows[lead]
        pivot = rows[lead][col]
        rows[lead] = [value / pivot for value in rows[lead]]
        for r in range(len(rows)):
            if r != lead and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[lead], strict=True)]
        pivots.append((lead, col))
        lead += 1
        if lead == len(rows):
            break
    return pivots


@dataclass
class SuppressedTable:
    """A table with row and column totals, every count a Cell."""

    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[tuple[Hashable, Hashable], Cell]
    row_totals: dict[Hashable, Cell]
    column_totals: dict[Hashable, Cell]
    total: Cell


def suppress_table(
    counts: dict[Hashable, dict[Hashable, int]],
    *,
    columns: list[Hashable] | None = None,
    threshold: int = 5,
) -> SuppressedTable:
    """Rows × columns of counts, with margins, suppressed by the method above."""
    rows = list(counts)
    columns = columns or sorted({col for row in counts.values() for col in row}, key=str)
    suppressor = Suppressor(threshold)
    for row in rows:
        for col in columns:
            suppressor.add(("cell", row, col), counts[row].get(col, 0))
        suppressor.add(("row", row), sum(counts[row].get(col, 0) for col in columns))
        suppressor.add_line([("cell", row, col) for col in columns], ("row", row))
    for col in columns:
        suppressor.add(("col", col), sum(counts[row].get(col, 0) for row in rows))
        suppressor.add_line([("cell", row, col) for row in rows], ("col", col))
    suppressor.add(TOTAL, sum(suppressor.values[("row", row)] for row in rows))
    suppressor.add_line([("row", row) for row in rows], TOTAL)
    suppressor.add_line([("col", col) for col in columns], TOTAL)
    result = suppressor.run()
    return SuppressedTable(
        rows=rows,
        columns=columns,
        cells={(row, col): result[("cell", row, col)] for row in rows for col in columns},
        row_totals={row: result[("row", row)] for row in rows},
        column_totals={col: result[("col", col)] for col in columns},
        total=result[TOTAL],
    )
