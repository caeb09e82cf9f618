"""Dashboard figures kept until the data behind them changes.

The figures are computed by the database (reports.queries): at 100,000 children the
thirteen of them take about a second on PostgreSQL, as long as hand-written SQL doing the
same work, while most dashboard reads find nothing changed since the read before. So each
figure's answer is kept in the cache (Django's `default` cache) under everything it
depends on:

- the reader's scope: superuser or not, the home states and every capability — all that
  `for_user()`, the row security and the figures read of a user — so readers with the same
  role and states share an answer, a change of role or states is a new key, and no one
  gets an answer computed for another scope;
- the filters, the day (ages, limbo days and expiries move with the date) and the
  language (the figures carry translated labels);
- the data version: the latest audit event that may have changed a record (seq and
  hash). Every service writes its event in the transaction of its change, so a committed
  change always comes with a later event, and the next read computes again. Reads,
  downloads and refusals change nothing and are skipped (audit.queries.change_events).

The version is read before the figures are computed: a change committed during the
computation makes the next read compute again, it never hides behind an older answer.
Under PostgreSQL's row security a reader sees only its own states' events, so a change
to another state's records does not make it compute again; an event recorded without a
home state (an adult's record) is seen by an all-states reader at once, and by the others
the next day at the latest (the same limit as the stored blockers, workflow.blockers).

`HOMEWARD_FIGURE_CACHE_SECONDS` bounds how long an answer is kept (0: never kept).
Writes made around the services (a data migration, a restore) write no event and are not
seen: restart the server after them (the default cache lives in its processes), or clear
the cache when a shared one is configured.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from homeward.core.scoping import home_state_scope

__all__ = ["KEY_PREFIX", "data_version", "enabled", "kept"]

KEY_PREFIX = "homeward:figure:"


def enabled() -> bool:
    return settings.HOMEWARD_FIGURE_CACHE_SECONDS > 0


def data_version(user) -> str:
    """The latest change the reader can see, as "seq:hash" ("0" before any)."""
    from homeward.audit.queries import change_events

    latest = change_events().order_by("-seq").values_list("seq", "hash").first()
    return f"{latest[0]}:{latest[1]}" if latest else "0"


def _scope(user) -> list:
    states = home_state_scope(user)
    return [
        user.is_superuser,
        sorted(states) if states is not None else "*",
        sorted(user.capabilities),
    ]


def _key(name: str, user, filters, version: str) -> str:
    parts = [
        name,
        _scope(user),
        str(filters.date_from),
        str(filters.date_to),
        sorted(filters.home_states),
        str(filters.today),
        translation.get_language(),
        version,
    ]
    digest = hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode()).hexdigest()
    return KEY_PREFIX + digest


def kept(name: str, user, filters, compute: Callable[[], object], *, version: str | None = None):
    """`compute()`'s answer for figure `name`, kept until the data, the scope, the filters,
    the day or the language change. `version` is `data_version(user)`, read once by a
    caller computing several figures."""
    if not enabled():
        return compute()
    if version is None:
        version = data_version(user)
    key = _key(name, user, filters, version)
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, settings.HOMEWARD_FIGURE_CACHE_SECONDS)
    return answer
