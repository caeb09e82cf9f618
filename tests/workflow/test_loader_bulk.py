"""The bulk facts loader: the same facts as one case at a time, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.cases.models import Case
from homeward.cases.services import create_family_group
from homeward.workflow.loader import load_facts, load_facts_many
from homeward.workflow.queries import desk_for
from tests.conftest import register
from tests.workflow.conftest import at_status, clear_all, today, walk

pytestmark = pytest.mark.django_db


def _cases():
    return list(Case.objects.select_related("child", "home_state").order_by("pk"))


def test_bulk_facts_equal_one_case_at_a_time_at_every_stage(world):
    # given siblings who travel together, one cleared and one in verification, and a Tajik child
    officer = world["mfa.officer"]
    create_family_group(
        actor=officer, label="Husseinov", cases=[world["ru_child"].case, world["ru_brother"].case]
    )
    cleared = walk(
        world,
        at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"]),
        "CLEARANCE",
    )
    clear_all(world, cleared, expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    at_status(world["ru_brother"].case, "VERIFICATION", actor=world["mfa.officer"])
    # when the facts are loaded for all of them at once
    many = load_facts_many(_cases(), today=today())
    # then each equals what the single-case loader reads
    assert len(many) == Case.objects.count() == 3
    for case in _cases():
        assert many[case.pk] == load_facts(case, today=today()), case.reference
    assert many[cleared.pk].clearances  # the comparison is not between empty facts
    assert many[cleared.pk].mother_linked is True
    assert many[cleared.pk].siblings_not_ready == 1  # the brother is still in verification


def test_a_desk_costs_the_same_queries_for_three_cases_as_for_twenty(world, prison):
    officer = world["mfa.officer"]
    for case in _cases():
        at_status(case, "VERIFICATION", actor=officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            desk = desk_for(world["moh.lab"], today=today())
        return len(captured), len(desk.items)

    queries()  # the first call also fills the user's capability cache
    few, few_items = queries()
    for n in range(17):
        child = register(officer, name=f"طفل {n}", state="RU" if n % 2 else "TJ", facility=prison)
        at_status(child.case, "VERIFICATION", actor=officer)
    many, many_items = queries()
    assert many_items > few_items  # the new cases are on the desk
    assert many == few
