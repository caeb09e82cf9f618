"""Stored first blockers (workflow.blockers): equal to the gate engine's answer, and
evaluated again exactly for the cases a later event changed."""

import datetime
import json

from django.test import override_settings
from django.utils import translation

from homeward.cases.choices import IN_CUSTODY_STATES
from homeward.cases.models import Case
from homeward.cases.services import create_family_group
from homeward.core.models import HomeState
from homeward.people.services import update_person
from homeward.reports import queries
from homeward.reports.queries import ReportFilters
from homeward.workflow import blockers
from homeward.workflow.blockers import READY, refresh_blockers, stale_case_ids
from homeward.workflow.gates import requirements_for
from homeward.workflow.policies import publish_policy
from homeward.workflow.rules import run_daily_rules
from tests.conftest import register
from tests.workflow.conftest import fresh, today


def _evaluate():
    return refresh_blockers(Case.objects.all(), today=today())


def _stored(person) -> tuple[str, str]:
    case = Case.objects.get(child=person)
    return case.blocker_code, json.loads(case.blocker_text)["en"][0]


def _live_code(case: Case) -> str:
    first = next((r for r in requirements_for(case, today=today()) if not r.is_met), None)
    return first.code if first else READY


def _speaks(person, actor, languages=("ar",)):
    person.refresh_from_db()
    return update_person(
        person,
        actor=actor,
        expected_version=person.version,
        changes={"languages": list(languages)},
    )


def test_each_pending_case_stores_the_gate_engines_first_blocker(world):
    assert _evaluate() == 3
    for case in Case.objects.filter(status__in=IN_CUSTODY_STATES):
        assert case.blocker_code == _live_code(case)
        assert case.blocker_on == today()
    assert _stored(world["ru_child"]) == ("profile.languages", "Languages the child speaks")
    # stored without changing the case: no version moved, no edit conflict for anyone
    assert {case.version for case in Case.objects.all()} == {1}


def test_nothing_is_evaluated_again_until_an_event_changes_a_case(world, client):
    _evaluate()
    assert _evaluate() == 0
    # a read is an event too, but it changes nothing
    client.force_login(world["mfa.officer"])
    assert client.get(f"/people/{world['ru_child'].pk}/").status_code == 200
    assert _evaluate() == 0
    _speaks(world["ru_child"], world["mfa.officer"])
    ru_case = Case.objects.get(child=world["ru_child"])
    assert stale_case_ids(Case.objects.all(), today=today()) == {ru_case.pk}
    assert _evaluate() == 1
    assert fresh(ru_case).blocker_code == _live_code(ru_case) != "profile.languages"
    assert _stored(world["tj_child"])[0] == "profile.languages"


def test_changes_are_found_however_many_cases_they_name(world, prison, monkeypatch):
    officer = world["mfa.officer"]
    brother = register(officer, name="علي رحيموف", state="TJ", facility=prison, sex="male")
    create_family_group(
        actor=officer,
        label="Rahimov",
        cases=[Case.objects.get(child=world["tj_child"]), brother.case],
    )
    _evaluate()
    _speaks(world["ru_child"], officer)
    _speaks(brother, officer)
    expected = stale_case_ids(Case.objects.all(), today=today())
    assert len(expected) == 3  # the Russian child; the Tajik brother and his sister
    # one id per query: the lookups are cut into chunks (SQLite's parameter limit)
    monkeypatch.setattr(blockers, "CHUNK", 1)
    assert stale_case_ids(Case.objects.all(), today=today()) == expected


def test_a_change_to_the_mother_makes_her_childs_blocker_stale(world):
    _evaluate()
    mother = world["ru_mother"]
    mother.refresh_from_db()
    update_person(
        mother,
        actor=world["mfa.officer"],
        expected_version=mother.version,
        changes={"place_of_birth_locality": "Grozny"},
    )
    assert stale_case_ids(Case.objects.all(), today=today()) == {
        Case.objects.get(child=world["ru_child"]).pk
    }


def test_a_siblings_change_reaches_the_whole_family_group(world, prison):
    officer = world["mfa.officer"]
    # siblings by their group only: no relationship recorded between them
    brother = register(officer, name="علي رحيموف", state="TJ", facility=prison, sex="male")
    sister = Case.objects.get(child=world["tj_child"])
    create_family_group(actor=officer, label="Rahimov", cases=[sister, brother.case])
    _evaluate()
    _speaks(brother, officer)
    assert stale_case_ids(Case.objects.all(), today=today()) == {sister.pk, brother.case.pk}


def test_a_home_states_policy_makes_only_that_states_cases_stale(world, supervisor):
    _evaluate()
    publish_policy(
        HomeState.objects.get(code="TJ"),
        actor=supervisor,
        reason="New embassy instruction",
        effective_from=today(),
        requires_home_court_decision=True,
    )
    assert stale_case_ids(Case.objects.all(), today=today()) == {
        Case.objects.get(child=world["tj_child"]).pk
    }


def test_a_new_day_evaluates_every_pending_case_again(world):
    _evaluate()
    tomorrow = today() + datetime.timedelta(days=1)
    assert len(stale_case_ids(Case.objects.all(), today=tomorrow)) == 3
    assert refresh_blockers(Case.objects.all(), today=tomorrow) == 3
    assert set(Case.objects.values_list("blocker_on", flat=True)) == {tomorrow}


def test_the_daily_rules_evaluate_the_days_blockers(world):
    report = run_daily_rules(today())
    assert report.blockers_evaluated == 3
    assert _evaluate() == 0


def test_a_readers_refresh_stays_within_its_scope(world):
    # the Russian consul's dashboard evaluates the Russian cases only
    consul = world["consul.ru"]
    rows = queries.pending_by_blocker(consul, ReportFilters(today=today()))
    assert {row["home_state"] for row in rows} == {"RU"}
    assert sum(row["cases"] for row in rows) == 2
    tj_case = Case.objects.get(child=world["tj_child"])
    assert (tj_case.blocker_code, tj_case.blocker_seq) == ("", None)


@override_settings(LANGUAGE_CODE="en")
def test_the_label_and_its_owner_are_stored_in_every_language(world):
    filters = ReportFilters(today=today())
    english = queries.pending_by_blocker(world["mfa.officer"], filters)
    with translation.override("ar"):
        arabic = queries.pending_by_blocker(world["mfa.officer"], filters)
    ru = next(row for row in english if row["home_state"] == "RU")
    ru_ar = next(row for row in arabic if row["home_state"] == "RU")
    assert (ru["blocker"], ru["owed_by"], ru["cases"]) == (
        "Languages the child speaks",
        "Custodial facility",
        2,
    )
    with translation.override("ar"):
        expected = translation.gettext("Languages the child speaks")
    assert ru_ar["blocker"] == expected != ru["blocker"]
    assert ru_ar["owed_by"] not in ("", "Custodial facility")
