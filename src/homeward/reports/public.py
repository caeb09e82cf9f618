"""The public statistics: children returned, by nationality and month, suppressed.

Built from *batches* (one per completed operation: handover date, home state, children
handed over), so the same code serves the live database (`queries.returned_batches`) and
the demo plan in tests. Every published count is an entry of one `Suppressor`, tied by the
sums a reader could form: an operation's size is part of its nationality-month cell, cells
add up to nationality totals and to month totals, months add up to the running total.
Nothing here names a facility, a case or a person.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from homeward.reports.suppression import Cell, Suppressor

__all__ = [
    "PUBLISHED_SERIES",
    "BatchRow",
    "PublicFigures",
    "PublishedTotal",
    "build_public_figures",
]


@dataclass(frozen=True)
class PublishedTotal:
    """A running total Iraq published (domain.md §0.4): the public figures as of `as_of`
    must show `children`, the latest handover by then must be `latest` (state, children)
    when the statement named it, and `nationalities` the totals it gave per state."""

    as_of: datetime.date
    children: int
    latest: tuple[str, int] | None
    nationalities: tuple[tuple[str, int], ...] = ()
    source: str = ""


# The MFA series. MOLSA's 18 orphans of 9 Feb 2018 are its own count, not this series; the
# 940 statement is from 2020 with no known day, so it is checked at the end of 2020.
PUBLISHED_SERIES: tuple[PublishedTotal, ...] = (
    PublishedTotal(datetime.date(2019, 7, 15), 473, ("RU", 33), source="S1, S2, S4"),
    PublishedTotal(datetime.date(2019, 10, 15), 537, ("UZ", 64), source="S35, S34"),
    PublishedTotal(datetime.date(2019, 12, 18), 598, None, source="S36"),
    PublishedTotal(datetime.date(2020, 3, 4), 828, ("AZ", 82), source="S37"),
    PublishedTotal(
        datetime.date(2020, 12, 31), 940, ("AZ", 112), (("AZ", 248),), source="S38 [date U]"
    ),
)


@dataclass(frozen=True)
class BatchRow:
    """One operation's children handed over (adults never counted)."""

    handed_over_on: datetime.date
    state: str
    state_name: str
    children: int
    reference: str = ""


@dataclass
class PublicFigures:
    as_of: datetime.date
    threshold: int
    total: Cell
    months: list[str] = field(default_factory=list)
    # (month "YYYY-MM", returned that month, cumulative by the end of it)
    monthly: list[tuple[str, Cell, Cell]] = field(default_factory=list)
    # (code, name, cumulative total)
    nationalities: list[tuple[str, str, Cell]] = field(default_factory=list)
    # (code, month) -> returned that month
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    # (date, code, name, children)
    operations: list[tuple[datetime.date, str, str, Cell]] = field(default_factory=list)
    last_operation: BatchRow | None = None

    def as_dict(self) -> dict:
        """JSON-ready: withheld counts are null with a `shown` string beside them."""

        def cell(value: Cell) -> dict:
            return {"count": value.public, "shown": str(value.shown)}

        return {
            "as_of": self.as_of.isoformat(),
            "threshold": self.threshold,
            "definition": (
                "Children handed over by Iraq to their home state at a recorded handover; "
                "counted on the handover date. Adults are not counted."
            ),
            "total_returned": cell(self.total),
            "by_month": [
                {"month": month, "returned": cell(n), "cumulative": cell(c)}
                for month, n, c in self.monthly
            ],
            "by_nationality": [
                {
                    "nationality": code,
                    "name": name,
                    "returned": cell(total),
                    "by_month": {
                        month: cell(self.cells[(code, month)])
                        for month in self.months
                        if self.cells[(code, month)].value
                    },
                }
                for code, name, total in self.nationalities
            ],
            "operations": [
                {"date": day.isoformat(), "nationality": code, "children": cell(n)}
                for day, code, _name, n in self.operations
            ],
        }


def build_public_figures(
    batches: list[BatchRow], *, as_of: datetime.date, threshold: int = 5
) -> PublicFigures:
    """Suppressed figures of the batches handed over on or before `as_of`."""
    batches = sorted(
        (b for b in batches if b.handed_over_on <= as_of and b.children > 0),
        key=lambda b: (b.handed_over_on, b.state, b.reference),
    )
    names = {b.state: b.state_name for b in batches}
    months = sorted({b.handed_over_on.strftime("%Y-%m") for b in batches})
    states = sorted(
        names, key=lambda code: (-sum(b.children for b in batches if b.state == code), code)
    )
    by_cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, batch in enumerate(batches):
        by_cell[(batch.state, batch.handed_over_on.strftime("%Y-%m"))].append(index)

    suppressor = Suppressor(threshold)
    for index, batch in enumerate(batches):
        suppressor.add(("op", index), batch.children, cost=0)
    for state in states:
        for month in months:
            members = by_cell.get((state, month), [])
            key = ("cell", state, month)
            suppressor.add(key, sum(batches[i].children for i in members), cost=1)
            suppressor.add_line([("op", i) for i in members], key)
        row = [("cell", state, month) for month in months]
        suppressor.add(("nat", state), sum(suppressor.values[k] for k in row), cost=2)
        suppressor.add_line(row, ("nat", state))
    running = 0
    previous = None
    for month in months:
        column = [("cell", state, month) for state in states]
        month_total = sum(suppressor.values[k] for k in column)
        suppressor.add(("month", month), month_total, cost=2)
        suppressor.add_line(column, ("month", month))
        running += month_total
        suppressor.add(("cum", month), running, cost=3)
        parts = [("month", month)] if previous is None else [previous, ("month", month)]
        suppressor.add_line(parts, ("cum", month))
        previous = ("cum", month)
    suppressor.add("total", running, cost=4)
    suppressor.add_line([("nat", state) for state in states], "total")
    if previous is not None:
        suppressor.add_line([previous], "total")
    result = suppressor.run()

    return PublicFigures(
        as_of=as_of,
        threshold=threshold,
        total=result["total"],
        months=months,
        monthly=[(m, result[("month", m)], result[("cum", m)]) for m in months],
        nationalities=[(code, names[code], result[("nat", code)]) for code in states],
        cells={(code, m): result[("cell", code, m)] for code in states for m in months},
        operations=[
            (b.handed_over_on, b.state, b.state_name, result[("op", i)])
            for i, b in enumerate(batches)
        ],
        last_operation=batches[-1] if batches else None,
    )
