"""The cases behind a dashboard figure, for the links from each count to the children list.

A link carries one parameter, `behind`: the figure's key, the row's keys (state, status,
band...) and the dashboard's own filters (period, home states), url-encoded. The children
list (people.forms.ChildListFilterSet) hands it to `cases_behind`, which rebuilds the case
set with the same scoped queryset the figure counted, so the list holds exactly the
children behind the number (a figure counting samples, reports or stays lists the children
they belong to). Anything malformed finds no case.
"""

from __future__ import annotations

import dataclasses
import datetime
from urllib.parse import parse_qsl, urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from homeward.cases.choices import IN_CUSTODY_STATES
from homeward.cases.models import Case
from homeward.reports import queries
from homeward.reports.queries import ReportFilters

__all__ = ["FIGURES", "behind_url", "behind_value", "cases_behind"]


def behind_value(figure: str, filters: ReportFilters, **keys) -> str:
    """The `behind` parameter of a link to the cases behind one count."""
    params = {"figure": figure}
    params.update({key: str(value) for key, value in keys.items() if value not in (None, "")})
    if filters.date_from:
        params["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["date_to"] = filters.date_to.isoformat()
    if filters.home_states:
        params["states"] = ",".join(filters.home_states)
    return urlencode(params)


def behind_url(figure: str, filters: ReportFilters, **keys) -> str:
    return (
        f"{reverse('people:child_list')}?"
        f"{urlencode({'behind': behind_value(figure, filters, **keys)})}"
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _parse(value: str) -> tuple[str, ReportFilters, dict]:
    params = dict(parse_qsl(value, keep_blank_values=False))
    filters = ReportFilters(
        date_from=_date(params.pop("date_from", None)),
        date_to=_date(params.pop("date_to", None)),
        home_states=tuple(code for code in params.pop("states", "").split(",") if code),
        today=timezone.localdate(),
    )
    return params.pop("figure", ""), filters, params


def _state(cases, keys, path="home_state_id"):
    return cases.filter(**{path: keys["state"]}) if keys.get("state") else cases


def _returned(user, filters, keys):
    entries = queries.returned_entries(user, filters)
    entries = _state(entries, keys, "operation__home_state_id")
    if keys.get("month"):
        first = datetime.date.fromisoformat(f"{keys['month']}-01")
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        entries = entries.filter(returned_on__gte=first, returned_on__lt=following)
    if keys.get("operation"):
        entries = entries.filter(operation_id=keys["operation"])
    return Case.objects.filter(pk__in=entries.values("case_id"))


def _pending(user, filters, keys):
    cases = _state(queries._cases(user, filters).filter(status__in=IN_CUSTODY_STATES), keys)
    return cases.filter(status=keys["status"]) if keys.get("status") else cases


def _blocker(user, filters, keys):
    return queries.pending_with_blockers(user, filters).filter(
        home_state_id=keys.get("state"), status=keys.get("status"), blocker_code=keys.get("code")
    )


def _limbo(user, filters, keys):
    cases, groups, _days = queries.limbo_spans(user, filters)
    picked = cases.annotate(limbo_state=groups["home_state"], limbo_band=groups["age_band"])
    picked = picked.filter(limbo_state=keys.get("state"), limbo_band=keys.get("band"))
    return Case.objects.filter(pk__in=picked.values("pk"))


def _cycle(user, filters, keys):
    one_state = dataclasses.replace(filters, home_states=(keys.get("state", ""),))
    rows = queries.stays(user, one_state).filter(to_status=keys.get("status", ""))
    return Case.objects.filter(pk__in=rows.values("case_id"))


def _refused(user, filters, keys):
    return _state(queries.refused_cases(user), keys)


def _turning(user, filters, keys):
    rows = queries.age_watchlist(user, filters)
    threshold, within = keys.get("threshold"), keys.get("within")
    ids = [
        row["case"]
        for row in rows
        if str(row["threshold"]) == threshold
        and (within != "30" or row["within_30_days"])
        and (keys.get("estimated") != "1" or row["estimated"])
    ]
    return Case.objects.filter(pk__in=ids)


def _juveniles(user, filters, keys):
    sets = queries.juvenile_cases(user, filters)
    cases = sets.get(keys.get("which", ""))
    if cases is None:
        return Case.objects.none()
    return Case.objects.filter(pk__in=_state(cases, keys).values("pk"))


def _mothers(user, filters, keys):
    if keys.get("sentence") not in ("death", "life"):
        return Case.objects.none()
    cases = _state(queries.mothers_cases(user, filters, keys["sentence"]), keys)
    return Case.objects.filter(pk__in=cases.values("pk"))


def _dna(user, filters, keys):
    samples, comparisons = queries.dna_records(user, filters)
    which = keys.get("which")
    if which == "collected":
        return Case.objects.filter(pk__in=samples.values("case_id"))
    if which == "awaiting":
        return Case.objects.filter(
            pk__in=samples.filter(comparisons__isnull=True).values("case_id")
        )
    if which == "compared":
        if keys.get("lab"):
            comparisons = comparisons.filter(lab=keys["lab"])
        return Case.objects.filter(pk__in=comparisons.values("case_id"))
    return Case.objects.none()


def _follow_up(user, filters, keys):
    reports, columns = queries.follow_up_reports(user, filters)
    reports = _state(reports, keys, "case__home_state_id")
    which = keys.get("which")
    if which in columns:
        reports = reports.filter(columns[which])
    elif which != "due":
        return Case.objects.none()
    return Case.objects.filter(pk__in=reports.values("case_id"))


FIGURES = {
    "returned": _returned,
    "pending": _pending,
    "blocker": _blocker,
    "limbo": _limbo,
    "cycle": _cycle,
    "refused": _refused,
    "turning": _turning,
    "juveniles": _juveniles,
    "mothers": _mothers,
    "dna": _dna,
    "follow_up": _follow_up,
}


def cases_behind(user, value: str) -> QuerySet[Case]:
    """The cases behind the count a `behind` parameter names, within the user's scope."""
    try:
        figure, filters, keys = _parse(value)
        build = FIGURES[figure]
        cases = build(user, filters, keys)
    except (KeyError, ValueError):
        return Case.objects.none()
    # the figure's own queryset is scoped; the scope is applied again for the list
    return Case.objects.for_user(user, "view").filter(pk__in=cases.values("pk"))
