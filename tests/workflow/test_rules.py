"""Daily rules: age-threshold tasks exactly once, ageing out, Iraqi parents, care planning."""

import datetime

import pytest
from django.core.management import call_command

from homeward.audit.checkpoints import load_verified_checkpoints
from homeward.audit.models import AuditEvent, AuditHead
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.people import services as people
from homeward.workflow.models import Task
from homeward.workflow.rules import crossing_date, run_daily_rules
from tests.workflow.conftest import at_status, fresh, today

pytestmark = pytest.mark.django_db


def born_before(years: int, days_until_birthday: int) -> datetime.date:
    return crossing_date(today() + datetime.timedelta(days=days_until_birthday), -years)


def set_dob(world, child, dob, precision="day"):
    people.update_person(
        child,
        actor=world["mfa.officer"],
        expected_version=child.version,
        changes={"date_of_birth": dob, "dob_precision": precision},
    )


def test_age_threshold_task_is_created_once_30_days_ahead(world):
    # given a child who turns 9 in 20 days
    set_dob(world, world["ru_child"], born_before(9, 20))
    # when the rules run twice
    first = run_daily_rules(today())
    second = run_daily_rules(today())
    # then exactly one task, due on the birthday, owed by the ministry, audited once
    task = Task.objects.get()
    assert (task.kind, task.key, task.due, task.owed_by, task.dob_estimated) == (
        "age_threshold",
        "age:9",
        today() + datetime.timedelta(days=20),
        "coordinating_ministry",
        False,
    )
    assert task.title.startswith("Turns 9 on")
    ref = world["ru_child"].case.reference
    assert (first.tasks_created, second.tasks_created) == ([f"{ref} age:9"], [])
    assert AuditEvent.objects.filter(event_type="workflow.task.created").count() == 1


def test_no_task_more_than_30_days_ahead(world):
    set_dob(world, world["ru_child"], born_before(9, 31))
    run_daily_rules(today())
    assert Task.objects.count() == 0


def test_estimated_date_of_birth_is_flagged(world):
    set_dob(world, world["ru_child"], born_before(3, 10), precision="month")
    run_daily_rules(today())
    task = Task.objects.get(key="age:3")
    assert (task.dob_estimated, task.owed_by) == (True, "corrections")
    assert "estimated date of birth" in task.title


def test_turning_18_ages_the_case_out(world):
    set_dob(world, world["ru_brother"], born_before(18, -1))
    report = run_daily_rules(today())
    case = fresh(world["ru_brother"].case)
    assert (case.status, case.return_status) == ("AGED_OUT", "REGISTERED")
    assert report.aged_out == [case.reference]
    event = AuditEvent.objects.get(event_type="workflow.case.aged_out")
    assert (event.actor_username, event.data["status"]) == ("system", ["REGISTERED", "AGED_OUT"])
    assert run_daily_rules(today()).aged_out == []


def test_an_estimated_18_is_reviewed_not_aged_out(world):
    set_dob(world, world["ru_brother"], today().replace(year=today().year - 18), precision="year")
    run_daily_rules(today())
    assert fresh(world["ru_brother"].case).status == "REGISTERED"
    assert Task.objects.filter(key="age:review18").count() == 1


def test_iraqi_parent_creates_a_review_task(world):
    father = people.register_adult(
        actor=world["mfa.officer"],
        fields={"sex": "male"},
        names=[{"full_text": "Ahmed", "name_type": "declared_by_mother"}],
    )
    people.link_relative(
        world["tj_child"],
        actor=world["mfa.officer"],
        relative=father,
        relationship_type="father",
        basis="declared",
    )
    people.record_nationality(
        father, actor=world["mfa.officer"], nationality=HomeState.objects.get(code="IQ")
    )
    run_daily_rules(today())
    run_daily_rules(today())
    task = Task.objects.get(kind="iraqi_parent_review")
    assert task.case == world["tj_child"].case


def test_care_planning_with_everything_met_moves_on_as_the_system(world):
    # given a case in care planning whose home state requires nothing more (no policy for DE child)
    case = world["tj_child"].case
    Case.objects.filter(pk=case.pk).update(home_state_id="DE")
    from homeward.workflow.policies import publish_policy

    publish_policy(
        HomeState.objects.get(code="DE"),
        actor=world["mfa.supervisor"],
        reason="Minimal",
        effective_from=today(),
        requires_guardian_vetting=False,
        requires_assurances=False,
        requires_mother_consent=False,
        requires_bia=False,
    )
    case = at_status(fresh(case), "CARE_PLANNING", actor=world["mfa.officer"])
    report = run_daily_rules(today())
    assert fresh(case).status == "CLEARANCE"
    assert report.care_planning_completed == [case.reference]


def test_command_runs_and_reports(world, capsys):
    set_dob(world, world["ru_child"], born_before(15, 5))
    call_command("run_daily_rules", "--date", today().isoformat())
    out = capsys.readouterr().out
    assert "tasks created: 1; aged out: 0; care planning completed: 0" in out
    head = AuditHead.objects.get(pk=1).seq
    assert out.endswith(f"Audit checkpoint signed at #{head}.\n")
    assert [checkpoint.size for checkpoint in load_verified_checkpoints()] == [head]
