"""Kept figures (reports.kept): the same answers as computing them, computed again exactly
when a change, the scope, the filters, the day or the language say so."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from homeward.audit.services import record_event
from homeward.reports import queries
from homeward.reports.services import record_dashboard_viewed
from tests.conftest import register


@pytest.fixture
def keep(settings):
    settings.HOMEWARD_FIGURE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def _computed(user, filters):
    """Every figure computed now, nothing kept."""
    return {name: build(user, filters) for name, build in queries.FIGURES.items()}


def _read(user, filters):
    """The dashboard and the number of queries it ran."""
    with CaptureQueriesContext(connection) as queries_run:
        figures = queries.dashboard(user, filters)
    return figures, len(queries_run)


def _pending(figures, state):
    return sum(row["cases"] for row in figures["pending_by_stage"] if row["home_state"] == state)


def test_kept_figures_are_the_computed_ones_and_a_second_read_runs_one_query(
    users, world, filters, keep
):
    for username in ("admin", "mfa.officer", "consul.ru"):
        user = users[username]
        first, first_queries = _read(user, filters)
        second, second_queries = _read(user, filters)
        assert first == second == _computed(user, filters)
        assert first_queries > 13
        assert second_queries == 1  # the data version; every figure was kept


def test_a_change_through_a_service_is_in_the_next_read(users, world, filters, keep, prison):
    officer = users["mfa.officer"]
    before, _ = _read(officer, filters)
    register(officer, name="جديدة", state="RU", facility=prison)
    after, after_queries = _read(officer, filters)
    assert _pending(after, "RU") == _pending(before, "RU") + 1
    assert _pending(after, "TJ") == _pending(before, "TJ")
    assert after_queries > 13
    assert after == _computed(officer, filters)


def test_reads_change_nothing_and_are_not_changes(users, world, filters, keep):
    officer = users["mfa.officer"]
    first, _ = _read(officer, filters)
    record_dashboard_viewed(actor=officer, query={}, case_ids=[])
    record_event("people.person.viewed", actor=officer, home_state="RU")
    again, again_queries = _read(officer, filters)
    assert again == first
    assert again_queries == 1


def test_any_other_event_is_a_change(users, world, filters, keep):
    """An event type no figure knows still makes the next read compute: never stale."""
    officer = users["mfa.officer"]
    _read(officer, filters)
    record_event("reports.something.recorded", actor=officer, home_state="TJ")
    _figures, queries_run = _read(officer, filters)
    assert queries_run > 13


def test_no_reader_gets_another_scopes_answer(users, world, filters, keep):
    everyone, _ = _read(users["admin"], filters)
    russian, _ = _read(users["consul.ru"], filters)
    tajik, tajik_queries = _read(users["consul.tj"], filters)
    assert tajik_queries > 13  # not the Russian consul's answer
    assert {row["home_state"] for row in russian["pending_by_stage"]} == {"RU"}
    assert {row["home_state"] for row in tajik["pending_by_stage"]} == {"TJ"}
    assert _pending(everyone, "RU") == _pending(russian, "RU")
    assert _pending(everyone, "TJ") == _pending(tajik, "TJ")


def test_readers_with_the_same_role_and_states_share_an_answer(users, world, filters, keep):
    from homeward.accounts.models import User

    consul = users["consul.ru"]
    colleague = User.objects.create_user(
        "consul.ru.deputy", password="correct horse battery staple", agency=consul.agency
    )
    colleague.roles.set(consul.roles.all())
    first, _ = _read(consul, filters)
    colleague = User.objects.get(pk=colleague.pk)
    with CaptureQueriesContext(connection) as queries_run:
        shared = queries.dashboard(colleague, filters)
    assert shared == first
    # the data version, and the colleague's agency and roles (its scope): no figure
    tables = sorted(query["sql"].split(" FROM ")[1].split()[0] for query in queries_run)
    assert tables == ['"accounts_agency"', '"accounts_role"', '"audit_auditevent"']


def test_a_change_of_scope_is_a_new_answer(users, world, filters, keep):
    from homeward.core.models import HomeState

    officer = users["mfa.officer"]
    officer.all_home_states = False
    officer.save(update_fields=["all_home_states"])
    officer.home_states.set([HomeState.objects.get(code="RU")])
    officer = type(officer).objects.get(pk=officer.pk)
    russian, _ = _read(officer, filters)
    officer.home_states.add(HomeState.objects.get(code="TJ"))
    officer = type(officer).objects.get(pk=officer.pk)
    both, both_queries = _read(officer, filters)
    assert both_queries > 13
    assert {row["home_state"] for row in russian["pending_by_stage"]} == {"RU"}
    assert {row["home_state"] for row in both["pending_by_stage"]} == {"RU", "TJ"}


def test_the_filters_the_day_and_the_language_are_new_answers(users, world, filters, keep):
    officer = users["mfa.officer"]
    _read(officer, filters)
    tomorrow = queries.ReportFilters(today=filters.today + datetime.timedelta(days=1))
    only_tj = queries.ReportFilters(today=filters.today, home_states=("TJ",))
    for other in (tomorrow, only_tj):
        figures, queries_run = _read(officer, other)
        assert queries_run > 13
        assert figures == _computed(officer, other)
    with translation.override("ar"):
        arabic, arabic_queries = _read(officer, filters)
        assert arabic_queries > 13
        assert arabic == _computed(officer, filters)


def test_the_api_reads_a_kept_figure_until_a_change(users, world, keep, api_client_for):
    officer = users["mfa.officer"]
    client = api_client_for(officer)
    first = client.get("/api/v1/stats/pending-by-stage/")
    assert first.status_code == 200, first.content
    again = client.get("/api/v1/stats/pending-by-stage/")
    assert again.json() == first.json()
    register(officer, name="أخرى", state="TJ")
    second = client.get("/api/v1/stats/pending-by-stage/")
    tj = [row["cases"] for row in second.json() if row["home_state"] == "TJ"]
    tj_before = [row["cases"] for row in first.json() if row["home_state"] == "TJ"]
    assert sum(tj) == sum(tj_before) + 1


def test_a_readers_version_is_the_latest_change_it_may_see(users, keep):
    from homeward.reports.kept import data_version
    from tests.security.conftest import as_app_role, on_postgres

    officer = users["mfa.officer"]
    russian = record_event("tests.case.changed", actor=officer, home_state="RU")
    tajik = record_event("tests.case.changed", actor=officer, home_state="TJ")
    record_event("people.person.viewed", actor=officer, home_state="RU")  # a read
    if not on_postgres():
        # SQLite has no row security: every reader's version is the latest change
        assert data_version(users["consul.ru"]) == f"{tajik.seq}:{tajik.hash}"
        return
    # the application role sees only the scope's events: the Russian consul's version is
    # the latest Russian change, the all-states reader's the latest of all
    with as_app_role("RU"):
        assert data_version(users["consul.ru"]) == f"{russian.seq}:{russian.hash}"
    with as_app_role("*"):
        assert data_version(users["admin"]) == f"{tajik.seq}:{tajik.hash}"


def test_the_page_renders_kept_figures_as_it_renders_computed_ones(client, users, world, keep):
    from django.urls import reverse

    client.force_login(users["mfa.officer"])
    with CaptureQueriesContext(connection) as computing:
        computed = client.get(reverse("reports:dashboard"))
    with CaptureQueriesContext(connection) as keeping:
        kept = client.get(reverse("reports:dashboard"))
    assert computed.status_code == kept.status_code == 200
    assert kept.context["figures"] == computed.context["figures"]
    assert kept.context["charts"] == computed.context["charts"]
    # the page's own queries (session, form choices, audit) remain; no figure is computed
    assert len(keeping) <= len(computing) - 13
