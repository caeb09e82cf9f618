"""Model fields whose values are sealed (AES-256-GCM) in the database and clear in Python.

Services, forms and serializers read and write plain values; the column holds only the
sealed bytes (see `homeward.crypto.aead`).

Row identity. The associated data binds each value to its row, so the row's identity must
exist before the INSERT and never change. Every model with a sealed field has a UUID primary
key made in Python (``default=uuid.uuid4``, set when the instance is created) or a one-to-one
primary key onto such a row (DNAResult, SecurityAssessment); `pre_save` therefore knows the
pk when it encrypts, with no second UPDATE inside the transaction. A model without a pk at
save time is refused (ImproperlyConfigured) rather than sealed to "None".

Reading. `from_db_value` has no access to the row, so it returns the sealed bytes wrapped in
`Sealed`; the attribute descriptor opens them on first access (with the instance's pk) and
keeps the clear value on the instance. `values()`/`values_list()` therefore return `Sealed`
objects, never clear text; `open_sealed()` opens one when the pk is at hand.

What cannot be done. Filtering or `QuerySet.update()` with a clear value raises TypeError
(the database can neither compare nor seal); exact lookups go through a `BlindIndexField`.
"""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from homeward.crypto.aead import blind_index, open_value, seal_value

__all__ = [
    "BlindIndexField",
    "EncryptedCharField",
    "EncryptedFloatField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "Sealed",
    "open_sealed",
]


class Sealed(bytes):
    """Sealed bytes as they come from or go to the database (never clear text)."""

    def __repr__(self) -> str:
        return f"<Sealed {len(self)} bytes>"


class SealedAttribute(DeferredAttribute):
    """Opens the sealed bytes on first access, with the instance's own pk as row identity."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.unseal(value, instance.pk)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class SealedFieldMixin:
    """Shared by the sealed fields: bytes in the column, clear values on the instance."""

    descriptor_class = SealedAttribute
    sealed = True

    def get_internal_type(self) -> str:
        return "BinaryField"  # bytea on PostgreSQL, BLOB on SQLite

    def db_type(self, connection):
        return connection.data_types["BinaryField"]

    # -- clear value <-> bytes (overridden for JSON) -------------------------------------

    def encode(self, value) -> bytes:
        return str(value).encode()

    def decode(self, data: bytes):
        return data.decode()

    # -- sealing with the row identity ---------------------------------------------------

    def seal(self, value, row_id) -> Sealed:
        return Sealed(
            seal_value(
                self.encode(value),
                table=self.model._meta.db_table,
                column=self.column,
                row_id=row_id,
            )
        )

    def unseal(self, blob: bytes, row_id):
        data = open_value(blob, table=self.model._meta.db_table, column=self.column, row_id=row_id)
        return self.decode(data)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or isinstance(value, Sealed):
            return value
        if model_instance.pk is None:
            raise ImproperlyConfigured(
                f"{self.model._meta.label}.{self.name} is sealed to its row's pk, which must "
                "be set (a UUID default) before saving."
            )
        return self.seal(value, model_instance.pk)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(bytes(value))

    def get_prep_value(self, value):
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if isinstance(value, Sealed):
            return connection.Database.Binary(bytes(value))
        if isinstance(value, bytes) and value == b"":
            # The schema editor's "no value" for a NOT NULL column (when a migration alters
            # one from NULL); a sealed row never holds it, and reading it fails closed.
            return connection.Database.Binary(b"")
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is sealed: it cannot be filtered on or "
            "written without its row (use save(), or a blind index for lookups)."
        )

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection, prepared=False)

    def value_to_string(self, obj):
        return self.value_from_object(obj)


class EncryptedTextField(SealedFieldMixin, models.TextField):
    """A TextField sealed at rest; forms, validators and serializers see a TextField."""

    def to_python(self, value):
        return value if isinstance(value, Sealed) else super().to_python(value)


class EncryptedCharField(SealedFieldMixin, models.CharField):
    """A CharField sealed at rest; `max_length` limits the clear text, not the column."""

    def to_python(self, value):
        return value if isinstance(value, Sealed) else super().to_python(value)

    def _check_db_collation(self, databases):
        return []


class EncryptedFloatField(SealedFieldMixin, models.FloatField):
    """A FloatField sealed at rest (a DNA statistic): no ordering or range queries."""

    def encode(self, value) -> bytes:
        return repr(float(value)).encode()

    def decode(self, data: bytes):
        return float(data.decode())

    def to_python(self, value):
        return value if isinstance(value, Sealed) else super().to_python(value)


class EncryptedJSONField(SealedFieldMixin, models.JSONField):
    """A JSONField sealed at rest: the JSON document is encrypted as a whole.

    No JSON lookups (keys, containment) are possible; none of the sealed fields needs them.
    """

    def encode(self, value) -> bytes:
        return json.dumps(value, cls=self.encoder or DjangoJSONEncoder, ensure_ascii=False).encode()

    def decode(self, data: bytes):
        return json.loads(data.decode(), cls=self.decoder)

    def get_transform(self, name):
        return None

    def check(self, **kwargs):
        return models.Field.check(self, **kwargs)


def open_sealed(model, field_name: str, blob, row_id):
    """Open `blob` (from `values_list()`) of `model.field_name` in row `row_id`."""
    field = model._meta.get_field(field_name)
    return None if blob is None else field.unseal(blob, row_id)


class BlindIndexField(models.CharField):
    """A keyed, truncated HMAC of another (sealed) field, kept in step on every save.

    Lookups: ``Model.objects.filter(**BlindIndexField.lookup(Model, "number", typed))``.
    Only for high-entropy identifiers (document numbers): an index leaks equality, which on
    names or small vocabularies would give the values away by their frequency.
    """

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (
            ("max_length", 32),
            ("editable", False),
            ("db_index", True),
            ("blank", True),
            ("default", ""),
        ):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def index_of(self, value) -> str:
        source = self.model._meta.get_field(self.source)
        return blind_index(value or "", table=self.model._meta.db_table, column=source.column)

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    @staticmethod
    def lookup(model, source: str, value: str) -> dict:
        """The filter kwargs finding rows of `model` whose `source` equals `value`."""
        for field in model._meta.concrete_fields:
            if isinstance(field, BlindIndexField) and field.source == source:
                return {field.attname: field.index_of(value) or "-"}
        raise LookupError(f"{model._meta.label}.{source} has no blind index.")
