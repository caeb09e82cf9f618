"""The stored facts the statistics read are kept by the services that change their sources.

Stage cycle times read `CaseTransition.left_at` (set by workflow.services.move when the
case's next transition is recorded); time in limbo reads `Case.held_since` and
`Case.handed_over_at` (cases.facts, refreshed by registration, custody moves, completing an
operation, merges). The data migrations fill them for existing rows the same way.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from homeward.cases.facts import fill_limbo_facts
from homeward.cases.models import Case
from homeward.operations import services as ops
from homeward.operations.models import Handover, ManifestEntry
from homeward.people import services as people
from homeward.people.models import CustodyEpisode
from homeward.reports import queries
from homeward.workflow.models import CaseTransition
from tests.operations.conftest import new_child, ready
from tests.operations.test_services import executing_with, handed
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db

fill_left_at = importlib.import_module(
    "homeward.workflow.migrations.0003_casetransition_left_at"
).fill_left_at


def _history(case):
    return list(
        CaseTransition.objects.filter(case=case)
        .order_by("at")
        .values_list("transition", "at", "left_at")
    )


def _completed(world, *cases):
    operation = handed(world, executing_with(world, *cases), *cases)
    return ops.complete_operation(
        operation, actor=world["mfa.protocol"], expected_version=operation.version
    )


def test_each_transition_ends_the_previous_stay(world):
    # given a case scheduled on an operation (a recorded transition, its stay still open)
    amina = ready(world, new_child(world, "أمينة").case)
    operation = executing_with(world, amina)
    [(name, scheduled_at, left_at)] = _history(amina)
    assert (name, left_at) == ("scheduled", None)
    # when the operation completes (the next transition of the case)
    operation = handed(world, operation, amina)
    ops.complete_operation(
        operation, actor=world["mfa.protocol"], expected_version=operation.version
    )
    # then the scheduled stay ended at the handed-over transition, which is still open
    (_, first_at, first_left), (last, last_at, last_left) = _history(amina)
    assert (first_at, first_left, last, last_left) == (scheduled_at, last_at, "handed_over", None)
    # and the stage cycle time counts that one closed stay
    filters = queries.ReportFilters(home_states=("RU",), today=timezone.localdate())
    [row] = queries.stage_cycle_times(world["mfa.officer"], filters)
    assert (row["status"], row["stays"]) == ("SCHEDULED", 1)
    assert row["max_days"] == round((last_at - scheduled_at).total_seconds() / 86400, 1)


def test_registration_and_a_first_placement_set_where_limbo_starts(world, prison):
    officer = world["mfa.officer"]
    # registered in custody: limbo starts with the custody (the registry's 2018-01-10)
    assert fresh(world["ru_child"].case).held_since == datetime.date(2018, 1, 10)
    # registered without a placement: the case's opening, as a Baghdad date
    child = new_child(world, "يوسف", sex="male")
    case = fresh(child.case)
    assert case.held_since == timezone.localdate(case.opened_at)
    assert case.handed_over_at is None
    # a first placement recorded later, dated before the opening, starts it earlier
    people.record_custody_move(
        child, actor=officer, facility=prison, started_on=datetime.date(2017, 5, 4)
    )
    assert fresh(case).held_since == datetime.date(2017, 5, 4)
    # a later move does not change when it started
    people.record_custody_move(
        child, actor=officer, facility=prison, started_on=datetime.date(2020, 1, 1)
    )
    assert fresh(case).held_since == datetime.date(2017, 5, 4)


def test_completing_an_operation_stores_the_handover_and_time_in_limbo_reads_it(world, prison):
    # given a child under three (the only one in that band), placed a month after birth
    born = timezone.localdate() - datetime.timedelta(days=400)
    child = new_child(world, "أمينة", born=born)
    placed = born + datetime.timedelta(days=30)
    people.record_custody_move(
        child, actor=world["mfa.officer"], facility=prison, started_on=placed
    )
    amina = ready(world, child.case)
    assert (fresh(amina).held_since, fresh(amina).handed_over_at) == (placed, None)
    # when handed over
    _completed(world, amina)
    # then the case holds the handover's moment, and its limbo ends on that day
    handover = Handover.objects.get(operation__entries__case=amina)
    assert fresh(amina).handed_over_at == handover.handed_over_at
    filters = queries.ReportFilters(home_states=("RU",), today=timezone.localdate())
    rows = queries.time_in_limbo(world["mfa.officer"], filters)
    days = (timezone.localdate(handover.handed_over_at) - placed).days
    assert [row for row in rows if row["age_band"] == "<3"] == [
        {
            "home_state": "RU",
            "age_band": "<3",
            "children": 1,
            "median_days": days,
            "p90_days": days,
            "max_days": days,
        }
    ]


def test_the_backfills_recompute_what_the_services_stored(world):
    # given cases and transitions written by the services
    amina = ready(world, new_child(world, "أمينة").case)
    _completed(world, amina)
    facts = list(Case.objects.order_by("pk").values_list("pk", "held_since", "handed_over_at"))
    stays = list(CaseTransition.objects.order_by("pk").values_list("pk", "left_at"))
    assert any(left for _pk, left in stays) and any(handed for *_x, handed in facts)
    # when the stored facts are lost (the rows as they were before the migrations)
    Case.objects.update(held_since=None, handed_over_at=None)
    CaseTransition.objects.update(left_at=None)
    # then the migrations' fills give them back exactly
    fill_limbo_facts(Case.objects.all(), CustodyEpisode, ManifestEntry)
    fill_left_at(apps, None)
    assert (
        list(Case.objects.order_by("pk").values_list("pk", "held_since", "handed_over_at")) == facts
    )
    assert list(CaseTransition.objects.order_by("pk").values_list("pk", "left_at")) == stays


def test_the_bulk_writer_sets_where_limbo_starts_as_register_child_does(world, prison):
    from django.db import transaction

    from homeward.core.models import HomeState

    bulk = people.BulkRegistration(world["moj.registrar"])
    state = HomeState.objects.get(code="RU")
    names = [{"full_text": "سارة", "name_type": "prison_register"}]
    fields = {"sex": "female", "date_of_birth": datetime.date(2015, 1, 1), "dob_precision": "day"}
    with transaction.atomic():
        placed = bulk.child(
            fields=fields,
            names=names,
            home_state=state,
            custody={"facility": prison, "started_on": datetime.date(2019, 4, 2)},
        )
        unplaced = bulk.child(
            fields=fields, names=[{**names[0], "full_text": "هدى"}], home_state=state
        )
        bulk.flush()
    assert Case.objects.get(child=placed).held_since == datetime.date(2019, 4, 2)
    case = Case.objects.get(child=unplaced)
    assert case.held_since == timezone.localdate(case.opened_at)


def test_the_refresh_finds_a_cases_boarded_entries_by_the_case_not_by_the_status(world):
    # given the index of manifest entries by case and status
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, ManifestEntry._meta.db_table)
    assert constraints["manifest_entry_case_status"]["columns"] == ["case_id", "status"]
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans by its statistics; SQLite without them took the status index
    # when the UPDATE that refreshes two cases' facts runs
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries_run:
        fill_limbo_facts(Case.objects.filter(pk__in=[1, 2]), CustodyEpisode, ManifestEntry)
    # then SQLite looks up each case's manifest entries by case and status, which stays as
    # fast however many entries other operations hold (not every boarded entry)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries_run.captured_queries[-1]["sql"])
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("INDEX manifest_entry_case_status (case_id=? AND status=?)" in p for p in plan)
    assert not any("manifest_entry_status " in p for p in plan), plan
