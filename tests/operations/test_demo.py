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


def test_the_next_russian_batch_can_be_played_on_the_demo(seeded):
    """Issue 5's "done means" on the demo data itself, as a user would play it."""
    from homeward.accounts.models import User
    from homeward.cases.models import Case
    from homeward.core.demo.next_batch import CHILDREN
    from homeward.operations import services as ops
    from homeward.operations.exceptions import ManifestRefused
    from homeward.operations.rules import propose_manifest
    from homeward.reports.public import build_public_figures
    from homeward.reports.queries import returned_batches

    def published_total() -> int:
        as_of = timezone.localdate()
        return build_public_figures(returned_batches(as_of=as_of), as_of=as_of).total.shown

    officer = User.objects.get(username="mfa.officer")
    protocol = User.objects.get(username="mfa.protocol")
    operation = Operation.objects.get(home_state_id="RU", status="proposed")
    by_name = {
        case.child.display_name: case
        for case in Case.objects.filter(home_state_id="RU", status="APPROVED")
    }
    assert sorted(by_name) == sorted(child.arabic for child in CHILDREN)
    aisha, ibrahim, maryam, zeinab, hamza, umar = (by_name[c.arabic] for c in CHILDREN)
    # the planning page's proposal: three ready, the Umarovs and Umar Daudov refused in words
    proposal = {m.case.pk: m.missing for f in propose_manifest(operation) for m in f.members}
    assert [proposal[c.pk] for c in (aisha, ibrahim, maryam)] == [(), (), ()]
    assert proposal[zeinab.pk] == (
        f"Sibling {hamza.reference} is not ready to travel, and siblings travel together.",
    )
    assert proposal[umar.pk][0].startswith("The travel document expires on")
    with pytest.raises(ManifestRefused):
        ops.add_to_manifest(operation, [zeinab, umar], actor=officer, expected_version=1)
    assert not operation.entries.exists()
    # the ready three are planned, the operation confirmed, the manifest frozen
    operation = ops.add_to_manifest(
        operation, [aisha, ibrahim, maryam], actor=officer, expected_version=operation.version
    )
    for _step in range(2):
        operation = ops.advance_operation(
            operation, actor=officer, expected_version=operation.version
        )
    operation = ops.freeze_manifest(operation, actor=officer, expected_version=operation.version)
    total_before = published_total()
    # on the day Maryam does not board; the Magomedov siblings are handed over
    operation = ops.start_execution(operation, actor=protocol, expected_version=operation.version)
    entries = {entry.case_id: entry for entry in operation.entries.all()}
    ops.mark_not_boarded(
        entries[maryam.pk], actor=protocol, expected_version=entries[maryam.pk].version,
        reason="illness", note="Fever on the morning of the flight",
    )  # fmt: skip
    operation.refresh_from_db()
    ops.record_handover(
        operation,
        actor=protocol,
        expected_version=operation.version,
        handed_over_at=timezone.now(),
        location="Baghdad International Airport",
        host_officials=[{"name": "A. Kareem", "role": "Protocol", "organisation": "MFA"}],
        receiving_officials=[{"name": "I. Petrov", "role": "Consul", "organisation": "Embassy"}],
        witnesses=[],
        items=[
            {
                "entry": entries[case.pk],
                "identity_checked_by": "A. Kareem",
                "identity_method": "document",
                "receiving_official": "I. Petrov",
            }
            for case in (aisha, ibrahim)
        ],
    )
    operation.refresh_from_db()
    ops.complete_operation(operation, actor=protocol, expected_version=operation.version)
    statuses = dict(
        Case.objects.filter(pk__in=[case.pk for case in by_name.values()]).values_list(
            "pk", "status"
        )
    )
    assert [statuses[c.pk] for c in (aisha, ibrahim, maryam)] == [
        "HANDED_OVER",
        "HANDED_OVER",
        "APPROVED",
    ]
    # and the published total moves by exactly the two who boarded
    assert published_total() == total_before + 2
