"""Issue 5 "done means", end to end: an officer plans the next Russian batch from ready cases."""

import pytest
from django.utils import formats, timezone

from homeward.audit.models import AuditEvent
from homeward.operations import services as ops
from homeward.operations.exceptions import ManifestRefused
from homeward.operations.queries import returned_children
from homeward.operations.rules import propose_manifest
from tests.operations.conftest import FLIGHT, confirmed, new_child, plan, ready, siblings
from tests.workflow.conftest import ago, fresh

pytestmark = pytest.mark.django_db


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def test_the_next_russian_batch_from_plan_to_handover(world):
    officer, protocol = world["mfa.officer"], world["mfa.protocol"]
    # given ready Russian children, one whose document expires before the flight, and a
    # sister whose brother is not ready yet (siblings travel together)
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    late_doc = ready(world, new_child(world, "مريم").case, valid_until=ago(-10))
    sister, brother = world["ru_child"].case, world["ru_brother"].case
    siblings(world, sister, brother)
    sister = ready(world, fresh(sister))
    returned_before = returned_children().count()
    operation = plan(world)

    # when the officer looks at the proposal, the two refusals are explained in words
    proposal = {m.case.reference: m.missing for f in propose_manifest(operation) for m in f.members}
    assert proposal[amina.reference] == ()
    assert proposal[late_doc.reference] == (
        f"The travel document expires on {_date(ago(-10))}, "
        f"before the travel date {_date(FLIGHT)}.",
    )
    assert proposal[sister.reference] == (
        f"Sibling {brother.reference} is not ready to travel, and siblings travel together.",
    )
    # and adding them is refused, nothing written
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation, [late_doc, sister], actor=officer, expected_version=operation.version
        )
    assert refused.value.refusals == {
        late_doc.reference: [proposal[late_doc.reference][0]],
        sister.reference: [proposal[sister.reference][0]],
    }
    assert not operation.entries.exists()

    # when the ready children are added, the operation confirmed and the manifest frozen
    operation = ops.add_to_manifest(
        operation, [amina, yusuf], actor=officer, expected_version=operation.version
    )
    operation = confirmed(world, operation)
    operation = ops.freeze_manifest(operation, actor=officer, expected_version=operation.version)
    # then both are SCHEDULED on this operation
    assert [fresh(c).status for c in (amina, yusuf)] == ["SCHEDULED", "SCHEDULED"]
    assert (operation.status, operation.planned_count) == ("manifest_frozen", 2)
    scheduled = AuditEvent.objects.filter(event_type="workflow.case.scheduled")
    assert sorted(e.data["reference"] for e in scheduled) == ["RU-" + f"{FLIGHT:%Y-%m-%d}"] * 2

    # on the day, Yusuf does not board; Amina is handed over
    operation = ops.start_execution(operation, actor=protocol, expected_version=operation.version)
    entries = {e.case_id: e for e in operation.entries.all()}
    ops.mark_not_boarded(
        entries[yusuf.pk],
        actor=protocol,
        expected_version=entries[yusuf.pk].version,
        reason="illness",
        note="Fever, kept in hospital",
    )
    assert fresh(yusuf).status == "APPROVED"
    event = AuditEvent.objects.get(event_type="operations.manifest_entry.not_boarded")
    assert (event.case_id, event.data["reason"], event.data["note"]) == (
        yusuf.pk,
        "illness",
        "Fever, kept in hospital",
    )
    ops.record_handover(
        operation,
        actor=protocol,
        expected_version=operation.version,
        handed_over_at=timezone.now(),
        location="Baghdad International Airport",
        host_officials=[{"name": "A. Kareem", "role": "Protocol", "organisation": "MFA"}],
        receiving_officials=[{"name": "I. Petrov", "role": "Consul", "organisation": "Embassy"}],
        witnesses=[{"name": "M. Haddad", "role": "Observer", "organisation": "UNICEF"}],
        items=[
            {
                "entry": entries[amina.pk],
                "identity_checked_by": "A. Kareem, protocol",
                "identity_method": "document",
                "documents_handed": ["passport", "medical summary"],
                "medical_summary_handed": True,
                "receiving_official": "I. Petrov",
            }
        ],
    )
    operation.refresh_from_db()
    operation = ops.complete_operation(
        operation, actor=protocol, expected_version=operation.version
    )

    # then Amina is HANDED_OVER, the published total moved by exactly one
    assert fresh(amina).status == "HANDED_OVER"
    assert (operation.status, operation.actual_count) == ("completed", 1)
    assert returned_children().count() == returned_before + 1
    completed = AuditEvent.objects.get(event_type="operations.operation.completed")
    assert completed.data["handed_over"] == [str(amina.pk)]
    assert completed.data["planned_count"] == 2 and completed.data["actual_count"] == 1

    # and the difference is reconciled with an explanation
    operation = ops.reconcile_operation(
        operation, actor=officer, expected_version=operation.version, explanation="One ill."
    )
    assert operation.reconciliation.planned_count == 2
    assert operation.status == "reconciled"
