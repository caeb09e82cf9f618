"""Operation services: lifecycle, manifest rules, the day, completion, arrival and follow-up."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.evidence import services as ev
from homeward.operations import services as ops
from homeward.operations.exceptions import ManifestRefused, OperationStateError
from homeward.operations.models import FollowUpReport, Handover, ManifestEntry, Operation
from homeward.operations.queries import follow_up_due, operation_readiness, returned_children
from homeward.people import services as people
from tests.operations.conftest import FLIGHT, confirmed, new_child, plan, ready, siblings
from tests.workflow.conftest import ago, fresh

pytestmark = pytest.mark.django_db


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _events(prefix: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(event_type__startswith=prefix)
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def frozen_with(world, *cases):
    officer = world["mfa.officer"]
    operation = plan(world)
    operation = ops.add_to_manifest(
        operation, list(cases), actor=officer, expected_version=operation.version
    )
    operation = confirmed(world, operation)
    return ops.freeze_manifest(operation, actor=officer, expected_version=operation.version)


def executing_with(world, *cases):
    operation = frozen_with(world, *cases)
    return ops.start_execution(
        operation, actor=world["mfa.protocol"], expected_version=operation.version
    )


def handed(world, operation, *cases):
    entries = {e.case_id: e for e in operation.entries.all()}
    ops.record_handover(
        operation,
        actor=world["mfa.protocol"],
        expected_version=operation.version,
        handed_over_at=timezone.now(),
        location="Baghdad International Airport",
        items=[
            {"entry": entries[c.pk], "identity_checked_by": "Protocol", "identity_method": "photo"}
            for c in cases
        ],
    )
    return Operation.objects.get(pk=operation.pk)


# -- the operation ---------------------------------------------------------------------------


def test_proposing_records_the_operation_its_team_and_the_event(world):
    operation = plan(world)
    assert (operation.reference, operation.status) == (f"RU-{FLIGHT:%Y-%m-%d}", "proposed")
    assert sorted(operation.members.values_list("side", "role")) == [
        ("home", "doctor"),
        ("observer", "observer"),
    ]
    event = AuditEvent.objects.get(event_type="operations.operation.proposed")
    assert event.data == {
        "reference": operation.reference,
        "planned_date": FLIGHT.isoformat(),
        "members": 2,
    }
    assert event.home_state == "RU"


def test_a_consul_cannot_plan_an_operation(world):
    from homeward.core.models import HomeState

    with pytest.raises(PermissionDenied):
        ops.propose_operation(
            HomeState.objects.get(code="RU"), actor=world["consul.ru"], planned_date=FLIGHT
        )
    assert not Operation.objects.exists()


def test_a_stale_update_writes_nothing(world):
    operation = plan(world)
    with pytest.raises(StaleEditError):
        ops.update_operation(
            operation, actor=world["mfa.officer"], expected_version=0, carrier="Other"
        )
    assert Operation.objects.get(pk=operation.pk).carrier == "EMERCOM of Russia"
    updated = ops.update_operation(
        operation,
        actor=world["mfa.officer"],
        expected_version=operation.version,
        fee_per_child="120.00",
        fee_currency="USD",
        members=[],
    )
    assert (updated.version, updated.members.count()) == (2, 0)
    assert AuditEvent.objects.get(event_type="operations.operation.updated").data == {
        "changed": ["fee_currency", "fee_per_child", "members"]
    }


def test_postponement_keeps_the_history_and_the_status(world):
    officer = world["mfa.officer"]
    operation = confirmed(world, plan(world))
    later = FLIGHT + datetime.timedelta(days=90)
    with pytest.raises(ValidationError) as refused:
        ops.postpone_operation(
            operation, actor=officer, expected_version=operation.version, new_date=later, reason=""
        )
    assert refused.value.message_dict == {"reason": ["Give the reason."]}
    operation = ops.postpone_operation(
        operation,
        actor=officer,
        expected_version=operation.version,
        new_date=later,
        reason="The receiving centre is not ready",
    )
    assert (operation.status, operation.planned_date) == ("confirmed", later)
    assert list(operation.date_changes.values_list("from_date", "to_date", "reason")) == [
        (FLIGHT, later, "The receiving centre is not ready")
    ]
    event = AuditEvent.objects.get(event_type="operations.operation.postponed")
    assert event.data == {
        "from": FLIGHT.isoformat(),
        "to": later.isoformat(),
        "reason": "The receiving centre is not ready",
    }


def test_an_august_batch_that_slipped_without_a_date_is_postponed_until_one_is_agreed(world):
    officer = world["mfa.officer"]
    operation = confirmed(world, plan(world))
    # when the date slips and no new one is agreed
    operation = ops.postpone_operation(
        operation, actor=officer, expected_version=operation.version, reason="Flight permits"
    )
    # then the operation is POSTPONED, the planned date kept, the history says "to be agreed"
    assert (operation.status, operation.planned_date) == ("postponed", FLIGHT)
    assert list(operation.date_changes.values_list("from_date", "to_date")) == [(FLIGHT, None)]
    event = AuditEvent.objects.get(event_type="operations.operation.postponed")
    assert event.data == {
        "from": FLIGHT.isoformat(),
        "to": None,
        "reason": "Flight permits",
        "status": ["confirmed", "postponed"],
    }
    # and a new date, when agreed, takes it back to negotiating, both changes in the history
    november = FLIGHT + datetime.timedelta(days=90)
    operation = ops.postpone_operation(
        operation,
        actor=officer,
        expected_version=operation.version,
        new_date=november,
        reason="New slot agreed",
    )
    assert (operation.status, operation.planned_date) == ("negotiating", november)
    assert list(operation.date_changes.order_by("at").values_list("from_date", "to_date")) == [
        (FLIGHT, None),
        (FLIGHT, november),
    ]


def test_a_frozen_manifest_is_postponed_only_to_a_date(world):
    amina = ready(world, new_child(world, "أمينة").case)
    operation = frozen_with(world, amina)
    with pytest.raises(ValidationError) as refused:
        ops.postpone_operation(
            operation, actor=world["mfa.officer"], expected_version=operation.version, reason="x"
        )
    assert refused.value.message_dict == {
        "new_date": ["A frozen manifest is postponed to a date: give the new date."]
    }
    operation.refresh_from_db()
    assert (operation.status, operation.date_changes.count()) == ("manifest_frozen", 0)


def test_cancellation_releases_every_scheduled_child(world):
    amina = ready(world, new_child(world, "أمينة").case)
    operation = frozen_with(world, amina)
    assert fresh(amina).status == "SCHEDULED"
    operation = ops.cancel_operation(
        operation,
        actor=world["mfa.officer"],
        expected_version=operation.version,
        reason="Flight refused by the home state",
    )
    assert operation.status == "cancelled"
    assert fresh(amina).status == "APPROVED"
    released = AuditEvent.objects.get(event_type="workflow.case.released_from_operation")
    assert (released.case_id, released.data["reason"]) == (
        amina.pk,
        "Flight refused by the home state",
    )
    # and the child is free for another operation
    other = plan(world, planned_date=FLIGHT + datetime.timedelta(days=7))
    ops.add_to_manifest(
        other, [fresh(amina)], actor=world["mfa.officer"], expected_version=other.version
    )
    assert other.entries.count() == 1


# -- manifest rules --------------------------------------------------------------------------


def test_a_child_cannot_be_on_two_live_manifests(world):
    amina = ready(world, new_child(world, "أمينة").case)
    first = plan(world)
    ops.add_to_manifest(first, [amina], actor=world["mfa.officer"], expected_version=1)
    second = plan(world, planned_date=FLIGHT + datetime.timedelta(days=1))
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(second, [amina], actor=world["mfa.officer"], expected_version=1)
    assert refused.value.refusals == {
        amina.reference: [f"Already on the manifest of operation {first.reference}."]
    }


def test_only_approved_cases_of_the_operations_state(world):
    tajik = world["tj_child"].case
    waiting = new_child(world, "سارة").case
    operation = plan(world)
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation, [tajik, waiting], actor=world["mfa.officer"], expected_version=1
        )
    assert refused.value.refusals[tajik.reference][:2] == [
        "The case belongs to another home state.",
        "The case is not approved for handover (its status is Registered).",
    ]
    assert refused.value.refusals[waiting.reference] == [
        "The case is not approved for handover (its status is Registered)."
    ]
    assert not ManifestEntry.objects.exists()


def test_a_clearance_expiring_before_the_flight_is_refused(world):
    amina = ready(world, new_child(world, "أمينة").case)
    expiry = timezone.make_aware(datetime.datetime.combine(ago(-20), datetime.time(9)))
    clearance = ev.request_clearance(amina, actor=world["mfa.officer"], clearance_type="medical")
    ev.decide_clearance(
        clearance, actor=world["moj.registrar"], approve=True, reference="M-1", expires_at=expiry
    )
    operation = plan(world)
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation, [fresh(amina)], actor=world["mfa.officer"], expected_version=1
        )
    assert refused.value.refusals == {
        amina.reference: [
            f"Medical fitness to travel expires on {_date(ago(-20))}, "
            f"before the travel date {_date(FLIGHT)}."
        ]
    }


def test_siblings_added_together_travel(world):
    sister, brother = world["ru_child"].case, world["ru_brother"].case
    siblings(world, sister, brother)
    sister, brother = ready(world, fresh(sister)), ready(world, fresh(brother))
    operation = plan(world)
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(operation, [sister], actor=world["mfa.officer"], expected_version=1)
    assert refused.value.refusals == {
        sister.reference: [
            f"Sibling {brother.reference} must be added too: siblings travel together."
        ]
    }
    ops.add_to_manifest(
        operation, [sister, brother], actor=world["mfa.officer"], expected_version=1
    )
    assert operation.entries.count() == 2


def test_a_released_mother_travels_with_her_child_only(world):
    officer = world["mfa.officer"]
    child = ready(world, world["ru_child"].case)
    mother = world["ru_mother"]
    operation = plan(world)
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation, [child], adults=[(mother, child)], actor=officer, expected_version=1
        )
    name = mother.display_name
    assert refused.value.refusals == {
        name: [f"{name} is not recorded as released: only adults free to travel may go."]
    }
    mother.legal_status = "released"
    mother.save(update_fields=["legal_status"])
    brother = world["ru_brother"].case
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation, [], adults=[(mother, brother)], actor=officer, expected_version=1
        )
    assert refused.value.refusals == {
        name: [
            f"{name} is not recorded as a relative of the child of case {brother.reference}.",
            f"The child of case {brother.reference} is not on this manifest.",
        ]
    }
    ops.add_to_manifest(
        operation, [child], adults=[(mother, child)], actor=officer, expected_version=1
    )
    adult = operation.entries.get(case__isnull=True)
    assert (adult.person_id, adult.accompanies_id) == (mother.pk, child.pk)


def test_after_the_freeze_a_change_needs_a_reason_and_is_flagged(world):
    officer = world["mfa.officer"]
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = frozen_with(world, amina)
    with pytest.raises(ValidationError):
        ops.add_to_manifest(operation, [yusuf], actor=officer, expected_version=operation.version)
    operation = ops.add_to_manifest(
        operation,
        [yusuf],
        actor=officer,
        expected_version=operation.version,
        reason="Travel document arrived late",
    )
    entry = operation.entries.get(case=yusuf)
    assert (entry.added_after_freeze, entry.change_reason) == (True, "Travel document arrived late")
    assert (fresh(yusuf).status, operation.planned_count) == ("SCHEDULED", 2)
    operation = ops.remove_from_manifest(
        entry, actor=officer, expected_version=entry.version, reason="Family asked to wait"
    )
    assert (fresh(yusuf).status, operation.planned_count) == ("APPROVED", 1)
    removed = AuditEvent.objects.get(event_type="operations.manifest_entry.removed")
    assert (removed.case_id, removed.data["reason"]) == (yusuf.pk, "Family asked to wait")


def test_readiness_lists_what_is_missing_at_the_planned_date(world):
    amina = ready(world, new_child(world, "أمينة").case, valid_until=ago(-40))
    operation = plan(world)
    ops.add_to_manifest(operation, [amina], actor=world["mfa.officer"], expected_version=1)
    later = FLIGHT + datetime.timedelta(days=30)
    operation = ops.postpone_operation(
        Operation.objects.get(pk=operation.pk),
        actor=world["mfa.officer"],
        expected_version=2,
        new_date=later,
        reason="Weather",
    )
    [readiness] = operation_readiness(operation)
    assert readiness.missing == (
        f"The travel document expires on {_date(ago(-40))}, before the travel date {_date(later)}.",
    )


# -- the day -----------------------------------------------------------------------------------


def test_completion_is_refused_while_a_child_is_undecided(world):
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = handed(world, executing_with(world, amina, yusuf), amina)
    with pytest.raises(ValidationError) as refused:
        ops.complete_operation(
            operation, actor=world["mfa.protocol"], expected_version=operation.version
        )
    assert refused.value.message_dict == {
        "entries": [
            f"Record for every child whether they boarded: {yusuf.reference} are still open."
        ]
    }
    assert fresh(amina).status == "SCHEDULED"


def test_completion_is_all_or_nothing(world):
    # given two boarded children, one of whose cases changed since the protocol officer looked
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = handed(world, executing_with(world, amina, yusuf), amina, yusuf)
    before = returned_children().count()
    seen = {amina.pk: fresh(amina).version, yusuf.pk: fresh(yusuf).version - 1}
    events_before = AuditEvent.objects.count()
    # when completing
    with pytest.raises(StaleEditError):
        ops.complete_operation(
            operation,
            actor=world["mfa.protocol"],
            expected_version=operation.version,
            expected_case_versions=seen,
        )
    # then nothing changed: no case handed over, still executing, no audit event
    assert [fresh(c).status for c in (amina, yusuf)] == ["SCHEDULED", "SCHEDULED"]
    assert Operation.objects.get(pk=operation.pk).status == "executing"
    assert AuditEvent.objects.count() == events_before
    assert returned_children().count() == before  # boarded, but not returned until completed


def test_completion_fails_whole_when_a_gate_fails_on_the_day(world):
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = handed(world, executing_with(world, amina, yusuf), amina, yusuf)
    # the travel document of the second child is withdrawn: it expired yesterday
    from homeward.evidence.models import TravelDocument

    TravelDocument.objects.filter(case=yusuf).update(valid_until=ago(1))
    events_before = AuditEvent.objects.count()
    from homeward.workflow.exceptions import GateNotMet

    with pytest.raises(GateNotMet):
        ops.complete_operation(
            operation, actor=world["mfa.protocol"], expected_version=operation.version
        )
    assert [fresh(c).status for c in (amina, yusuf)] == ["SCHEDULED", "SCHEDULED"]
    assert Operation.objects.get(pk=operation.pk).status == "executing"
    assert AuditEvent.objects.count() == events_before


def test_reconciliation_needs_an_explanation_when_counts_differ(world):
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    operation = executing_with(world, amina, yusuf)
    entry = operation.entries.get(case=yusuf)
    ops.mark_not_boarded(
        entry, actor=world["mfa.protocol"], expected_version=entry.version, reason="consent"
    )
    operation = handed(world, Operation.objects.get(pk=operation.pk), amina)
    operation = ops.complete_operation(
        operation, actor=world["mfa.protocol"], expected_version=operation.version
    )
    with pytest.raises(ValidationError) as refused:
        ops.reconcile_operation(
            operation, actor=world["mfa.officer"], expected_version=operation.version
        )
    assert refused.value.message_dict == {
        "explanation": ["2 children were planned and 1 returned: explain the difference."]
    }
    operation = ops.reconcile_operation(
        operation,
        actor=world["mfa.officer"],
        expected_version=operation.version,
        explanation="The mother withdrew consent.",
    )
    event = AuditEvent.objects.get(event_type="operations.operation.reconciled")
    assert event.data == {"planned": 2, "actual": 1, "not_boarded_reasons": ["consent"]}


def test_a_handover_is_recorded_once_by_protocol_only(world):
    amina = ready(world, new_child(world, "أمينة").case)
    operation = executing_with(world, amina)
    with pytest.raises(PermissionDenied):
        ops.record_handover(
            operation,
            actor=world["consul.ru"],
            expected_version=operation.version,
            handed_over_at=timezone.now(),
            location="Baghdad",
        )
    assert not Handover.objects.exists()


# -- after return ------------------------------------------------------------------------------


def _returned(world):
    amina = ready(world, new_child(world, "أمينة").case)
    operation = handed(world, executing_with(world, amina), amina)
    ops.complete_operation(
        operation, actor=world["mfa.protocol"], expected_version=operation.version
    )
    return fresh(amina)


def test_the_home_states_consul_confirms_arrival_and_follow_up_is_scheduled(world):
    amina = _returned(world)
    arrival = ops.confirm_arrival(
        amina,
        actor=world["consul.ru"],
        expected_version=amina.version,
        arrived_on=timezone.localdate(),
        placement="relatives",
        follow_up_every_months=6,
        follow_up_until=timezone.localdate() + datetime.timedelta(days=366),
    )
    assert fresh(amina).status == "RECEIVED"
    assert arrival.follow_up_every_months == 6
    assert FollowUpReport.objects.filter(case=amina).count() == 2
    event = AuditEvent.objects.get(event_type="operations.arrival.confirmed")
    assert event.data["placement"] == "relatives" and event.data["follow_up_reports"] == 2
    # the first report received moves the case to FOLLOW_UP
    report = FollowUpReport.objects.filter(case=amina).order_by("due_date").first()
    ops.record_follow_up_report(
        report,
        actor=world["consul.ru"],
        received_on=timezone.localdate(),
        reporting_body="Child welfare service",
        placement_status="relatives",
        schooling="Grade 2",
    )
    assert fresh(amina).status == "FOLLOW_UP"


def test_another_states_consul_cannot_confirm_arrival(world):
    amina = _returned(world)
    with pytest.raises(OutOfScopeError):
        ops.confirm_arrival(
            amina,
            actor=world["consul.tj"],
            expected_version=amina.version,
            arrived_on=timezone.localdate(),
            placement="relatives",
        )
    assert fresh(amina).status == "HANDED_OVER"
    assert not Operation.objects.for_user(world["consul.tj"]).exists()
    assert Operation.objects.for_user(world["consul.ru"]).count() == 1


def test_due_follow_up_reports_start_follow_up_and_show_overdue(world):
    amina = _returned(world)
    today = timezone.localdate()
    ops.confirm_arrival(
        amina,
        actor=world["consul.ru"],
        expected_version=amina.version,
        arrived_on=today,
        placement="child_welfare",
        follow_up_every_months=3,
        follow_up_until=today + datetime.timedelta(days=200),
    )
    assert list(follow_up_due(world["consul.ru"], today=today)) == []
    assert ops.start_due_follow_ups(today=today) == 0
    later = today + datetime.timedelta(days=200)
    due = list(follow_up_due(world["consul.ru"], today=later))
    assert len(due) == 2 and all(r.is_overdue(later) for r in due)
    assert list(follow_up_due(world["consul.tj"], today=later)) == []
    assert ops.start_due_follow_ups(today=later) == 1
    assert fresh(amina).status == "FOLLOW_UP"


def test_not_boarded_needs_a_known_reason_and_the_day(world):
    amina = ready(world, new_child(world, "أمينة").case)
    operation = plan(world)
    ops.add_to_manifest(operation, [amina], actor=world["mfa.officer"], expected_version=1)
    entry = ManifestEntry.objects.get(case=amina)
    with pytest.raises(OperationStateError):
        ops.mark_not_boarded(
            entry, actor=world["mfa.protocol"], expected_version=entry.version, reason="illness"
        )
    assert Case.objects.get(pk=amina.pk).status == "APPROVED"


def test_relatives_link_is_needed_for_an_adult(world):
    # an unrelated released adult is refused, naming the missing link
    stranger = people.register_adult(
        actor=world["mfa.officer"],
        fields={"sex": "female", "legal_status": "released"},
        names=[{"full_text": "هدى", "name_type": "court_record"}],
    )
    child = ready(world, world["ru_child"].case)
    operation = plan(world)
    with pytest.raises(ManifestRefused) as refused:
        ops.add_to_manifest(
            operation,
            [child],
            adults=[(stranger, child)],
            actor=world["mfa.officer"],
            expected_version=1,
        )
    assert list(refused.value.refusals.values()) == [
        [f"هدى is not recorded as a relative of the child of case {child.reference}."]
    ]
