"""The second wall (G11): PostgreSQL row-level security on every scoped table.

On PostgreSQL these tests run SQL and requests as the application role (`SET LOCAL ROLE
homeward_app`: the suite itself connects as a superuser, which bypasses RLS even with FORCE)
and prove that the database, not the ORM, keeps other states' rows out. On SQLite, which has
no row-level security, they assert the documented behaviour: nothing is applied, the request
hooks issue no query, and an unscoped query returns every row (the ORM is the only wall).
"""

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.cases.models import Case
from homeward.evidence.models import Assurance
from homeward.people.models import Person, PersonName
from homeward.security.roles import APP_ROLE, ensure_app_role
from homeward.security.rowsecurity import (
    protected_models,
    reset_row_scope,
    scope_value,
    scoped_models,
    set_row_scope,
)
from tests.security.conftest import as_app_role, on_postgres, session_state
from tests.test_scope_matrix import matrix  # noqa: F401  (one row per state in most tables)

PROBE = "/rls-probe/page/"
API_PROBE = "/rls-probe/api/"


def _oracle(model, states) -> set:
    """The keys the ORM's own scope filter gives `states` (read as the owner: no RLS)."""
    return {
        str(pk)
        for pk in model.objects.filter(model.scope_filter(states)).values_list("pk", flat=True)
    }


def _table_keys(cursor, model) -> set:
    table, pk = model._meta.db_table, model._meta.pk.column
    cursor.execute(f'SELECT "{pk}"::text FROM "{table}"')  # noqa: S608  (names from model metadata)
    return {row[0] for row in cursor.fetchall()}


def test_scoped_models_are_all_protected_but_the_declared_exceptions():
    # given every model that declares a home-state scope
    labels = {model._meta.label_lower for model in scoped_models()}
    protected = {model._meta.label_lower for model in protected_models()}
    unchecked = {
        model._meta.label_lower
        for model in protected_models()
        if not getattr(model, "row_security_check_inserts", True)
    }
    # then only the public country list opts out, and only the audit trail appends unchecked
    assert labels - protected == {"core.homestate"}
    assert unchecked == {"audit.auditevent"}
    assert {"cases.case", "people.person", "evidence.dnaresult", "audit.auditevent"} <= protected


def test_scope_value_says_every_none_or_the_users_states(users):
    assert scope_value(users["admin"]) == "*"
    assert scope_value(users["mfa.officer"]) == "*"
    assert scope_value(users["consul.ru"]) == "RU"
    assert scope_value(None) == ""
    users["consul.tj"].is_active = False
    assert scope_value(users["consul.tj"]) == ""


@pytest.mark.django_db
def test_every_protected_table_has_forced_rls_and_four_policies():
    tables = sorted(model._meta.db_table for model in protected_models())
    if not on_postgres():
        # SQLite: no row-level security; applying is a no-op that touches nothing
        with CaptureQueriesContext(connection) as queries:
            assert call_command("apply_row_security") is None
        assert len(queries) == 0
        return
    # given the test database, migrated (post_migrate applied the policies)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s) AND relkind = 'r' ORDER BY relname",
            [tables],
        )
        flags = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, array_agg(cmd ORDER BY cmd) FROM pg_policies "
            "WHERE tablename = ANY(%s) GROUP BY tablename ORDER BY tablename",
            [tables],
        )
        policies = dict(cursor.fetchall())
        cursor.execute("SELECT relrowsecurity FROM pg_class WHERE relname = 'core_homestate'")
        homestate_rls = cursor.fetchone()[0]
    # then every scoped table has RLS enabled and forced, with one policy per command
    assert flags == [(table, True, True) for table in tables]
    assert policies == {table: ["DELETE", "INSERT", "SELECT", "UPDATE"] for table in tables}
    assert homestate_rls is False


@pytest.mark.django_db
def test_applying_again_is_idempotent_and_the_app_role_cannot_bypass():
    if not on_postgres():
        # SQLite has no roles: the command says so instead of pretending
        with pytest.raises(Exception, match="only on PostgreSQL"):
            call_command("create_db_roles")
        return
    # given policies already applied by migrate
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_policies WHERE policyname LIKE 'homeward_scope%%'")
        before = cursor.fetchone()[0]
    # when they are applied again and the role is created again
    call_command("apply_row_security")
    call_command("create_db_roles")
    call_command("create_db_roles")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_policies WHERE policyname LIKE 'homeward_scope%%'")
        after = cursor.fetchone()[0]
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s",
            [APP_ROLE],
        )
        attributes = cursor.fetchone()
        cursor.execute(
            "SELECT has_table_privilege(%s, 'audit_auditevent', 'UPDATE'), "
            "has_table_privilege(%s, 'audit_auditevent', 'INSERT'), "
            "has_table_privilege(%s, 'cases_case', 'UPDATE')",
            [APP_ROLE] * 3,
        )
        privileges = cursor.fetchone()
    # then nothing doubled, the role cannot bypass RLS, and the audit trail is append-only
    assert after == before == 4 * len(protected_models())
    assert attributes == (False, False, False)
    assert privileges == (False, True, True)


def test_raw_sql_as_the_app_role_sees_only_the_scope_in_every_table(matrix):  # noqa: F811
    models = protected_models()
    if not on_postgres():
        # SQLite: the raw tables hold both states' rows; the ORM alone narrows them
        assert Case.objects.filter(home_state="TJ").exists()
        return
    # given one Russian and one Tajik row in most tables, read by the owner as the oracle
    expected = {model: _oracle(model, ["RU"]) for model in models}
    everything = {
        model: set(map(str, model.objects.values_list("pk", flat=True))) for model in models
    }
    hidden_somewhere = {
        model._meta.label_lower for model in models if everything[model] - expected[model]
    }
    # when each table is read with raw SQL as the app role with scope "RU"
    with as_app_role("RU") as cursor:
        seen = {model: _table_keys(cursor, model) for model in models}
    # then every table shows exactly the Russian rows: zero rows of any other state
    wrong = {
        model._meta.label_lower: (
            sorted(seen[model] - expected[model]),
            len(expected[model] - seen[model]),
        )
        for model in models
        if seen[model] != expected[model]
    }
    assert wrong == {}
    # and the data really had other states' rows to hide, in the tables that matter most
    assert {
        "cases.case", "people.person", "people.personname", "people.relationship",
        "people.custodyepisode", "attachments.attachment", "audit.auditevent",
        "evidence.nationalityclaim", "evidence.dnasample", "evidence.dnacomparison",
        "evidence.clearance", "evidence.courtcase", "diplomacy.engagement",
        "diplomacy.actionitem", "matching.duplicatecandidate",
    } <= hidden_somewhere  # fmt: skip


@pytest.mark.django_db
def test_no_scope_means_no_rows_and_star_means_all(registry):
    if not on_postgres():
        assert Case.objects.count() == 3
        return
    # given the app role with the scope unset, empty, and "*"
    with as_app_role(None) as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        unset = cursor.fetchone()[0]
    with as_app_role("") as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        empty = cursor.fetchone()[0]
    with as_app_role("*") as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        every = cursor.fetchone()[0]
    # then forgetting the scope fails closed, and "*" is every row
    assert (unset, empty) == (0, 0)
    assert every == Person.objects.count() > 0


@pytest.mark.django_db
def test_the_app_role_cannot_write_outside_its_scope(registry, users):
    if not on_postgres():
        return _sqlite_writes_rely_on_the_orm(registry)
    ru_child, tj_child = registry["ru_child"], registry["tj_child"]
    with as_app_role("RU") as cursor:
        # when a Russian-scoped session adds a name to its own child (a row not yet visible)
        PersonName.objects.create(person=ru_child, full_text="Khadija H.", name_type="alias")
        # but also moves its own case to Tajikistan, and names a Tajik child
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            cursor.execute(
                "UPDATE cases_case SET home_state_id = 'TJ' WHERE id = %s", [ru_child.case.pk]
            )
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            PersonName.objects.create(person=tj_child, full_text="X", name_type="alias")
        # or changes a Tajik case it cannot see
        cursor.execute(
            "UPDATE cases_case SET version = version + 1 WHERE id = %s", [tj_child.case.pk]
        )
        updated_tj = cursor.rowcount
        own_names = PersonName.objects.filter(person=ru_child, full_text="Khadija H.").count()
    # then its own write passed, the move and the foreign name were refused, and the Tajik
    # case was not even found
    assert own_names == 1
    assert updated_tj == 0
    assert Case.objects.get(pk=ru_child.case.pk).home_state_id == "RU"
    assert not PersonName.objects.filter(full_text="X").exists()


def _sqlite_writes_rely_on_the_orm(registry):
    # SQLite: no database-level refusal exists; out-of-scope writes are stopped by the ORM
    # (tests/test_scope_matrix.py shows the 404s); here the row is simply writable
    tj_case = registry["tj_child"].case
    assert Case.objects.filter(pk=tj_case.pk).update(version=tj_case.version + 1) == 1


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_an_unscoped_query_in_a_consuls_request_returns_only_its_rows(client, users, registry):
    # given consul.ru signed in, and a view that forgets for_user(): Case.objects.all()
    client.force_login(users["consul.ru"])
    all_states = sorted(Case.objects.values_list("home_state_id", flat=True))
    if not on_postgres():
        # SQLite: the unscoped query returns every state's case (the ORM is the only wall)
        assert client.get(PROBE).json()["case_states"] == all_states == ["RU", "RU", "TJ"]
        return
    before = session_state()
    # when the request runs while the connection is the application role
    with as_app_role(None):
        page = client.get(PROBE).json()
        after_request = session_state()
    # then PostgreSQL returns only the Russian cases and people, and resets the scope after
    assert all_states == ["RU", "RU", "TJ"]
    assert page == {"case_states": ["RU", "RU"], "people": _oracle_count(Person, ["RU"])}
    assert after_request == (APP_ROLE, "")
    assert session_state() == before


def _oracle_count(model, states) -> int:
    return len(_oracle(model, states))


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_api_token_users_get_their_scope_after_drf_authenticates(users, registry):
    # given consul.ru calling the API with a token (no session: the middleware sees nobody)
    token = issue_api_token(users["consul.ru"], actor=users["consul.ru"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    if not on_postgres():
        assert api.get(API_PROBE).json()["case_states"] == ["RU", "RU", "TJ"]
        return
    # when an unscoped API view runs as the application role
    with as_app_role(None):
        body = api.get(API_PROBE).json()
        after = session_state()
    # then the token user's scope reached PostgreSQL, and was reset afterwards
    assert body["case_states"] == ["RU", "RU"]
    assert after == (APP_ROLE, "")


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_request_role_setting_switches_every_request_to_the_app_role(
    client, users, registry, settings
):
    # given a deployment with one database login that names the request role
    settings.HOMEWARD_DB_REQUEST_ROLE = APP_ROLE
    client.force_login(users["consul.ru"])
    if not on_postgres():
        # SQLite: there are no roles; the setting changes nothing and queries nothing
        with CaptureQueriesContext(connection) as queries:
            set_row_scope(users["consul.ru"])
            reset_row_scope()
        assert len(queries) == 0
        assert client.get(PROBE).json()["case_states"] == ["RU", "RU", "TJ"]
        return
    with transaction.atomic():
        ensure_app_role()
        before = session_state()
        # when the consul and then an officer request the unscoped probe
        consul_page = client.get(PROBE).json()
        client.force_login(users["mfa.officer"])
        officer_page = client.get(PROBE).json()
        after = session_state()
    # then each saw exactly their scope, and the connection is its own role again after
    assert consul_page["case_states"] == ["RU", "RU"]
    assert officer_page["case_states"] == ["RU", "RU", "TJ"]
    assert after == before


@pytest.mark.django_db
def test_the_api_write_path_works_under_the_app_role(users, registry, settings):
    """Inserts of a scoped user pass the row checks (a new row is judged before it exists).

    Services open durable transactions, so this request cannot run inside a test savepoint:
    the request role setting switches the role for the request instead."""
    token = issue_api_token(users["consul.ru"], actor=users["consul.ru"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    ru_case, tj_case = registry["ru_child"].case, registry["tj_child"].case
    body = {
        "case": str(ru_case.pk),
        "reference": "NV-9",
        "dated": "2024-05-01",
        "items": ["placement"],
    }
    if on_postgres():
        ensure_app_role()
        settings.HOMEWARD_DB_REQUEST_ROLE = APP_ROLE
    # when consul.ru records an assurance for its own child, then for the Tajik child
    created = api.post("/api/v1/assurances/", body, format="json")
    refused = api.post("/api/v1/assurances/", {**body, "case": str(tj_case.pk)}, format="json")
    # then the first is written (with its audit event), the second refused without a trace
    assert created.status_code == 201, created.content
    assert refused.status_code in (400, 404)
    assert list(Assurance.objects.values_list("case_id", flat=True)) == [ru_case.pk]
    if on_postgres():  # and the connection left the application role with the response
        assert session_state()[0] != APP_ROLE


@pytest.mark.django_db
def test_a_request_costs_one_setting_query_each_way_and_none_when_anonymous(client, users):
    def settings_queries(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return sum("set_config" in query["sql"] for query in queries)

    # given nobody signed in, then consul.ru
    anonymous = settings_queries(reverse("login"))
    client.force_login(users["consul.ru"])
    consul = settings_queries(reverse("people:child_list"))
    # then PostgreSQL gets the scope once and its reset once; SQLite gets nothing at all
    assert (anonymous, consul) == ((0, 2) if on_postgres() else (0, 0))
