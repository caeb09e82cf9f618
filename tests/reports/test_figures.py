"""Each dashboard figure on the fixed world of conftest.py, with exact numbers and scope."""

import datetime

from homeward.reports import queries
from homeward.reports.queries import ReportFilters
from tests.reports.conftest import TODAY


def test_returns_cumulative_counts_boarded_children_at_a_recorded_handover(users, world, filters):
    result = queries.returns_cumulative(users["mfa.officer"], filters)
    assert result == {
        "dates": [datetime.date(2019, 7, 10), datetime.date(2019, 10, 15)],
        "series": {"RU": [3, 3], "TJ": [0, 2]},
        "totals": {"RU": 3, "TJ": 2},
    }


def test_a_consul_counts_only_its_own_returns(users, world, filters):
    result = queries.returns_cumulative(users["consul.ru"], filters)
    assert result == {
        "dates": [datetime.date(2019, 7, 10)],
        "series": {"RU": [3]},
        "totals": {"RU": 3},
    }


def test_returns_by_month_and_by_operation(users, world, filters):
    officer = users["mfa.officer"]
    assert queries.returns_by_month(officer, filters) == [
        {"month": "2019-07", "home_state": "RU", "children": 3},
        {"month": "2019-10", "home_state": "TJ", "children": 2},
    ]
    rows = queries.returns_by_operation(officer, filters)
    assert [(r["reference"], r["home_state"], r["date"], r["children"]) for r in rows] == [
        ("RU-2019-07-10", "RU", datetime.date(2019, 7, 10), 3),
        ("TJ-2019-10-15", "TJ", datetime.date(2019, 10, 15), 2),
    ]


def test_the_period_filter_uses_the_handover_date(users, world):
    period = ReportFilters(
        date_from=datetime.date(2019, 8, 1), date_to=datetime.date(2019, 12, 31), today=TODAY
    )
    assert queries.returns_cumulative(users["mfa.officer"], period)["totals"] == {"TJ": 2}


def test_pending_by_stage(users, world, filters):
    assert queries.pending_by_stage(users["mfa.officer"], filters) == [
        {"home_state": "RU", "status": "REGISTERED", "cases": 2},
        {"home_state": "RU", "status": "VERIFICATION", "cases": 1},
        {"home_state": "TJ", "status": "APPROVED", "cases": 1},
        {"home_state": "TJ", "status": "REGISTERED", "cases": 2},
    ]
    assert queries.pending_by_stage(users["consul.ru"], filters) == [
        {"home_state": "RU", "status": "REGISTERED", "cases": 2},
        {"home_state": "RU", "status": "VERIFICATION", "cases": 1},
    ]


def test_the_home_state_filter_narrows_every_figure(users, world):
    only_tj = ReportFilters(home_states=("TJ",), today=TODAY)
    assert queries.pending_by_stage(users["mfa.officer"], only_tj) == [
        {"home_state": "TJ", "status": "APPROVED", "cases": 1},
        {"home_state": "TJ", "status": "REGISTERED", "cases": 2},
    ]
    # a consul asking for another state's figures gets nothing, not that state's numbers
    assert queries.pending_by_stage(users["consul.ru"], only_tj) == []


def test_pending_by_blocker_counts_each_pending_case_once(users, world, filters):
    rows = queries.pending_by_blocker(users["mfa.officer"], filters)
    per_state = {}
    for row in rows:
        per_state[row["home_state"]] = per_state.get(row["home_state"], 0) + row["cases"]
        assert row["blocker"]
    assert per_state == {"RU": 3, "TJ": 3}
    assert {
        row["home_state"] for row in queries.pending_by_blocker(users["consul.tj"], filters)
    } == {"TJ"}


def test_time_in_limbo_runs_from_first_custody_to_the_handover(users, world, filters):
    rows = queries.time_in_limbo(users["mfa.officer"], filters)
    tj_3_8 = [r for r in rows if r["home_state"] == "TJ" and r["age_band"] == "3–8"]
    # the two returned: custody since 2018-01-10, handed over 2019-10-15 (aged 7 then);
    # tj_child, still held (aged 8): custody since 2018-01-10 to 2026-03-01
    held = (TODAY - datetime.date(2018, 1, 10)).days
    assert held == 2972
    assert tj_3_8 == [
        {
            "home_state": "TJ",
            "age_band": "3–8",
            "children": 3,
            "median_days": 643,
            "p90_days": held,
            "max_days": held,
        }
    ]
    ru_9_14 = next(r for r in rows if r["home_state"] == "RU" and r["age_band"] == "9–14")
    assert ru_9_14["children"] == 2  # ru_child (10), ru_brother (11); ru_nine is 8
    assert ru_9_14["max_days"] == held


def test_stage_cycle_times(users, world, filters):
    assert queries.stage_cycle_times(users["mfa.officer"], filters) == [
        {
            "home_state": "RU",
            "status": "REGISTERED",
            "stays": 1,
            "median_days": 10.0,
            "max_days": 10.0,
        }
    ]
    assert queries.stage_cycle_times(users["consul.tj"], filters) == []


def test_age_watchlist_flags_estimated_dates(users, world, filters):
    rows = queries.age_watchlist(users["mfa.officer"], filters)
    assert [
        (r["reference"], r["threshold"], r["turns_on"], r["within_30_days"], r["estimated"])
        for r in rows
    ] == [
        (world["tj_small"].case.reference, 3, datetime.date(2026, 4, 15), False, True),
        (world["ru_nine"].case.reference, 9, datetime.date(2026, 3, 15), True, False),
    ]
    consul_rows = queries.age_watchlist(users["consul.ru"], filters)
    assert [r["reference"] for r in consul_rows] == [world["ru_nine"].case.reference]


def test_juveniles_and_mothers(users, world, filters):
    officer = users["mfa.officer"]
    assert queries.juveniles_in_proceedings(officer, filters) == [
        {"home_state": "RU", "in_proceedings": 1, "serving": 0, "turning_18_before_release": 0}
    ]
    assert queries.mothers_sentenced(officer, filters) == [
        {"home_state": "RU", "sentence": "death", "children": 1}
    ]
    assert queries.mothers_sentenced(users["consul.tj"], filters) == []
    assert queries.juveniles_in_proceedings(users["consul.tj"], filters) == []


def test_dna_pipeline_hides_conclusions_without_the_grant(users, world, filters):
    officer = users["mfa.officer"]
    assert queries.dna_pipeline(officer, filters) == {
        "samples_collected": 2,
        "samples_awaiting_comparison": 1,
        "comparisons_reported": 1,
        "by_lab": [{"lab": "MoH Central Lab", "comparisons": 1}],
        "conclusions": None,
    }
    consul = queries.dna_pipeline(users["consul.tj"], filters)
    assert (consul["samples_collected"], consul["comparisons_reported"]) == (1, 0)


def test_follow_up_compliance(users, world, filters):
    assert queries.follow_up_compliance(users["mfa.officer"], filters) == [
        {"home_state": "RU", "due": 2, "received": 1, "overdue": 1}
    ]
    assert queries.follow_up_compliance(users["consul.tj"], filters) == []


def test_responsiveness_lists_only_states_in_scope(users, world, filters):
    rows = queries.responsiveness(users["consul.ru"], filters)
    assert [row["home_state"] for row in rows] == ["RU"]
    assert rows[0]["notes_sent"] == 0


def test_returned_batches_are_the_public_input(world):
    batches = queries.returned_batches(as_of=datetime.date(2019, 12, 31))
    assert [(b.handed_over_on, b.state, b.children, b.reference) for b in batches] == [
        (datetime.date(2019, 7, 10), "RU", 3, "RU-2019-07-10"),
        (datetime.date(2019, 10, 15), "TJ", 2, "TJ-2019-10-15"),
    ]
    assert queries.returned_batches(as_of=datetime.date(2019, 8, 1))[0].children == 3
    assert len(queries.returned_batches(as_of=datetime.date(2019, 8, 1))) == 1
