"""Responsiveness per home state, and the daily rule for a silent state."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.diplomacy import queries, services
from homeward.workflow.models import CaseTransition, Task
from homeward.workflow.rules import run_daily_rules
from tests.workflow.conftest import ago, at_status, fresh, today

pytestmark = pytest.mark.django_db


def _note(world, code, days_ago, reference=""):
    return services.record_engagement(
        HomeState.objects.get(code=code),
        actor=world["mfa.officer"],
        kind="note_verbale_out",
        date=ago(days_ago),
        reference=reference,
    )


def test_figures_count_notes_answers_median_and_refusals(world):
    # given three notes to Russia: two answered (after 10 and 30 days), one open for 50 days
    officer = world["mfa.officer"]
    first, second = _note(world, "RU", 100), _note(world, "RU", 80)
    _note(world, "RU", 50)
    services.record_reply(first, actor=officer, date=ago(90))
    services.record_reply(first, actor=officer, date=ago(60))  # a second reply: not the first
    services.record_reply(second, actor=officer, date=ago(50))
    _note(world, "TJ", 10)
    from homeward.cases.services import record_historical_status

    record_historical_status(
        world["ru_child"].case,
        actor=world["mfa.supervisor"],
        status="HOME_STATE_REFUSED",
        return_status="HOME_STATE_ENGAGED",
        at=ago(5),
    )
    # when
    figures = queries.responsiveness(officer, HomeState.objects.get(code="RU"), today=today())
    # then
    assert (figures.notes_sent, figures.notes_answered, figures.open_requests) == (3, 2, 1)
    assert figures.median_days_to_reply == 20
    assert figures.oldest_open_request_days == 50
    assert figures.refusals == 1


def test_state_page_and_api_show_responsiveness(client, world):
    _note(world, "RU", 40, reference="NV-1")
    services.save_profile(
        HomeState.objects.get(code="RU"),
        actor=world["mfa.officer"],
        stance="case_by_case",
        has_embassy_in_baghdad=True,
    )
    client.force_login(world["consul.ru"])
    page = client.get(reverse("diplomacy:state_detail", kwargs={"code": "RU"}))
    assert b'data-figure="notes-sent">1<' in page.content
    assert b'data-figure="open-requests">1<' in page.content
    api = client.get(reverse("api:homestateprofile-responsiveness", kwargs={"pk": "RU"}))
    assert api.status_code == 200
    assert api.json() == {
        "home_state": "RU",
        "notes_sent": 1,
        "notes_answered": 0,
        "median_days_to_reply": None,
        "open_requests": 1,
        "oldest_open_request_days": 40,
        "refusals": 0,
    }
    other = client.get(reverse("api:homestateprofile-responsiveness", kwargs={"pk": "TJ"}))
    assert other.status_code == 404


def test_silent_state_moves_waiting_cases_and_raises_one_reminder(world):
    # given a Russian case waiting on Russia, a note unanswered for 91 days, a Tajik case
    ru_case = at_status(world["ru_child"].case, "HOME_STATE_ENGAGED", actor=world["mfa.supervisor"])
    tj_case = at_status(world["tj_child"].case, "HOME_STATE_ENGAGED", actor=world["mfa.supervisor"])
    note = _note(world, "RU", 91, reference="NV-7")
    # when the rules run twice
    first = run_daily_rules(today())
    second = run_daily_rules(today())
    # then the Russian case only, once, through the workflow, remembering where to return
    moved = fresh(ru_case)
    assert (moved.status, moved.return_status) == ("HOME_STATE_UNRESPONSIVE", "HOME_STATE_ENGAGED")
    assert fresh(tj_case).status == "HOME_STATE_ENGAGED"
    assert (first.unresponsive, second.unresponsive) == ([ru_case.reference], [])
    transition = CaseTransition.objects.get(case=ru_case, transition="home_state_unresponsive")
    assert transition.actor is None
    assert transition.details == {"note": str(note.pk)}
    task = Task.objects.get(case=ru_case)
    assert (task.kind, task.key, task.owed_by, task.due) == (
        "home_state_reminder",
        f"silent:{note.pk.hex}",
        "coordinating_ministry",
        today(),
    )
    assert "NV-7" in task.title
    assert (
        AuditEvent.objects.filter(event_type="workflow.case.home_state_unresponsive").count() == 1
    )
    assert AuditEvent.objects.filter(event_type="workflow.task.created").count() == 1


def test_resumed_case_is_not_moved_again_for_the_same_silence(world):
    ru_case = at_status(world["ru_child"].case, "HOME_STATE_ENGAGED", actor=world["mfa.supervisor"])
    _note(world, "RU", 120)
    run_daily_rules(today())
    from homeward.workflow.services.side_states import resume_case

    case = fresh(ru_case)
    resume_case(case, actor=world["mfa.supervisor"], expected_version=case.version, reason="call")
    report = run_daily_rules(today())
    assert report.unresponsive == []
    assert fresh(ru_case).status == "HOME_STATE_ENGAGED"


def test_state_that_answered_or_wrote_since_is_not_silent(world):
    ru_case = at_status(world["ru_child"].case, "HOME_STATE_ENGAGED", actor=world["mfa.supervisor"])
    _note(world, "RU", 200)
    services.record_engagement(
        HomeState.objects.get(code="RU"),
        actor=world["mfa.officer"],
        kind="note_verbale_in",
        date=ago(30),
    )
    answered = _note(world, "RU", 150)
    services.record_reply(answered, actor=world["mfa.officer"], date=ago(140))
    assert run_daily_rules(today()).unresponsive == []
    assert fresh(ru_case).status == "HOME_STATE_ENGAGED"


@override_settings(HOMEWARD_HOME_STATE_SILENCE_DAYS=30)
def test_threshold_is_configurable_and_reported_by_the_command(world, capsys):
    at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.supervisor"])
    _note(world, "RU", 31)
    call_command("run_daily_rules", "--date", today().isoformat())
    assert "home state unresponsive: 1" in capsys.readouterr().out
    assert fresh(world["ru_child"].case).status == "HOME_STATE_UNRESPONSIVE"


def test_a_note_just_within_the_threshold_is_not_silence(world):
    at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.supervisor"])
    _note(world, "RU", 90)
    assert run_daily_rules(today()).unresponsive == []
