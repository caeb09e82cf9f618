"""No index that only costs writes: the ones dropped stay dropped, the ones reads need stay."""

import pytest
from django.apps import apps
from django.db import connection

from homeward.core.schema import drop_pattern_indexes

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, list[str]]:
    """The columns of each index of `table`, unique constraints included."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: c["columns"] for name, c in constraints.items() if c["index"] or c["unique"]}


def _pattern_indexed(table: str) -> set[str]:
    """The columns of `table` with a varchar_pattern_ops index (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'",
            [table],
        )
        return {row[0].split("(")[1].split()[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    ("table", "dropped", "covering"),
    [
        ("matching_namekey", ["name_id"], ["name_id", "part", "key"]),
        ("people_person", ["merged_into_id"], ["merged_into_id", "kind"]),
        ("cases_case", ["home_state_id"], ["home_state_id", "status"]),
        ("imports_importrow", ["batch_id"], ["batch_id", "number"]),
        ("people_personname", ["search_text"], None),
    ],
)
def test_a_column_read_through_a_wider_index_has_no_index_of_its_own(table, dropped, covering):
    indexes = list(_indexes(table).values())
    assert dropped not in indexes
    if covering is not None:
        assert covering in indexes


def test_postgresql_keeps_pattern_indexes_only_where_a_prefix_is_searched():
    if connection.vendor != "postgresql":
        pytest.skip("pattern indexes are PostgreSQL's")
    assert _pattern_indexed("audit_auditevent") == set()
    assert _pattern_indexed("imports_importedrecord") == set()
    assert _pattern_indexed("people_person") == set()
    # case references are read by prefix (the next number of a year): that one stays
    assert _pattern_indexed("cases_case") == {"reference"}


def test_dropping_pattern_indexes_is_undone_as_django_creates_them():
    if connection.vendor != "postgresql":
        pytest.skip("pattern indexes are PostgreSQL's")
    operation = drop_pattern_indexes("audit", "AuditEvent", "hash", "prev_hash")
    with connection.schema_editor(atomic=False) as editor:
        operation.reverse_code(apps, editor)
        assert _pattern_indexed("audit_auditevent") == {"hash", "prev_hash"}
        operation.code(apps, editor)
    assert _pattern_indexed("audit_auditevent") == set()
