"""The figures are computed by the database: same numbers as the Python definitions, and a
number of queries that does not grow with the number of cases."""

import datetime
import statistics

import pytest
from django.db import connection
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext

from homeward.cases.facts import refresh_limbo_facts
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.diplomacy import queries as diplomacy
from homeward.diplomacy import services as diplomacy_services
from homeward.evidence.models import CourtCase, Sentence
from homeward.reports import queries, sql
from homeward.workflow.blockers import refresh_blockers
from homeward.workflow.models import CaseTransition
from tests.conftest import register
from tests.reports.conftest import BAGHDAD, TODAY, _board, _history, _operation

D = datetime.date


def _years(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.mark.parametrize(
    ("born", "on"),
    [
        (D(2008, 2, 29), D(2026, 2, 28)),
        (D(2008, 2, 29), D(2026, 3, 1)),
        (D(2008, 2, 29), D(2028, 2, 29)),
        (D(2014, 5, 2), D(2032, 5, 1)),
        (D(2014, 5, 2), D(2032, 5, 2)),
        (D(2014, 12, 31), D(2015, 1, 1)),
        (D(2020, 6, 1), D(2019, 6, 1)),
    ],
)
def test_years_and_days_in_the_database_are_the_python_ones(db, born, on):
    row = (
        HomeState.objects.annotate(
            years=sql.years_between(born, on),
            days=sql.DaysBetween(sql.as_date(on), sql.as_date(born)),
        )
        .values("years", "days")
        .first()
    )
    assert row == {"years": _years(born, on), "days": (on - born).days}


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2019, 7, 10, 20, 30, tzinfo=datetime.UTC),  # 23:30 in Baghdad
        datetime.datetime(2019, 7, 10, 21, 0, tzinfo=datetime.UTC),  # midnight: the 11th
        datetime.datetime(2005, 7, 1, 20, 30, tzinfo=datetime.UTC),  # summer time then: 00:30
        datetime.datetime(2005, 1, 1, 20, 59, 59, 999999, tzinfo=datetime.UTC),
    ],
)
def test_the_local_date_is_the_baghdad_date(db, moment):
    value = Value(moment, output_field=DateTimeField())
    row = (
        HomeState.objects.annotate(
            local=sql.LocalDate(value, tzinfo=BAGHDAD), django=TruncDate(value, tzinfo=BAGHDAD)
        )
        .values("local", "django")
        .first()
    )
    expected = moment.astimezone(BAGHDAD).date()
    assert row == {"local": expected, "django": expected}


def test_group_summaries_are_the_median_p90_and_maximum_of_each_group(users, world, filters):
    cases = Case.objects.filter(child__date_of_birth__isnull=False)
    summaries = sql.group_summaries(
        cases,
        {"home_state": F("home_state_id")},
        sql.DaysBetween(F("child__date_of_birth"), Value(D(2000, 1, 1))),
    )
    expected = {}
    for code, born in cases.values_list("home_state_id", "child__date_of_birth"):
        expected.setdefault((code,), []).append((born - D(2000, 1, 1)).days)
    assert set(summaries) == set(expected) == {("RU",), ("TJ",)}
    for group, days in expected.items():
        ordered = sorted(days)
        summary = summaries[group]
        assert summary.count == len(days)
        assert summary.median == statistics.median(days)
        assert summary.p90 == ordered[-(-len(days) * 90 // 100) - 1]
        assert summary.maximum == max(days)
    # an even count takes the mean of the two middle values
    assert len(expected[("RU",)]) % 2 == 0


def test_a_sentence_ending_after_the_18th_birthday_is_counted(users, world, filters):
    brother = CourtCase.objects.get(case_number="7/2025")  # ru_brother, born 2014-05-02
    sentence = Sentence.objects.create(
        court_case=brother,
        sentence_type="years",
        status="serving",
        expected_release_on=D(2032, 5, 2),  # the 18th birthday itself: not after it
    )
    officer = users["mfa.officer"]
    assert queries.juveniles_in_proceedings(officer, filters) == [
        {"home_state": "RU", "in_proceedings": 1, "serving": 1, "turning_18_before_release": 0}
    ]
    Sentence.objects.filter(pk=sentence.pk).update(expected_release_on=D(2032, 5, 3))
    assert queries.juveniles_in_proceedings(officer, filters) == [
        {"home_state": "RU", "in_proceedings": 1, "serving": 1, "turning_18_before_release": 1}
    ]
    assert queries.juveniles_in_proceedings(users["consul.tj"], filters) == []


def _note(officer, code, day):
    return diplomacy_services.record_engagement(
        HomeState.objects.get(code=code), actor=officer, kind="note_verbale_out", date=day
    )


def test_responsiveness_is_the_diplomacy_scorecard_grouped(users, world, filters):
    # three notes to Russia: answered after 10 and 30 days, one open for 50 days; one to TJ
    officer = users["mfa.officer"]
    first = _note(officer, "RU", TODAY - datetime.timedelta(days=100))
    second = _note(officer, "RU", TODAY - datetime.timedelta(days=80))
    _note(officer, "RU", TODAY - datetime.timedelta(days=50))
    diplomacy_services.record_reply(first, actor=officer, date=TODAY - datetime.timedelta(days=90))
    diplomacy_services.record_reply(first, actor=officer, date=TODAY - datetime.timedelta(days=60))
    diplomacy_services.record_reply(second, actor=officer, date=TODAY - datetime.timedelta(days=50))
    _note(officer, "TJ", TODAY - datetime.timedelta(days=10))
    CaseTransition.objects.create(
        case=world["tj_left"].case,
        transition="refuse",
        from_status="HOME_STATE_ENGAGED",
        to_status="HOME_STATE_REFUSED",
        at=datetime.datetime(2025, 6, 1, 10, 0, tzinfo=BAGHDAD),
    )
    rows = queries.responsiveness(officer, filters)
    assert rows == [
        {
            "home_state": "RU",
            "notes_sent": 3,
            "notes_answered": 2,
            "median_days_to_reply": 20,
            "open_requests": 1,
            "oldest_open_request_days": 50,
            "refusals": 0,
        },
        {
            "home_state": "TJ",
            "notes_sent": 1,
            "notes_answered": 0,
            "median_days_to_reply": None,
            "open_requests": 1,
            "oldest_open_request_days": 10,
            "refusals": 1,
        },
    ]
    for row in rows:
        state = HomeState.objects.get(code=row["home_state"])
        score = diplomacy.responsiveness(officer, state, today=TODAY)
        assert row == {"home_state": state.code, **score.__dict__}
    assert [row["home_state"] for row in queries.responsiveness(users["consul.tj"], filters)] == [
        "TJ"
    ]


def _queries_per_figure(user, filters):
    counts = {}
    for name, figure in queries.FIGURES.items():
        with CaptureQueriesContext(connection) as captured:
            figure(user, filters)
        counts[name] = len(captured)
    return counts


def _more_cases(officer, prison, code, n, day):
    """n more children of `code`: in custody, with two transitions, boarded and handed over."""
    children = [
        register(
            officer, name=f"إضافي {code} {i}", state=code, facility=prison, born=D(2013, 1, 1 + i)
        )
        for i in range(n)
    ]
    operation = _operation(code, day, officer=officer, reference=f"{code}-MORE-{day}")
    for child in children:
        _board(operation, child)
        start = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=BAGHDAD)
        _history(
            child.case,
            ("register", "", "REGISTERED", start),
            (
                "verify",
                "REGISTERED",
                "VERIFICATION",
                start + datetime.timedelta(days=3 + len(child.case.reference) % 5),
            ),
        )
    Case.objects.filter(child__in=children[: n // 2]).update(status="HANDED_OVER")
    refresh_limbo_facts(case_ids=[child.case.pk for child in children])
    return children


def test_the_number_of_queries_does_not_grow_with_the_cases(users, world, filters, prison):
    officer, consul = users["mfa.officer"], users["consul.ru"]
    queries.dashboard(officer, filters), queries.dashboard(consul, filters)  # scopes cached
    before = _queries_per_figure(officer, filters), _queries_per_figure(consul, filters)
    _more_cases(officer, prison, "RU", 6, D(2020, 2, 2))
    _more_cases(officer, prison, "TJ", 5, D(2021, 3, 3))
    # the six new pending cases (of 11: 5 handed over) have their first blockers evaluated
    # once (workflow.blockers), then stored
    assert refresh_blockers(Case.objects.all(), today=filters.today) == 6
    after = _queries_per_figure(officer, filters), _queries_per_figure(consul, filters)
    # the blockers' figure reads the events since its last evaluation, then the cases they
    # name, one query per kind of link (case, child, relative, home state), and their
    # family groups: more queries when there are some (after) than none (before), never
    # more than 9 whatever the number of cases (up to 2,000 changed cases a chunk)
    for counts in (*before, *after):
        assert counts.pop("pending_by_blocker") <= 9
    assert after == before
    # and the figures that were per-case Python loops are each a few queries
    for name in ("time_in_limbo", "stage_cycle_times", "responsiveness"):
        assert after[0][name] <= 4, name
    assert queries.time_in_limbo(officer, filters)[0]["children"] > 0


def test_an_empty_scope_has_no_summaries(db):
    assert sql.group_summaries(Case.objects.none(), {"s": F("home_state_id")}, Value(1)) == {}
