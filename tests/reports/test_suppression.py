"""Small-cell suppression: primary "<5", complementary "x", and nothing recoverable."""

import datetime

import pytest

from homeward.core.demo.builder import BATCHES
from homeward.reports.public import BatchRow, build_public_figures
from homeward.reports.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    Suppressor,
    recoverable,
    suppress_table,
)


def test_a_3_beside_its_row_and_column_totals_cannot_be_derived():
    # given a table whose only small cell is RU 2020 = 3
    table = suppress_table(
        {"RU": {"2019": 30, "2020": 3}, "TJ": {"2019": 20, "2020": 10}, "UZ": {"2019": 12}},
        threshold=5,
    )
    # then the 3 is shown as "<5"
    assert table.cells[("RU", "2020")].shown == "<5"
    assert table.cells[("RU", "2020")].suppressed == PRIMARY
    # and one more cell of its row and one of its column are withheld as "x"
    row_hidden = [col for col in table.columns if table.cells[("RU", col)].suppressed]
    col_hidden = [row for row in table.rows if table.cells[(row, "2020")].suppressed]
    assert row_hidden == ["2019", "2020"]
    assert col_hidden == ["RU", "TJ"]
    assert table.cells[("RU", "2019")].shown == "x"
    assert table.cells[("TJ", "2020")].shown == "x"
    # and TJ's row gives up a second cell too, so TJ 2020 is not its total minus 2019
    assert table.cells[("TJ", "2019")].suppressed == COMPLEMENTARY
    # while the totals stay published
    assert table.row_totals["RU"].shown == 33
    assert table.column_totals["2020"].shown == 13
    assert table.total.shown == 75
    # and solving the published sums recovers no hidden cell
    assert _recoverable_cells(table) == []


def _recoverable_cells(table):
    values, lines = {}, []
    for (row, col), cell in table.cells.items():
        values[("c", row, col)] = cell
    for row in table.rows:
        values[("r", row)] = table.row_totals[row]
        lines.append(([("c", row, col) for col in table.columns], ("r", row)))
    for col in table.columns:
        values[("k", col)] = table.column_totals[col]
        lines.append(([("c", row, col) for row in table.rows], ("k", col)))
    values["t"] = table.total
    lines.append(([("r", row) for row in table.rows], "t"))
    hidden = [key for key, cell in values.items() if cell.suppressed]
    return recoverable({k: c.value for k, c in values.items()}, lines, hidden)


def test_the_total_of_a_fully_suppressed_row_is_suppressed():
    # given a nationality with one small cell only
    table = suppress_table({"FI": {"2019": 3}, "RU": {"2019": 30}, "TJ": {"2019": 20}})
    # then its total is withheld as well, and the column gives up another cell
    assert table.row_totals["FI"].shown == "<5"
    assert [r for r in table.rows if table.cells[(r, "2019")].suppressed] == ["FI", "TJ"]
    assert table.row_totals["TJ"].suppressed == COMPLEMENTARY
    assert table.total.shown == 53
    assert _recoverable_cells(table) == []


def test_zero_and_large_cells_are_shown():
    table = suppress_table({"RU": {"2019": 30, "2020": 0}, "TJ": {"2019": 5, "2020": 7}})
    assert {key: cell.shown for key, cell in table.cells.items()} == {
        ("RU", "2019"): 30,
        ("RU", "2020"): 0,
        ("TJ", "2019"): 5,
        ("TJ", "2020"): 7,
    }


def test_the_threshold_is_configurable():
    table = suppress_table({"RU": {"a": 7, "b": 9}, "TJ": {"a": 20, "b": 30}}, threshold=8)
    assert table.cells[("RU", "a")].shown == "<8"


def test_the_audit_catches_what_single_lines_miss():
    # given x + y = 10 and x + z = 12 with y and z published: x follows from either line
    assert recoverable({"x": 3, "y": 7, "s": 10}, [(("x", "y"), "s")], ["x"]) == ["x"]
    # two hidden entries on one line are not recoverable
    assert recoverable({"x": 3, "y": 7, "s": 10}, [(("x", "y"), "s")], ["x", "y"]) == []
    # but a second line through one of them gives both away
    lines = [(("x", "y"), "s"), (("y",), "t")]
    assert sorted(recoverable({"x": 3, "y": 7, "s": 10, "t": 7}, lines, ["x", "y"])) == [
        "x",
        "y",
    ]


def test_suppressor_hides_until_nothing_is_recoverable():
    s = Suppressor(5)
    for key, value in {"a": 3, "b": 40, "c": 50, "ab": 43, "bc": 90}.items():
        s.add(key, value)
    s.add_line(["a", "b"], "ab")
    s.add_line(["b", "c"], "bc")
    result = s.run()
    hidden = [key for key, cell in result.items() if cell.suppressed]
    assert result["a"].shown == "<5"
    assert recoverable(s.values, s.lines, hidden) == []
    assert len(hidden) >= 3


PUBLISHED = [
    (datetime.date(2019, 7, 15), 473),
    (datetime.date(2019, 10, 15), 537),
    (datetime.date(2019, 12, 18), 598),
    (datetime.date(2020, 3, 4), 828),
    (datetime.date(2020, 12, 31), 940),
]


@pytest.mark.parametrize(("as_of", "total"), PUBLISHED)
def test_the_demo_plan_reproduces_the_published_series(as_of, total):
    # given the demo's historical batches, as operations would report them
    batches = [BatchRow(b.handed_over_on, b.state, b.state, b.children) for b in BATCHES]
    # when the public figures are built as of a statement's date
    figures = build_public_figures(batches, as_of=as_of)
    # then the total is the ministry's published figure
    assert figures.total.shown == total


def test_the_full_demo_series_keeps_every_monthly_total_and_hides_the_small_batches():
    batches = [BatchRow(b.handed_over_on, b.state, b.state, b.children) for b in BATCHES]
    figures = build_public_figures(batches, as_of=datetime.date(2025, 10, 1))
    cumulative = {month: c.shown for month, _n, c in figures.monthly}
    assert cumulative["2019-07"] == 473
    assert cumulative["2019-10"] == 537
    assert cumulative["2019-12"] == 598
    assert cumulative["2020-03"] == 828
    assert cumulative["2020-10"] == 940
    nationalities = {code: total.shown for code, _name, total in figures.nationalities}
    assert nationalities["AZ"] == 248
    assert nationalities["RU"] == 122
    assert nationalities["FI"] == "<5"
    sizes = [(day.isoformat(), code, n.shown) for day, code, _name, n in figures.operations]
    assert ("2019-06-26", "FI", "<5") in sizes
    assert ("2019-07-10", "RU", 33) in sizes
    # and no withheld count can be solved from what is published
    body = figures.as_dict()
    assert all(
        entry["children"]["count"] is None
        for entry in body["operations"]
        if entry["children"]["shown"] in ("<5", "x")
    )
