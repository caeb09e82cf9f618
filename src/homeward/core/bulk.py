"""A lean `bulk_create` for imports: the same rows as Django's, written with less Python.

Django's `bulk_create` compiles every value through a chain of generic calls (pre_save,
get_db_prep_save, placeholder checks) that costs tens of microseconds per field; an import
of 100,000 children writes about two million rows. Here each field's conversion is chosen
once per call instead: text, integer and boolean values that already have their Python type,
and UUIDs, go to the driver as the field's own preparation would send them; every other
value goes through the field's own `get_db_prep_save` (with its `pre_save`) exactly as Django
does; auto_now/auto_now_add dates get one timestamp per call. Keys the database generates
come back with RETURNING, as in `bulk_create`.

`insert` takes unsaved model instances; `insert_rows` takes plain tuples for derived rows
(name keys, import links) where building a model instance per row is most of the cost.
Neither runs a model's `save()` or signals (as with `bulk_create`). Models with parents, and
fields that need their own SQL placeholder, fall back to `bulk_create`.
"""

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

__all__ = ["full_clean", "insert", "insert_rows"]

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
    if exact is not None and type(field) in (type(target), models.ForeignKey):

        def plain(value):
            if value is None or type(value) is exact:
                return value
            return prep(value, connection)

        return plain
    return lambda value: prep(value, connection)


def _is_stamp(field) -> bool:
    return isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)


def _write(model, fields, rows: list[list], *, returning: bool, batch_size: int) -> list:
    """INSERT `rows` (driver values, one list per row); the generated keys if `returning`."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    meta = model._meta
    per_statement = max(1, min(batch_size, MAX_PARAMS // len(fields)))
    limit = connection.features.max_query_params
    if limit:
        per_statement = max(1, min(per_statement, limit // len(fields)))
    columns = ", ".join(quote(f.column) for f in fields)
    # identifiers from the model's own metadata, every value a parameter
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [value for values in chunk for value in values]
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            if returning:
                keys += [value for (value,) in cursor.fetchall()]
    return keys


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
    fields = [f for f in meta.concrete_fields if f.column and not (generated and f is pk)]
    now = timezone.now()
    getters = []
    for field in fields:
        attname, prepare = field.attname, _prepare(field, connection)
        if _is_stamp(field):
            value = now if isinstance(field, models.DateTimeField) else now.date()
            for obj in objs:
                setattr(obj, attname, value)
            prepared = prepare(value)
            getters.append(lambda obj, prepared=prepared: prepared)
        elif type(field).pre_save is not models.Field.pre_save:
            getters.append(lambda obj, f=field, p=prepare: p(f.pre_save(obj, True)))
        elif field.is_relation:
            getters.append(lambda obj, f=field, p=prepare: p(_related_value(obj, f)))
        else:
            getters.append(lambda obj, a=attname, p=prepare: p(getattr(obj, a)))
    rows = [[get(obj) for get in getters] for obj in objs]
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
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence], *, batch_size=5000
) -> int:
    """Insert plain rows: `names` are field names (or attnames of foreign keys), each row the
    Python values in that order. Fields not named take their defaults. Returns the count."""
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
    prepares = [_prepare(field, connection) for field in named]
    prepared = [
        [prepare(value) for prepare, value in zip(prepares, row, strict=True)] + defaults
        for row in rows
    ]
    if prepared:
        _write(model, [*named, *others], prepared, returning=False, batch_size=batch_size)
    return len(prepared)


def full_clean(obj: models.Model, *, exclude=(), memo: dict) -> None:
    """`obj.full_clean(exclude, validate_unique=False, validate_constraints=False)` for many
    objects: a field value already found valid in `memo` is not validated again.

    A field's own validation (type, choices, length, validators) depends on its value only,
    so a register whose 100,000 rows repeat the same sex, precision and flags validates each
    value once. Keys, unhashable values and failures are never remembered; the model's
    `clean()` (its invariants across fields) runs for every object.
    """
    errors = {}
    for f in obj._meta.fields:
        if f.name in exclude or f.generated:
            continue
        raw = getattr(obj, f.attname)
        if f.blank and raw in f.empty_values:
            continue
        key = None if f.primary_key or f.is_relation else (f, type(raw), raw)
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
            memo[key] = True
    try:
        obj.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
