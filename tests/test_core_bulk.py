"""core.bulk: the lean insert writes the rows bulk_create writes; the memoised validation
refuses what full_clean refuses, every time; the page cache is widened, the journals kept in
memory and the garbage collector paused only inside their blocks."""

import datetime
import gc
import weakref

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from homeward.core.bulk import (
    collecting_per_chunk,
    full_clean,
    insert,
    insert_rows,
    journals_in_memory,
    page_cache,
)
from homeward.matching.models import NameKey
from homeward.people.models import Person, PersonName

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "sex", "date_of_birth", "dob_precision", "unaccompanied", "languages",
          "place_of_birth_locality", "version"]  # fmt: skip


def _person(**fields):
    return Person(**{"kind": "child", "sex": "female", "date_of_birth": datetime.date(2016, 3, 1),
                     "dob_precision": "day", "languages": ["ru"], **fields})  # fmt: skip


def test_insert_writes_what_bulk_create_writes_and_returns_generated_keys():
    ours, theirs = _person(unaccompanied=True), _person(place_of_birth_locality="Mosul")
    other = _person(sex="male", languages=[], date_of_birth=None, dob_precision="unknown")
    insert(Person, [ours, other])  # two rows: on PostgreSQL, one array per column (UNNEST)
    assert Person.objects.get(pk=other.pk).languages == [] and other.created_at is not None
    Person.objects.bulk_create([theirs])
    assert not ours._state.adding and ours.created_at is not None
    rows = {p.pk: [getattr(p, f) for f in FIELDS] for p in Person.objects.all()}
    assert rows[ours.pk] == ["child", "female", datetime.date(2016, 3, 1), "day", True, ["ru"],
                             "", 1]  # fmt: skip
    assert rows[theirs.pk] == ["child", "female", datetime.date(2016, 3, 1), "day", False,
                               ["ru"], "Mosul", 1]  # fmt: skip
    names = [PersonName(person=ours, full_text=f"Amina {n}", name_type="alias",
                        search_text=f"amina {n}") for n in range(3)]  # fmt: skip
    insert(PersonName, names, batch_size=2)  # two statements
    assert [n.pk for n in names] == list(
        PersonName.objects.filter(person=ours).order_by("pk").values_list("pk", flat=True)
    )
    assert insert_rows(NameKey, ["person_id", "name_id", "part", "key"],
                       [(ours.pk, names[0].pk, "given", "AMN")]) == 1  # fmt: skip
    assert list(NameKey.objects.values_list("person_id", "name__full_text", "part", "key")) == [
        (ours.pk, "Amina 0", "given", "AMN")
    ]


def test_json_values_are_written_as_bulk_create_writes_them():
    # given JSON values full of characters to escape, and Arabic
    tricky = [
        ['a"b', "back\\slash", "عربي", None, {"k": [1, 2.5, True], "q": '"}'}],
        [],
        ["ru", "{}", "[1]", "a,b"],
    ]
    ours = [_person(languages=value) for value in tricky]
    # when they are inserted together (on PostgreSQL: the column sent as one JSON document)
    with CaptureQueriesContext(connection) as statements:
        insert(Person, ours)
    # then each row reads back exactly, as bulk_create's rows do
    theirs = Person.objects.bulk_create([_person(languages=value) for value in tricky])
    for mine, bulk, value in zip(ours, theirs, tricky, strict=True):
        assert Person.objects.get(pk=mine.pk).languages == value
        assert Person.objects.get(pk=bulk.pk).languages == value
    if connection.vendor == "postgresql":
        assert "jsonb_array_elements" in statements.captured_queries[-1]["sql"]


def test_a_json_column_with_a_sql_null_goes_as_an_array_of_values():
    from psycopg.types.json import Jsonb

    from homeward.core.bulk import _json_array

    assert _json_array([Jsonb({"a": '"'}), Jsonb([1])]) == '[{"a": "\\""},[1]]'
    assert _json_array([Jsonb({}), None]) is None


def test_memoised_validation_refuses_what_full_clean_refuses_every_time():
    memo: dict = {}
    full_clean(_person(), memo=memo)
    assert memo  # valid values remembered
    for _attempt in range(2):  # a failure is never remembered
        bad = _person(sex="robot", place_of_birth_locality="x" * 121)
        with pytest.raises(ValidationError) as ours:
            full_clean(bad, memo=memo)
        with pytest.raises(ValidationError) as django:
            bad.full_clean(validate_unique=False, validate_constraints=False)
        assert ours.value.message_dict == django.value.message_dict
        assert set(ours.value.message_dict) == {"sex", "place_of_birth_locality"}
    with pytest.raises(ValidationError) as invariant:  # the model's clean() runs for each
        full_clean(_person(date_of_death=datetime.date(2010, 1, 1)), memo=memo)
    assert set(invariant.value.message_dict) == {"date_of_death"}


def test_each_field_remembers_at_most_memo_values_and_still_validates_the_others(monkeypatch):
    from homeward.core import bulk

    monkeypatch.setattr(bulk, "MEMO_VALUES", 2)
    memo: dict = {}
    field = Person._meta.get_field("place_of_birth_locality")
    for town in ["Mosul", "Raqqa", "Hasakah", "Mosul"]:
        full_clean(_person(place_of_birth_locality=town), memo=memo)
    remembered = sorted(key[2] for key in memo if type(key) is tuple and key[0] == id(field))
    assert remembered == ["Mosul", "Raqqa"]  # the first two valid values only
    calls = []
    clean = field.clean
    monkeypatch.setattr(field, "clean", lambda value, obj: calls.append(value) or clean(value, obj))
    for town in ["Mosul", "Hasakah", "x" * 121]:
        person = _person(place_of_birth_locality=town)
        if len(town) > 120:
            with pytest.raises(ValidationError) as error:
                full_clean(person, memo=memo)
            assert set(error.value.message_dict) == {"place_of_birth_locality"}
        else:
            full_clean(person, memo=memo)
    assert calls == ["Hasakah", "x" * 121]  # a remembered value is not validated again


def test_each_value_reaches_the_driver_as_the_fields_own_preparation_sends_it():
    """The fast paths (dates, datetimes, JSON, plain types read together) change no value."""
    import uuid

    from django.db import connection
    from django.utils import timezone

    from homeward.audit.models import AuditEvent
    from homeward.core.bulk import _converter, _prepare
    from homeward.imports.models import ImportRow

    aware = timezone.now()
    samples = {
        (Person, "date_of_birth"): [datetime.date(2016, 3, 1), None, "2016-03-01",
                                    datetime.datetime(2016, 3, 1, 10, 0, tzinfo=datetime.UTC)],
        (Person, "languages"): [["ru"], [], None, {"a": [1, "b"]}],
        (Person, "unaccompanied"): [True, False],
        (Person, "version"): [1, True, None],
        (Person, "place_of_birth_locality"): ["Mosul", ""],
        (AuditEvent, "occurred_at"): [aware, aware.astimezone(datetime.timezone.max)],
        (AuditEvent, "data"): [{"names": 1, "ok": True}, {}, None,
                               {"é": ["خديجة", {"at": aware, "id": uuid.UUID(int=1)}]}],
        (AuditEvent, "case_id"): [uuid.uuid4(), None, str(uuid.uuid4())],
        (ImportRow, "errors"): [[], [{"column": "sex", "message": "é"}]],
        (PersonName, "person"): [uuid.uuid4(), None, str(uuid.uuid4())],
        (PersonName, "full_text"): ["Amina", ""],
        (AuditEvent, "actor"): [1, None],
    }  # fmt: skip
    for (model, name), values in samples.items():
        field = model._meta.get_field(name)
        unchanged, convert = _converter(field, connection)
        for value in values:
            theirs = field.get_db_prep_save(value, connection)
            ours = _prepare(field, connection)(value)
            assert _comparable(ours) == _comparable(theirs), (name, value)
            # a value of a type passed unchanged is what the field's preparation gives
            ours = value if type(value) in unchanged else convert(value)
            assert _comparable(ours) == _comparable(theirs), (name, value)


def _comparable(value):
    """psycopg's Jsonb wrapper has no equality of its own: compare what it wraps and how."""
    if hasattr(value, "obj") and hasattr(value, "dumps"):
        return type(value), value.obj, value.dumps
    return value


def test_a_pinned_today_holds_only_inside_its_block(monkeypatch):
    from django.utils import timezone

    from homeward.people import models as people_models

    real = timezone.localdate()
    with people_models.pinned_today():
        monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(1999, 1, 1))
        assert people_models._today() == real  # read once, at the start of the block
    assert people_models._today() == datetime.date(1999, 1, 1)  # read again after it


def _cache_size():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_page_cache_widens_sqlites_cache_inside_its_block_and_restores_it_after_an_error():
    if connection.vendor != "sqlite":
        # PostgreSQL's buffers are the server's: the block issues no statement at all
        with CaptureQueriesContext(connection) as issued, page_cache(256):
            pass
        assert issued.captured_queries == []
        return
    before = _cache_size()
    assert before == -2000  # SQLite's default: 2,000 KiB
    with page_cache(256):
        assert _cache_size() == -256 * 1024
    assert _cache_size() == before
    with pytest.raises(ZeroDivisionError), page_cache(64):
        assert _cache_size() == -64 * 1024
        1 / 0  # noqa: B018
    assert _cache_size() == before


def _temp_store():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # SQLite refuses the change inside a transaction
def test_journals_in_memory_keeps_sqlites_temporary_files_in_memory_inside_its_block_only():
    if connection.vendor != "sqlite":
        with CaptureQueriesContext(connection) as issued, journals_in_memory():
            pass
        assert issued.captured_queries == []
        return
    before = _temp_store()
    assert before == 0  # SQLite's default: as compiled (files)
    with journals_in_memory():
        assert _temp_store() == 2  # MEMORY
    assert _temp_store() == before
    with pytest.raises(ZeroDivisionError), journals_in_memory():
        assert _temp_store() == 2
        1 / 0  # noqa: B018
    assert _temp_store() == before
    with transaction.atomic(), journals_in_memory():
        assert _temp_store() == before  # inside a transaction: left as it is


class _Node:
    """An object in a reference cycle (only the cyclic collector frees it)."""

    def __init__(self):
        self.me = self


def test_collecting_per_chunk_pauses_automatic_collection_and_frees_cycles_when_asked():
    assert gc.isenabled()
    with collecting_per_chunk() as collect:
        assert not gc.isenabled()
        cycle = weakref.ref(_Node())
        assert cycle() is not None  # paused: the cycle outlives its last reference
        collect()
        assert cycle() is None  # the young generations collected, the cycle freed
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collecting_per_chunk():
        1 / 0  # noqa: B018
    assert gc.isenabled()  # enabled again after an error too
    gc.disable()
    try:
        with collecting_per_chunk():
            pass
        assert not gc.isenabled()  # left as it was found: disabled
    finally:
        gc.enable()
