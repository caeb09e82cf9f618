"""A lean `bulk_create` for imports: the same rows as Django's, written with less Python.

Django's `bulk_create` compiles every value through a chain of generic calls (pre_save,
get_db_prep_save, placeholder checks) that costs tens of microseconds per field; an import
of 100,000 children writes about two million rows. Here each field's conversion is chosen
once per call instead: text, integer and boolean values that already have their Python type,
and UUIDs, go to the driver as the field's own preparation would send them; every other
value goes through the field's own `get_db_prep_save` (with its `pre_save`) exactly as Django
does; auto_now/auto_now_add dates get one timestamp per call. Keys the database generates
come back with RETURNING, as in `bulk_create`. On PostgreSQL the rows go, as Django's
`bulk_create` sends them there, as one array per column (`INSERT … SELECT * FROM UNNEST`).

`insert` takes unsaved model instances; `insert_rows` takes plain tuples for derived rows
(name keys, import links) where building a model instance per row is most of the cost.
Neither runs a model's `save()` or signals (as with `bulk_create`). Models with parents, and
fields that need their own SQL placeholder, fall back to `bulk_create`.

`page_cache` widens SQLite's page cache for one long write transaction,
`journals_in_memory` keeps its statement journals off the disk, and
`collecting_per_chunk` keeps the garbage collector from walking the whole process while a
bulk write holds a chunk's objects (see their docstrings).
"""

import datetime
import gc
import json
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from psycopg.types.json import Jsonb

__all__ = [
    "collecting_per_chunk",
    "full_clean",
    "insert",
    "insert_rows",
    "journals_in_memory",
    "page_cache",
]

# Field classes (exact, not subclasses: a sealed field subclasses TextField) whose
# get_db_prep_save returns a value of the listed type unchanged.
_PASS_THROUGH = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}
# At most this many parameters in one statement (below PostgreSQL's 65,535).
MAX_PARAMS = 30_000


def _prepare(field, connection):
    """A function from a Python value to what the driver gets for `field`."""
    target = field.target_field if field.is_relation else field
    prep = field.get_db_prep_save
    exact = _PASS_THROUGH.get(type(target))
    if type(target) is models.UUIDField and type(field) in (models.UUIDField, models.ForeignKey):
        native = connection.features.has_native_uuid_field

        def as_uuid(value):
            if type(value) is uuid.UUID:
                return value if native else value.hex
            return prep(value, connection)

        return as_uuid
    if type(field) is models.DateTimeField:
        adapt = connection.ops.adapt_datetimefield_value

        def as_datetime(value):
            # an aware datetime is what get_prep_value would pass on unchanged
            if type(value) is datetime.datetime and value.utcoffset() is not None:
                return adapt(value)
            return prep(value, connection)

        return as_datetime
    if type(field) is models.DateField:
        adapt_date = connection.ops.adapt_datefield_value

        def as_date(value):
            return adapt_date(value) if type(value) is datetime.date else prep(value, connection)

        return as_date
    if type(field) is models.JSONField:
        adapt_json, encoder = connection.ops.adapt_json_value, field.encoder
        if type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value:
            # `json.dumps(value, cls=encoder)`, which makes an encoder per value: one made
            # here with the same (default) options encodes the same text
            encode = (encoder or json.JSONEncoder)().encode

            def adapt_json(value, encoder):
                return encode(value)

        def as_json(value):
            # a dict or list is what get_prep_value would pass on unchanged
            if type(value) in (dict, list):
                return adapt_json(value, encoder)
            return prep(value, connection)

        return as_json
    if exact is not None and type(field) in (type(target), models.ForeignKey):

        def plain(value):
            if value is None or type(value) is exact:
                return value
            return prep(value, connection)

        return plain
    return lambda value: prep(value, connection)


def _exact_type(field):
    """The type `_prepare`'s pass-through path hands to the driver unchanged (None: none)."""
    target = field.target_field if field.is_relation else field
    exact = _PASS_THROUGH.get(type(target))
    return exact if exact is not None and type(field) in (type(target), models.ForeignKey) else None


def _converter(field, connection) -> tuple[frozenset, Callable]:
    """(the types of the values `field` hands to the driver unchanged, `_prepare` for the
    others): a row's values are then prepared with one type test each, and a call only for
    those the driver does not take as they are."""
    prepare = _prepare(field, connection)
    exact = _exact_type(field)
    if exact is not None:
        return frozenset({exact, type(None)}), prepare
    target = field.target_field if field.is_relation else field
    if type(target) is models.UUIDField and type(field) in (models.UUIDField, models.ForeignKey):
        # get_db_prep_value: None stays None; a UUID stays one where the driver takes them
        native = connection.features.has_native_uuid_field
        return frozenset({uuid.UUID, type(None)} if native else {type(None)}), prepare
    return frozenset(), prepare


def _reader(attnames: list[str]):
    """A function from an object to the tuple of its `attnames` values."""
    if not attnames:
        return lambda obj: ()
    if len(attnames) == 1:
        get = operator.attrgetter(attnames[0])
        return lambda obj: (get(obj),)
    return operator.attrgetter(*attnames)


def _is_stamp(field) -> bool:
    return isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)


def _plain_date(field) -> bool:
    """A date or datetime field without auto_now: its pre_save is the attribute itself."""
    return type(field) in (models.DateField, models.DateTimeField) and not _is_stamp(field)


def _write(model, fields, rows: list[list], *, returning: bool, batch_size: int) -> list:
    """INSERT `rows` (driver values, one list per row); the generated keys if `returning`."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(f.column) for f in fields)
    # identifiers from the model's own metadata, every value a parameter
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    if _unnest(connection, fields) and len(rows) > 1:
        # PostgreSQL, as Django's bulk_create does there: one array parameter per column,
        # not one placeholder per value. psycopg binds client-side, scanning the statement
        # for its placeholders in Python: with 30,000 of them that scan cost more than
        # everything else in an import's commit.
        types = [f.db_type(connection).split("(")[0] for f in fields]
        per_statement = batch_size
    else:
        types = None
        per_statement = max(1, min(batch_size, MAX_PARAMS // len(fields)))
        limit = connection.features.max_query_params
        if limit:
            per_statement = max(1, min(per_statement, limit // len(fields)))
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            if types is not None and len(chunk) > 1:
                cursor.execute(*_unnest_statement(head, tail, types, chunk))
            else:
                params = [value for values in chunk for value in values]
                cursor.execute(f"{head}VALUES {', '.join([row] * len(chunk))}{tail}", params)
            if returning:
                keys += [value for (value,) in cursor.fetchall()]
    return keys


def _unnest_statement(head: str, tail: str, types: list[str], rows: list[list]):
    """`head SELECT * FROM UNNEST(one array per column) tail` and its parameters.

    A JSON column goes as one JSON array text, expanded by the server, when none of its
    values is SQL NULL: psycopg quotes every element of a text array with a regular
    expression in Python, and JSON values are mostly characters to escape (an import's
    staged rows spent more in that than in reading the spreadsheet).
    """
    arrays, params = [], []
    for db_type, column in zip(types, zip(*rows, strict=True), strict=True):
        document = _json_array(column) if db_type == "jsonb" else None
        if document is None:
            arrays.append(f"(%s)::{db_type}[]")
            params.append(list(column))
        else:
            arrays.append(
                "(SELECT array_agg(j.e ORDER BY j.n)"
                " FROM jsonb_array_elements((%s)::jsonb) WITH ORDINALITY AS j(e, n))"
            )
            params.append(document)
    return f"{head}SELECT * FROM UNNEST({', '.join(arrays)}){tail}", params  # noqa: S608


def _json_array(values) -> str | None:
    """Adapted JSON values (psycopg's Jsonb) as the text of one JSON array; None if one of
    them is not such a value (SQL NULL, say)."""
    texts = []
    for value in values:
        if type(value) is not Jsonb:
            return None
        texts.append((value.dumps or json.dumps)(value.obj))
    return "[" + ",".join(texts) + "]"


def _unnest(connection, fields) -> bool:
    """Whether every column can be sent as one typed array (Django's own test for UNNEST)."""
    return connection.vendor == "postgresql" and all(
        (f.target_field if f.is_relation else f).get_internal_type() in connection.data_types
        for f in fields
    )


def _fallback(model) -> bool:
    meta = model._meta
    return bool(meta.parents) or any(hasattr(f, "get_placeholder") for f in meta.concrete_fields)


def insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 5000):
    """Insert `objs` (unsaved instances of `model`), as `model.objects.bulk_create(objs)` would."""
    objs = list(objs)
    if not objs:
        return objs
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    pk = meta.pk
    generated = isinstance(pk, models.AutoField) and any(obj.pk is None for obj in objs)
    if _fallback(model) or (
        generated
        and (
            any(obj.pk is not None for obj in objs)
            or not connection.features.can_return_rows_from_bulk_insert
        )
    ):
        return model.objects.bulk_create(objs, batch_size=batch_size)
    now = timezone.now()
    # The attributes are read together (one attrgetter per object) and each value that
    # already has the type the driver gets is passed without a call (`_converter`); auto
    # dates are one value for every row, and only fields with a pre_save of their own keep a
    # getter each.
    read_fields, custom_fields, getters, stamp_fields, stamps = [], [], [], [], []
    for field in meta.concrete_fields:
        if not field.column or (generated and field is pk):
            continue
        attname, prepare = field.attname, _prepare(field, connection)
        if _is_stamp(field):
            value = now if isinstance(field, models.DateTimeField) else now.date()
            for obj in objs:
                setattr(obj, attname, value)
            stamp_fields.append(field)
            stamps.append(prepare(value))
        elif type(field).pre_save is not models.Field.pre_save and not _plain_date(field):
            custom_fields.append(field)
            getters.append(lambda obj, f=field, p=prepare: p(f.pre_save(obj, True)))
        else:
            if field.is_relation:
                # a related object saved after it was assigned gives its key now
                for obj in objs:
                    if getattr(obj, attname) is None and field.is_cached(obj):
                        _related_value(obj, field)
            read_fields.append(field)
    fields = read_fields + custom_fields + stamp_fields
    read = _reader([f.attname for f in read_fields])
    kinds = [_converter(field, connection) for field in read_fields]
    rows = [
        [
            value if type(value) in unchanged else convert(value)
            for value, (unchanged, convert) in zip(read(obj), kinds, strict=True)
        ]
        + [get(obj) for get in getters]
        + stamps
        for obj in objs
    ]
    keys = _write(model, fields, rows, returning=generated, batch_size=batch_size)
    if generated:
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, key)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _related_value(obj, field):
    """The key of a foreign key, taken from the related object when it was saved after being
    assigned (as bulk_create does)."""
    value = getattr(obj, field.attname)
    if value is None and field.is_cached(obj):
        related = field.get_cached_value(obj)
        if related is not None:
            if related.pk is None:
                raise ValueError(
                    f"insert() prohibited to prevent data loss due to unsaved related object "
                    f"'{field.name}'."
                )
            value = getattr(related, field.target_field.attname)
            setattr(obj, field.attname, value)
    return value


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch_size=5000,
    returning: bool = False,
) -> int | list:
    """Insert plain rows: `names` are field names (or attnames of foreign keys), each row the
    Python values in that order. Fields not named take their defaults. Returns the count, or
    with `returning` the keys the database generated, in the order of `rows` (as `insert`
    sets them; the model's key must be an AutoField, not named)."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    by_name = {f.name: f for f in meta.concrete_fields} | {
        f.attname: f for f in meta.concrete_fields
    }
    named = [by_name[name] for name in names]
    if meta.pk not in named and not isinstance(meta.pk, models.AutoField):
        raise TypeError(f"{meta.label}: name the primary key")
    others = [f for f in meta.concrete_fields if f.column and f not in named and f is not meta.pk]
    now = timezone.now()
    defaults = []
    for field in others:
        if _is_stamp(field):
            value = now if isinstance(field, models.DateTimeField) else now.date()
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            raise TypeError(f"{meta.label}.{field.name} has no default: name it")
        defaults.append(_prepare(field, connection)(value))
    if returning and (meta.pk in named or not isinstance(meta.pk, models.AutoField)):
        raise TypeError(f"{meta.label}: returning needs a generated key, not named")
    kinds = [_converter(field, connection) for field in named]
    prepared = [
        [
            value if type(value) in unchanged else convert(value)
            for value, (unchanged, convert) in zip(row, kinds, strict=True)
        ]
        + defaults
        for row in rows
    ]
    keys = []
    if prepared:
        keys = _write(
            model, [*named, *others], prepared, returning=returning, batch_size=batch_size
        )
    return keys if returning else len(prepared)


def full_clean(obj: models.Model, *, exclude=(), memo: dict) -> None:
    """`obj.full_clean(exclude, validate_unique=False, validate_constraints=False)` for many
    objects: a field value already found valid in `memo` is not validated again.

    A field's own validation (type, choices, length, validators) depends on its value only,
    so a register whose 100,000 rows repeat the same sex, precision and flags validates each
    value once. Keys, unhashable values and failures are never remembered; the model's
    `clean()` (its invariants across fields) runs for every object. Each field remembers at
    most MEMO_VALUES values (the first ones found valid): a name, a row's source or a case
    reference differs on every row, and remembering them all held hundreds of thousands of
    entries through a large import, to no use.
    """
    errors = {}
    counts = memo.setdefault(_COUNTS, {})
    for f, attname, blank, fid in _checked_fields(type(obj), exclude, memo):
        raw = getattr(obj, attname)
        if blank and raw in f.empty_values:
            continue
        # id(f), not f: a field's own __hash__ is Python code, run for every value here
        key = (fid, type(raw), raw) if fid is not None else None
        try:
            if key is not None and key in memo:
                continue
        except TypeError:
            key = None
        try:
            value = f.clean(raw, obj)
        except ValidationError as error:
            errors[f.name] = error.error_list
            continue
        setattr(obj, f.attname, value)
        if key is not None and value == raw and type(value) is type(raw):
            remembered = counts.get(fid, 0)
            if remembered < MEMO_VALUES:
                memo[key] = True
                counts[fid] = remembered + 1
    try:
        obj.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _checked_fields(model, exclude, memo: dict) -> list[tuple]:
    """The fields `full_clean` validates for `model` less `exclude`, with what it asks of
    each (worked out once per memo, not for every object)."""
    marker = ("fields", model, tuple(exclude))
    found = memo.get(marker)
    if found is None:
        found = memo[marker] = [
            (f, f.attname, f.blank, None if f.primary_key or f.is_relation else id(f))
            for f in model._meta.fields
            if f.name not in exclude and not f.generated
        ]
    return found


MEMO_VALUES = 10_000  # values remembered per field by `full_clean`
_COUNTS = ("remembered per field",)  # full_clean's memo entry: id(field) -> count


@contextmanager
def page_cache(mib: int, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """On SQLite, let this connection cache up to `mib` MiB of pages until the block ends.

    SQLite's default cache is 2 MiB. One transaction that writes a large import dirties far
    more than that, so SQLite spills pages to the write-ahead log mid-transaction and reads
    them back, index pages included: each chunk of an import then costs more than the one
    before (bench/imports). The cache only grows as pages are used, and the previous size is
    restored when the block ends. Open it outside the transaction (`with page_cache(...),
    transaction.atomic(...)`): after a failed statement the transaction refuses queries until
    it is rolled back. Other databases: nothing (PostgreSQL's buffers are the server's).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_pragma(connection, "cache_size", -int(mib) * 1024):  # negative: KiB, not pages
        yield


@contextmanager
def journals_in_memory(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """On SQLite, keep this connection's temporary files in memory until the block ends.

    Inside one long write transaction every page a multi-row INSERT touches is already
    dirty, so SQLite copies each one to a statement journal (a temporary file) before the
    statement changes it, to be able to undo that statement alone (or roll back to an open
    savepoint); the journal is emptied when the statement or savepoint ends. A commit of
    10,000 children wrote 75,000 to 175,000 times per 2,000-row chunk (145 to 341 MB,
    growing with the tables' indexes: bench/imports/chunks.py), and the commit's wall time
    was half again its CPU time. In memory, the journal costs RAM for the pages of one
    statement (or savepoint) at a time, and no write. The previous setting is
    restored when the block ends (SQLite drops temporary tables when it changes, and
    Django makes none). Open it outside the transaction, as `page_cache`: SQLite refuses the
    change inside one, so inside an atomic block (a test's) nothing changes. Other
    databases: nothing.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _sqlite_pragma(connection, "temp_store", "MEMORY"):
        yield


@contextmanager
def _sqlite_pragma(connection, name: str, value) -> Iterator[None]:
    """SQLite's `PRAGMA name = value` for this connection until the block ends, then the
    previous (integer) setting again, also after an error."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name} = {int(previous)}")


@contextmanager
def collecting_per_chunk() -> Iterator[Callable[[], None]]:
    """Pause the cyclic garbage collector's automatic runs until the block ends; the block
    calls the function it is given where it has let go of a chunk (after each chunk's write),
    which collects the young generations.

    A bulk write holds each chunk's objects (hundreds of thousands) until it writes them, so
    to the collector they are survivors, and enough survivors set off a full collection,
    which walks every object in the process: in a commit of 10,000 children, 14 of them took
    2.6 s of 9.5 s of CPU (bench/imports). Paused, nothing is collected mid-chunk; collecting
    the young generations after each chunk walks only what the chunk made and frees its
    reference cycles (a staged person and its names refer to each other), so memory stays
    bounded by about one chunk. What outlives a chunk (the mothers an import remembers)
    waits for the first full collection after the block. Reference counting frees everything
    else at once, paused or not. The collector is process-wide: other threads' cycles wait
    for the next chunk's collection too. It is enabled again at the end only if it was before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(1)
    finally:
        if enabled:
            gc.enable()
