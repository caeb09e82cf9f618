"""Keeping NameKey rows in step with PersonName rows.

The people services call `store_name_keys` inside their own transaction whenever they
create names, so a name and its keys commit or roll back together; nothing here writes an
audit event, because keys are derived data with no meaning of their own.
"""

from collections.abc import Iterable

from homeward.matching.models import NameKey
from homeward.matching.names import parse_name
from homeward.people.models import PersonName

__all__ = ["keys_for_name", "rebuild_name_keys", "store_name_keys"]


def keys_for_name(name: PersonName) -> set[tuple[str, str]]:
    """(part, key) pairs of one recorded name."""
    parsed = parse_name(
        name.full_text,
        script=name.script,
        given=name.given,
        father=name.father,
        grandfather=name.grandfather,
        family=name.family,
        name_type=name.name_type,
    )
    pairs: set[tuple[str, str]] = set()
    for part, tokens in (
        (NameKey.GIVEN, parsed.given),
        (NameKey.FAMILY, parsed.family),
        (NameKey.FATHER, (*parsed.father, *parsed.grandfather)),
        (NameKey.KUNYA, parsed.kunya),
    ):
        for item in tokens:
            pairs.update((part, key[:40]) for key in item.keys)
    return pairs


def store_name_keys(names: Iterable[PersonName]) -> int:
    """Write the keys of `names` (already saved), replacing any they had. Returns the count."""
    names = list(names)
    NameKey.objects.filter(name__in=names).delete()
    rows = [
        NameKey(person_id=name.person_id, name=name, part=part, key=key)
        for name in names
        for part, key in sorted(keys_for_name(name))
    ]
    NameKey.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rebuild_name_keys(batch_size: int = 500, progress=None) -> int:
    """Recompute every name's keys (after the rules change, or for data loaded before them)."""
    total = 0
    queryset = PersonName.objects.order_by("pk")
    count = queryset.count()
    for start in range(0, count, batch_size):
        total += store_name_keys(queryset[start : start + batch_size])
        if progress:
            progress(min(start + batch_size, count), count)
    return total
