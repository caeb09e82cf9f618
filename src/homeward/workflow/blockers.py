"""Each pending case's first blocker, stored on the case for the statistics.

The gate engine (workflow.gates) decides what holds a case back; running it for every
pending case at each dashboard read costs seconds per thousand cases. So the first unmet
requirement of each pending case is stored on the case (`Case.blocker_*`) with the day it
was evaluated on and the audit sequence number it had seen, and a read evaluates again only
the cases changed since. Every service writes an audit event in the same transaction as its
change, so a case has changed when a later event that is not a read names:

- the case, its child, or one of the child's relatives (the mother's DNA sample, a merge);
- another case of its family group (a sibling's progress is part of the sibling gate);
- its home state and no case or person (a policy, an assurance, a note verbale).

Gates also read the date (expiries, ages): a blocker evaluated on another day is stale, and
`run_daily_rules` evaluates them all overnight. The label and its owner are stored in every
language the site speaks, because some are composed ("Fee paid (300 USD)") and cannot be
translated afterwards.

Under PostgreSQL's row security a reader sees only the events of its own states: an event
recorded without a home state (an adult's record) is seen, and its cases refreshed, by
the next all-states reader or the nightly run.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import translation
from django.utils.translation import gettext

from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import IN_CUSTODY_STATES
from homeward.cases.models import Case

__all__ = ["READY", "blocker_text", "refresh_blockers", "stale_case_ids"]

READY = "ready"
BATCH = 500
CHUNK = 2000


def _head_seq() -> int:
    from homeward.audit.models import AuditHead

    return AuditHead.objects.values_list("seq", flat=True).first() or 0


def _changes_since(seq: int):
    """(seq, case, person, home state) of every event after `seq` that may change a gate."""
    from homeward.audit.queries import change_events

    events = change_events().filter(seq__gt=seq).order_by()
    return events.values_list("seq", "case_id", "person_id", "home_state")


def _chunks(values):
    """Lists of at most CHUNK of `values`: a day of imports names tens of thousands of
    cases, more than SQLite takes as parameters of one query."""
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _touched(by_case: dict, by_person: dict, by_state: dict):
    """(case, family group, child, home state, a relative of the child) of every case the
    changes name: itself, its child, one of the child's relatives, or its home state."""
    conditions = (
        (by_case, "pk__in"),
        (by_person, "child_id__in"),
        (by_person, "child__relationships__relative_id__in"),
        (by_state, "home_state_id__in"),
    )
    for changes, lookup in conditions:
        for ids in _chunks(changes):
            yield from Case.objects.filter(**{lookup: ids}).values_list(
                "pk", "family_group_id", "child_id", "home_state_id",
                "child__relationships__relative_id",
            )  # fmt: skip


def stale_case_ids(cases, *, today: datetime.date) -> set:
    """The pending cases of the `cases` queryset whose stored blocker may be out of date."""
    pending = cases.filter(status__in=IN_CUSTODY_STATES).order_by()
    fresh = Q(blocker_seq__isnull=False, blocker_on=today)
    current = pending.filter(fresh)
    # one pass over the pending cases: most reads find every blocker evaluated today
    seen = pending.aggregate(
        oldest=Min("blocker_seq", filter=fresh), outdated=Count("pk", filter=~fresh)
    )
    stale = set()
    if seen["outdated"]:
        stale.update(pending.exclude(fresh).values_list("pk", flat=True))
    oldest = seen["oldest"]
    if oldest is None:
        return stale
    by_case, by_person, by_state = defaultdict(int), defaultdict(int), defaultdict(int)
    for seq, case_id, person_id, state in _changes_since(oldest):
        if case_id:
            by_case[case_id] = max(by_case[case_id], seq)
        if person_id:
            by_person[person_id] = max(by_person[person_id], seq)
        if state and not case_id and not person_id:
            by_state[state] = max(by_state[state], seq)
    if not (by_case or by_person or by_state):
        return stale
    changed: dict = {}  # case id -> (family group, latest change)
    for case_id, group, child, state, relative in _touched(by_case, by_person, by_state):
        seq = max(
            by_case.get(case_id, 0),
            by_person.get(child, 0),
            by_person.get(relative, 0),
            by_state.get(state, 0),
        )
        changed[case_id] = (group, max(seq, changed.get(case_id, (None, 0))[1]))
    groups: dict = defaultdict(int)  # a sibling's change reaches the whole family group
    for group, seq in changed.values():
        if group:
            groups[group] = max(groups[group], seq)
    for ids in _chunks(groups):
        members = Case.objects.filter(family_group_id__in=ids)
        for case_id, group in members.values_list("pk", "family_group_id"):
            seq = max(groups[group], changed.get(case_id, (None, 0))[1])
            changed[case_id] = (group, seq)
    for ids in _chunks(changed):
        for case_id, seen in current.filter(pk__in=ids).values_list("pk", "blocker_seq"):
            if seen < changed[case_id][1]:
                stale.add(case_id)
    return stale


def _owner_text(owner, home_state, missions: dict) -> str:
    if owner is None:
        return ""
    if owner.kind == AgencyKind.HOME_STATE_MISSION:
        from homeward.workflow.loader import mission_label

        key = (home_state.pk, translation.get_language())
        if key not in missions:
            missions[key] = mission_label(home_state)
        return missions[key]
    return str(owner)


def _texts(case, facts, missions: dict) -> tuple[str, str]:
    """The first blocker's code and its label and owner in every language, as JSON."""
    from homeward.workflow.gates import evaluate, next_state

    target = next_state(case.status, case.return_status)
    code, texts = READY, {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found = evaluate(facts, target) if target else []
            first = next((r for r in found if not r.is_met), None)
            if first is None:
                code, texts[language] = READY, [gettext("nothing: ready for the next step"), ""]
            else:
                code = first.code
                texts[language] = [
                    str(first.label),
                    _owner_text(first.owed_by, case.home_state, missions),
                ]
    return code, json.dumps(texts, ensure_ascii=False, sort_keys=True)


def refresh_blockers(cases, *, today: datetime.date) -> int:
    """Evaluate again the stale blockers among the `cases` queryset (the reader's scope);
    returns how many. One transaction per batch of cases: a blocker is a derived fact,
    stored without touching the case's version."""
    from homeward.workflow.loader import load_facts_many

    stale = sorted(stale_case_ids(cases, today=today), key=str)
    missions: dict = {}
    for start in range(0, len(stale), BATCH):
        with transaction.atomic():
            seen = _head_seq()  # facts read below include every event up to this one
            batch = list(
                cases.filter(pk__in=stale[start : start + BATCH])
                .select_related("child", "home_state")
                .order_by("pk")
            )
            facts = load_facts_many(batch, today=today)
            for case in batch:
                case.blocker_code, case.blocker_text = _texts(case, facts[case.pk], missions)
                case.blocker_on, case.blocker_seq = today, seen
            Case.objects.bulk_update(
                batch, ["blocker_code", "blocker_text", "blocker_on", "blocker_seq"]
            )
    return len(stale)


def blocker_text(stored: str) -> tuple[str, str]:
    """(label, owner) of a stored blocker in the active language (else English)."""
    texts = json.loads(stored or "{}")
    found = texts.get(translation.get_language()) or texts.get("en") or ["", ""]
    return found[0], found[1]
