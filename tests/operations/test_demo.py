"""The demo's operations: every historical batch flown, the returned series from manifests."""

import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from homeward.core.demo.builder import DEFAULT_SEED, build_plan
from homeward.operations.models import Operation
from homeward.operations.queries import returned_children

pytestmark = pytest.mark.django_db

CHILDREN = 120


@pytest.fixture
def seeded(db):
    call_command(
        "seed_demo", "--children", str(CHILDREN), "--password", "x" * 16, stdout=io.StringIO()
    )
    return build_plan(random.Random(DEFAULT_SEED), CHILDREN)


def test_every_batch_is_a_flown_operation_and_the_series_comes_from_manifests(seeded):
    plan = seeded
    flown = Operation.objects.filter(status__in=["completed", "reconciled"])
    # one operation per batch of the plan, each with its handover on the batch date
    batches = {}
    for child in plan.children:
        if child.handed_over_on:
            key = (child.home_state, child.handed_over_on)
            batches[key] = batches.get(key, 0) + 1
    assert {(o.home_state_id, o.actual_date): o.actual_count for o in flown} == batches
    for operation in flown.select_related("handover"):
        assert timezone.localdate(operation.handover.handed_over_at) == operation.actual_date
    # the returned series, day by day, is the plan's
    returned = returned_children()
    assert returned.count() == sum(batches.values())
    for (state, day), count in batches.items():
        on_day = returned.filter(
            operation__home_state_id=state, operation__handover__handed_over_at__date=day
        )
        assert on_day.count() == count
    # adults never count; open operations wait for the next batches
    assert not returned.filter(case__isnull=True).exists()
    assert sorted(
        Operation.objects.exclude(pk__in=flown).values_list("home_state_id", "status")
    ) == [("KG", "negotiating"), ("RU", "proposed")]
