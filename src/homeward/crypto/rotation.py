"""Key rotation: a new data key becomes primary, every sealed value is re-encrypted under it
in batches (each its own transaction), and the old keys are destroyed once nothing uses them.

Online: new writes use the new key as soon as it is primary (processes reload the keyring
when its file changes); the batches lock only the rows they rewrite, and on PostgreSQL skip
rows another transaction holds (`FOR UPDATE SKIP LOCKED`), coming back for them in the next
pass. The old keys are retired only after a final count finds no value sealed under them.
"""

import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from homeward.audit.services import record_event
from homeward.crypto import events
from homeward.crypto.aead import key_id_of
from homeward.crypto.keyring import get_keyring
from homeward.crypto.registry import sealed_fields

__all__ = ["RotationResult", "count_on_keys", "rotate_field_key"]

BATCH = 500


@dataclass
class RotationResult:
    new_key_id: int
    old_key_ids: list[int]
    rewritten_rows: int = 0
    remaining: int = 0
    retired: list[int] = field(default_factory=list)
    seconds: float = 0.0


def _key_sql(column: str) -> str:
    quoted = connection.ops.quote_name(column)
    return f"substr({quoted}, 2, 4)"  # bytes 2..5: the key id (SQLite BLOB and PG bytea)


def _on_keys_where(fields, key_ids: list[int]) -> tuple[str, list]:
    """SQL true when any of `fields` is sealed under one of `key_ids`."""
    parts, params = [], []
    for f in fields:
        marks = ", ".join(["%s"] * len(key_ids))
        parts.append(f"{_key_sql(f.column)} IN ({marks})")
        params += [key_id.to_bytes(4, "big") for key_id in key_ids]
    return "(" + " OR ".join(parts) + ")", params


def _not_on_key_where(fields, key_id: int) -> tuple[str, list]:
    """SQL true when any non-null of `fields` is sealed under another key than `key_id`."""
    parts = [
        f"({connection.ops.quote_name(f.column)} IS NOT NULL AND {_key_sql(f.column)} <> %s)"
        for f in fields
    ]
    return "(" + " OR ".join(parts) + ")", [key_id.to_bytes(4, "big")] * len(fields)


def count_on_keys(key_ids: list[int]) -> int:
    """How many rows hold at least one value sealed under `key_ids` (over all sealed tables)."""
    if not key_ids:
        return 0
    total = 0
    for model, fields in sealed_fields():
        where, params = _on_keys_where(fields, key_ids)
        total += model._base_manager.extra(where=[where], params=params).count()  # noqa: S610
    return total


def _rewrite_batch(model, fields, new_key_id: int, batch_size: int) -> int:
    """Re-encrypt up to `batch_size` rows not yet on `new_key_id`, in one transaction."""
    where, params = _not_on_key_where(fields, new_key_id)
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(model._meta.db_table)} SET "  # noqa: S608 - names from the model
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    binary = connection.Database.Binary
    with transaction.atomic():
        rows = model._base_manager.extra(where=[where], params=params).order_by("pk")  # noqa: S610
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        batch = list(rows.values_list("pk", *[f.attname for f in fields])[:batch_size])
        values = []
        for pk, *blobs in batch:
            row = []
            for f, blob in zip(fields, blobs, strict=True):
                if blob is not None and key_id_of(blob) != new_key_id:
                    blob = f.seal(f.unseal(blob, pk), pk)
                row.append(None if blob is None else binary(bytes(blob)))
            values.append([*row, model._meta.pk.get_db_prep_value(pk, connection)])
        if values:
            with connection.cursor() as cursor:
                cursor.executemany(update, values)
    return len(batch)


def rotate_field_key(*, actor=None, batch_size: int = BATCH, retire: bool = True) -> RotationResult:
    """Rotate the sealed-field data key; returns what was done (and audits it)."""
    started = time.monotonic()
    ring = get_keyring()
    old = ring.key_ids("field")
    new = ring.add_primary("field")
    result = RotationResult(new_key_id=new.key_id, old_key_ids=old)
    for _attempt in range(5):  # a row skipped while locked is taken in the next pass
        for model, fields in sealed_fields():
            while done := _rewrite_batch(model, fields, new.key_id, batch_size):
                result.rewritten_rows += done
        result.remaining = count_on_keys(old)
        if result.remaining == 0:
            break
    with transaction.atomic():
        record_event(
            events.KEY_ROTATED,
            actor=actor,
            actor_username="" if actor else "system",
            data={
                "purpose": "field",
                "new_key_id": new.key_id,
                "old_key_ids": old,
                "rows": result.rewritten_rows,
                "remaining": result.remaining,
            },
        )
    if retire and result.remaining == 0:
        for key_id in old:
            ring.retire(key_id)
            result.retired.append(key_id)
        with transaction.atomic():
            record_event(
                events.KEY_RETIRED,
                actor=actor,
                actor_username="" if actor else "system",
                data={"purpose": "field", "key_ids": result.retired},
            )
    result.seconds = time.monotonic() - started
    return result
