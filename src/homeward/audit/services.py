"""Writing to the audit trail. Services call `record_event` inside their own transaction."""

import json
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from homeward.audit.models import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AuditEvent,
    AuditHead,
    content_of,
    hash_content,
)
from homeward.core.bulk import insert_rows
from homeward.core.context import current_request_context

__all__ = [
    "EVENT_SUBSCRIBERS",
    "NAME_GIVEN",
    "record_event",
    "record_events",
    "record_list",
    "record_view",
    "without_names",
]

# Callables run with each new event, inside its transaction (apps register in ready():
# webhooks queue deliveries this way, so services need no webhook call of their own).
EVENT_SUBSCRIBERS: list = []


def _plain(data: dict | None) -> dict:
    """The JSON form of `data`, so the hash is computed over exactly what is stored.

    A flat dict of text keys to text, whole numbers, booleans and None (most events' data)
    is its own JSON form: encoding and decoding it gives an equal dict, with the same types
    in the same order, so it is copied instead (an import appends hundreds of thousands).
    Anything else (nested, dates, UUIDs, a str or int subclass such as a choice) goes
    through the encoder."""
    if not data:
        return {}
    if type(data) is dict and all(
        type(key) is str and type(value) in _SCALARS for key, value in data.items()
    ):
        return dict(data)
    return json.loads(_ENCODER.encode(data))


_SCALARS = frozenset({str, int, bool, type(None)})


_ENCODER = DjangoJSONEncoder()  # made once: `json.dumps(cls=...)` builds one per call


def _audit_context(target) -> dict:
    if target is None or not hasattr(target, "audit_context"):
        return {}
    return target.audit_context()


def _link(
    head_seq: int,
    prev_hash: str,
    request,
    event_type: str,
    *,
    actor,
    target=None,
    data: dict | None = None,
    case_id=None,
    person_id=None,
    home_state: str | None = None,
    actor_username: str | None = None,
) -> tuple[dict, object]:
    """The next link after (`head_seq`, `prev_hash`): its field values by attname (`id` aside),
    hashed, and the actor when it is a signed-in user."""
    context = _audit_context(target) if target is not None else {}
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    values = {
        "seq": head_seq + 1,
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user is not None else None,
        "actor_username": actor_username or (user.get_username() if user else ""),
        "event_type": event_type,
        "object_type": target._meta.label_lower if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
        "case_id": case_id or context.get("case_id"),
        "person_id": person_id or context.get("person_id"),
        "home_state": home_state or context.get("home_state") or "",
        "channel": request.channel,
        "request_id": request.request_id,
        "ip_address": request.ip_address,
        "data": _plain(data),
        "prev_hash": prev_hash,
    }
    values["hash"] = hash_content(content_of(values))  # as AuditEvent.compute_hash would
    return values, user


def _new_event(head_seq: int, prev_hash: str, request, event_type: str, **entry) -> AuditEvent:
    """The next link after (`head_seq`, `prev_hash`), hashed, not yet saved."""
    values, user = _link(head_seq, prev_hash, request, event_type, **entry)
    event = AuditEvent(**values)
    if user is not None:
        # the key is given, not the instance (the descriptor's checks cost more than the
        # rest of the event); the actor stays readable without a query
        AuditEvent.actor.field.set_cached_value(event, user)
    return event


def _locked_head() -> AuditHead:
    head, _created = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    return head


def record_event(
    event_type: str,
    *,
    actor,
    target=None,
    data: dict | None = None,
    case_id=None,
    person_id=None,
    home_state: str | None = None,
    actor_username: str | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    `target` is the model instance the event is about; when it defines `audit_context()`
    the case, person and home state are taken from it (explicit arguments win). Runs in
    the caller's transaction when there is one, so the event commits or rolls back with
    the change it describes.
    """
    request = current_request_context()
    with transaction.atomic():
        head = _locked_head()
        event = _new_event(
            head.seq, head.hash, request, event_type, actor=actor, target=target, data=data,
            case_id=case_id, person_id=person_id, home_state=home_state,
            actor_username=actor_username,
        )  # fmt: skip
        event.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
        for subscriber in EVENT_SUBSCRIBERS:
            subscriber(event)
    return event


def record_events(entries: Iterable[dict]) -> list[AuditEvent]:
    """Append many events at once (a bulk import): `entries` are `record_event`'s keyword
    arguments, in order.

    The chain is exactly what calling `record_event` for each in turn would make (same
    fields, links and hashes, from the same `_link`; subscribers called for each event),
    written with one INSERT, and the head advances over the whole batch in one UPDATE (the
    database's trigger checks every link in between: audit migration 0003). The rows are
    written from their values, and the events returned (and given to subscribers) are made
    from the written rows as a query would make them (`Model.from_db`): a bulk import appends
    hundreds of thousands, and building each through the model's keyword arguments first
    cost more than hashing it.
    """
    entries = list(entries)
    if not entries:
        return []
    request = current_request_context()
    with transaction.atomic():
        head = _locked_head()
        seq, prev_hash, links = head.seq, head.hash, []
        for entry in entries:
            values, user = _link(seq, prev_hash, request, **entry)
            links.append((values, user))
            seq, prev_hash = values["seq"], values["hash"]
        keys = insert_rows(
            AuditEvent, _COLUMNS, [[values[name] for name in _COLUMNS] for values, _ in links],
            returning=True,
        )  # fmt: skip
        table = connection.ops.quote_name(AuditHead._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608
                [seq, prev_hash],
            )
        attnames = [f.attname for f in AuditEvent._meta.concrete_fields]
        alias, built = connection.alias, []
        for key, (values, user) in zip(keys, links, strict=True):
            values["id"] = key
            event = AuditEvent.from_db(alias, attnames, [values[a] for a in attnames])
            if user is not None:
                AuditEvent.actor.field.set_cached_value(event, user)
            built.append(event)
        for event in built:
            for subscriber in EVENT_SUBSCRIBERS:
                subscriber(event)
    return built


# AuditEvent's columns but its generated key, as `_link` gives them
_COLUMNS = [*HASHED_FIELDS, "hash"]


# What the trail records in place of a name a user typed (a search, an export's filter):
# that one was given, not which. The trail is never edited, so a name in it would outlive
# the retention purge of the person it names (G23); the ids shown are what it keeps.
NAME_GIVEN = "<given>"


def without_names(query: dict, names: Iterable[str]) -> dict:
    """`query` with the value of each key in `names` (when there is one) as NAME_GIVEN."""
    names = frozenset(names)
    return {key: NAME_GIVEN if key in names and value else value for key, value in query.items()}


def record_view(event_type: str, *, actor, target) -> AuditEvent:
    """Record that `actor` opened the record `target` (a read of personal data)."""
    return record_event(event_type, actor=actor, target=target)


def record_list(event_type: str, *, actor, ids: Iterable, query: dict, total: int) -> AuditEvent:
    """Record a list or search: what was asked and which records were shown.

    The ids are those on the page the user saw, capped by HOMEWARD_AUDIT_LIST_ID_LIMIT.
    """
    shown = [str(pk) for pk in ids][: settings.HOMEWARD_AUDIT_LIST_ID_LIMIT]
    return record_event(
        event_type, actor=actor, data={"query": query, "ids": shown, "total": total}
    )
