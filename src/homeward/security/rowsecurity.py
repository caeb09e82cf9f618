"""PostgreSQL row-level security: a second wall behind `ScopedQuerySet.for_user()`.

The first wall is the ORM: views and viewsets narrow every queryset to the caller's home
states. This module makes PostgreSQL enforce the same rule, so a query that forgets
`for_user()` (a new view, a report, a bug) still returns only the caller's rows when the
connection runs as the application role.

How the rule reaches the database
    Each request stores the caller's scope in the setting `homeward.home_states`: "*" for
    every home state, "" for none, "RU,TJ" for those. The request path sets it after
    authentication (`RowSecurityMiddleware` for session users, `RowScopeAPIMixin.initial()`
    for API token users) and resets it to "" in a `finally` block. Unset and "" both mean
    "no rows": under the application role, forgetting to set the scope fails closed.

Where the policies come from
    They are generated, never written by hand: every concrete model that mixes in
    `ScopedModelMixin` declares `scope_filter(home_states)`, the Q the ORM applies. That Q is
    compiled by Django with the home states replaced by `homeward_rls_states()` (the parsed
    setting), so the policy is the same predicate the ORM uses, for every scoped model,
    including one added tomorrow. A filter on the row's own columns becomes the policy
    expression itself. A filter that follows relations (a name through its person, a
    clearance through its case) becomes two SECURITY DEFINER functions: the set of keys
    *hidden* from the scope (reads: hashed once per statement; a row being inserted is not
    in it, which `INSERT ... RETURNING` needs, since PostgreSQL checks the new row against
    the read policy before it exists) and a check of one row (inserts and updates). They run
    as the owner, so a policy that reads another protected table cannot recurse into that
    table's own policy.

    A model can opt out with `row_security = False` (reference data only; the test suite
    lists the exceptions) or keep scoped reads but unchecked inserts with
    `row_security_check_inserts = False` (the audit trail, which records events about any
    record, including refusals about out-of-scope ones).

Why post_migrate, not migrations
    A migration per model would have to be written by hand and rewritten whenever a scope
    filter changes; the filters live in Python, so the policies are regenerated from them
    after every `migrate` (the `post_migrate` signal of this app, sent once after all
    migrations ran, also on test databases) and by `homeward apply_row_security` on demand.
    Applying is idempotent: one transaction drops Homeward's policies and functions and
    recreates them from the current declarations.

Roles (docs: security "Database roles")
    The owner runs migrations, owns the tables and these functions, and is the "system"
    context (management commands, demo seeding, daily rules): it must be a superuser or
    have BYPASSRLS, which `apply_row_security` checks. The application role
    (`homeward_app`, see `create_db_roles`) is NOSUPERUSER NOBYPASSRLS and every table has
    FORCE ROW LEVEL SECURITY, so its reads and writes always pass the policies.

SQLite has no row-level security: every function here is a no-op there.
"""

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models.expressions import RawSQL

from homeward.core.scoping import ScopedModelMixin, home_state_scope

__all__ = [
    "ALL_STATES",
    "SCOPE_SETTING",
    "apply_row_security",
    "protected_models",
    "reset_row_scope",
    "scope_value",
    "scoped_models",
    "set_row_scope",
    "supports_row_security",
]

SCOPE_SETTING = "homeward.home_states"
ALL_STATES = "*"
POLICY_PREFIX = "homeward_scope"
FUNCTION_PREFIX = "homeward_rls"

# Set on the connection wrapper while a scope or role set by this module may be in force.
_CHANGED = "homeward_row_scope_changed"

# The home states of the current statement, as a SQL subquery for `__in` lookups.
_STATES = RawSQL("SELECT unnest(homeward_rls_states())", [])

_HELPERS = f"""
CREATE OR REPLACE FUNCTION homeward_rls_all() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('{SCOPE_SETTING}', true), '') = '{ALL_STATES}' $$;
CREATE OR REPLACE FUNCTION homeward_rls_states() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT string_to_array(
        nullif(nullif(coalesce(current_setting('{SCOPE_SETTING}', true), ''), '{ALL_STATES}'),
        '') , ',') $$;
"""


def supports_row_security(connection) -> bool:
    return connection.vendor == "postgresql"


# --- the request's scope -------------------------------------------------------------


def scope_value(user) -> str:
    """The setting's value for `user`: "*" (every state), "" (none) or "RU,TJ"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ""
    scope = home_state_scope(user)
    if scope is None:
        return ALL_STATES
    return ",".join(sorted(scope))


def set_row_scope(user, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Tell PostgreSQL whose request this is: the scope, and the request role if configured.

    Session-level (`set_config(..., false)`), because a request is not one transaction;
    `reset_row_scope()` must follow in a `finally` block.
    """
    connection = connections[using]
    if not supports_row_security(connection):
        return
    role, value = settings.HOMEWARD_DB_REQUEST_ROLE, scope_value(user)
    if not role and not value and not getattr(connection, _CHANGED, False):
        return  # "no rows" is what the connection already says: save the round trip
    with connection.cursor() as cursor:  # one round trip: `role` is a setting too (SET ROLE)
        if role:
            cursor.execute(
                "SELECT set_config(%s, %s, false), set_config('role', %s, false)",
                [SCOPE_SETTING, value, role],
            )
        else:
            cursor.execute("SELECT set_config(%s, %s, false)", [SCOPE_SETTING, value])
    setattr(connection, _CHANGED, True)


def reset_row_scope(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Back to "no rows" and the connection's own role, so nothing leaks into the next use."""
    connection = connections[using]
    if not supports_row_security(connection) or not getattr(connection, _CHANGED, False):
        return  # nothing was set on this connection since the last reset
    setattr(connection, _CHANGED, False)
    if connection.connection is None:
        return  # closed since: a new connection starts with nothing set
    if connection.needs_rollback or _transaction_aborted(connection):
        return  # the enclosing rollback reverts the settings made inside the transaction
    try:
        with connection.cursor() as cursor:
            if settings.HOMEWARD_DB_REQUEST_ROLE:  # 'none' is RESET ROLE: the login role again
                cursor.execute(
                    "SELECT set_config(%s, '', false), set_config('role', 'none', false)",
                    [SCOPE_SETTING],
                )
            else:
                cursor.execute("SELECT set_config(%s, '', false)", [SCOPE_SETTING])
    except DatabaseError:
        # cannot reset (the database went away mid-request): drop the connection, so that
        # no scope or role survives on it, and let the request's own answer stand
        if not connection.in_atomic_block:
            connection.close()


def _transaction_aborted(connection) -> bool:
    from psycopg.pq import TransactionStatus

    return connection.connection.info.transaction_status == TransactionStatus.INERROR


# --- the policies ----------------------------------------------------------------------


def scoped_models() -> list[type[models.Model]]:
    """Every concrete model whose rows belong to home states (ScopedModelMixin)."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, ScopedModelMixin)
        and model._meta.managed
        and not model._meta.proxy
        and not model._meta.abstract
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def protected_models() -> list[type[models.Model]]:
    """The scoped models whose tables carry row-level security."""
    return [model for model in scoped_models() if getattr(model, "row_security", True)]


@dataclass(frozen=True)
class TablePolicy:
    """The SQL that protects one table."""

    table: str
    read: str  # the row is visible (USING)
    check: str  # a new or changed row is allowed (WITH CHECK)
    check_inserts: bool
    functions: tuple[str, ...]  # CREATE FUNCTION statements the expressions call
    appending: str | None = None  # true only for the row an unchecked INSERT appends

    def statements(self, quote) -> list[str]:
        table = quote(self.table)
        read = f"homeward_rls_all() OR ({self.read})"
        select = f"{read} OR ({self.appending})" if self.appending else read
        check = f"homeward_rls_all() OR ({self.check})" if self.check_inserts else "true"
        write = f"homeward_rls_all() OR ({self.check})"
        return [
            *self.functions,
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY {POLICY_PREFIX}_select ON {table} FOR SELECT USING ({select})",
            f"CREATE POLICY {POLICY_PREFIX}_insert ON {table} FOR INSERT WITH CHECK ({check})",
            f"CREATE POLICY {POLICY_PREFIX}_update ON {table} FOR UPDATE "
            f"USING ({read}) WITH CHECK ({write})",
            f"CREATE POLICY {POLICY_PREFIX}_delete ON {table} FOR DELETE USING ({read})",
        ]


def _function_name(kind: str, table: str) -> str:
    name = f"{FUNCTION_PREFIX}_{kind}_{table}"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(table.encode()).hexdigest()[:8]
    return f"{name[: 63 - 9]}_{digest}"


def policy_for(model: type[models.Model], connection) -> TablePolicy:
    """Compile `model.scope_filter()` into the policy expressions for its table."""
    opts = model._meta
    table, quote = opts.db_table, connection.ops.quote_name
    check_inserts = getattr(model, "row_security_check_inserts", True)
    appending = None if check_inserts else _appending(model, connection)
    queryset = model._base_manager.filter(model.scope_filter(_STATES)).order_by().values_list("pk")
    query = queryset.query
    compiler = query.get_compiler(connection=connection)
    where_sql, where_params = compiler.compile(query.where) if query.where else ("", [])
    joined = len([alias for alias, count in query.alias_refcount.items() if count]) > 1
    if not where_sql:
        return TablePolicy(table, "true", "true", check_inserts, (), appending)
    if not joined and " FROM " not in where_sql.upper().replace(_STATES.sql.upper(), ""):
        # only the row's own columns: the predicate is the policy
        expression = connection.ops.compose_sql(where_sql, where_params)
        return TablePolicy(table, expression, expression, check_inserts, (), appending)
    pk = opts.pk
    visible = model._base_manager.filter(model.scope_filter(_STATES)).values("pk")
    hidden_sql, params = (
        model._base_manager.exclude(pk__in=visible)
        .order_by()
        .values_list("pk")
        .query.sql_with_params()
    )
    hidden_sql = connection.ops.compose_sql(hidden_sql, params)
    select_sql = connection.ops.compose_sql(*compiler.as_sql())
    pk_type = pk.rel_db_type(connection) if pk.is_relation else pk.db_type(connection)
    schema = _schema(connection)
    hidden, row = _function_name("hidden", table), _function_name("row", table)
    source = f"FROM {quote(table)}"
    if source + " " not in select_sql + " ":
        raise ImproperlyConfigured(f"Cannot find {source} in the scope query of {opts.label}")
    one_row = select_sql.replace(source, f"FROM (SELECT ($1).*) AS {quote(table)}", 1)
    definer = f"STABLE SECURITY DEFINER SET search_path = {quote(schema)}, pg_temp"
    functions = (
        f"CREATE FUNCTION {hidden}() RETURNS SETOF {pk_type} LANGUAGE sql {definer} "
        f"AS $rls$ {hidden_sql} $rls$",
        f"CREATE FUNCTION {row}({quote(table)}) RETURNS boolean LANGUAGE sql {definer} "
        f"AS $rls$ SELECT EXISTS ({one_row}) $rls$",
    )
    read = f"{quote(table)}.{quote(pk.column)} NOT IN (SELECT {hidden}())"
    check = f"{row}({quote(table)})"
    return TablePolicy(table, read, check, check_inserts, functions, appending)


def _appending(model: type[models.Model], connection) -> str:
    """SQL true only for the row being appended to an append-only log with unchecked inserts.

    PostgreSQL also checks the row of an `INSERT ... RETURNING` (Django's every insert)
    against the *read* policy, so a consul's request could not append an event about no home
    state (a list, a sign-in) without this. The audit trail appends under its head row's
    lock with `seq = head.seq + 1` and moves the head afterwards: the row being appended is
    exactly the one beyond the head, and every stored row lies at or below it.
    """
    from homeward.audit.models import AuditEvent, AuditHead

    if model is not AuditEvent:
        raise ImproperlyConfigured(
            f"{model._meta.label}: unchecked inserts are only known for the audit trail."
        )
    quote = connection.ops.quote_name
    event, head = quote(AuditEvent._meta.db_table), quote(AuditHead._meta.db_table)
    return f'{event}."seq" > (SELECT "seq" FROM {head} WHERE "id" = 1)'  # noqa: S608  (table names)


def _schema(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def owner_bypasses_row_security(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def apply_row_security(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """(Re)create the policies of every protected table; return the tables. No-op on SQLite."""
    connection = connections[using]
    if not supports_row_security(connection):
        return []
    if not owner_bypasses_row_security(connection):
        raise ImproperlyConfigured(
            "Row-level security is applied by the owner role, which must be a superuser or "
            "have BYPASSRLS (it is the system context); the current role has neither."
        )
    quote = connection.ops.quote_name
    policies = [policy_for(model, connection) for model in protected_models()]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _drop_existing(cursor)
        cursor.execute(_HELPERS)
        for policy in policies:
            for statement in policy.statements(quote):
                cursor.execute(statement)
    return [policy.table for policy in policies]


def _drop_existing(cursor) -> None:
    """Homeward's policies, then its per-table functions (the policies use them)."""
    cursor.execute(
        "SELECT schemaname, tablename, policyname FROM pg_policies "
        "WHERE policyname LIKE %s AND schemaname = current_schema()",
        [f"{POLICY_PREFIX}%"],
    )
    for schema, table, policy in cursor.fetchall():
        cursor.execute(f'DROP POLICY "{policy}" ON "{schema}"."{table}"')
    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname LIKE %s "
        "AND p.proname NOT IN ('homeward_rls_all', 'homeward_rls_states')",
        [f"{FUNCTION_PREFIX}\\_%"],
    )
    for (signature,) in cursor.fetchall():
        cursor.execute(f"DROP FUNCTION {signature}")


def apply_after_migrate(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs) -> None:
    """post_migrate: regenerate the policies once every app's migrations have run."""
    tables = apply_row_security(using)
    role = settings.HOMEWARD_DB_REQUEST_ROLE
    if tables and role:  # requests switch to this role: it needs the new tables' grants too
        from homeward.security.roles import ensure_app_role

        ensure_app_role(role, using=using)
    if tables and verbosity >= 2:
        print(f"  Row-level security applied to {len(tables)} tables.")
