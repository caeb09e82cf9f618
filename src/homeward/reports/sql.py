"""Database-side building blocks of the figures: day counts, ages, and group percentiles.

The figures must be computed by the database in a fixed number of queries, whatever the
number of cases, on SQLite and PostgreSQL alike. Django's expressions cover most of it; two
things it lacks are written here once: a whole number of days between two dates (the two
engines subtract dates differently) and order statistics per group. Percentiles use the
same definitions as before on both engines (median: middle value, or the mean of the two
middle ones; P90: nearest rank). PostgreSQL computes them with its ordered-set aggregates
(`percentile_disc`, and `percentile_cont` only for the mean of the two middle values), in
one pass per group; SQLite, which has none, ranks the rows with window functions.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThan, LessThanOrEqual

__all__ = [
    "DaysBetween",
    "FractionalDaysBetween",
    "GroupSummary",
    "LocalDate",
    "age_band",
    "age_band_on",
    "as_date",
    "group_summaries",
    "month_day",
    "years_between",
]


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates): `(end - start).days`."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class FractionalDaysBetween(Func):
    """Days, with the fraction, from `start` to `end` (two datetimes)."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)::double precision",
            arg_joiner=" - ",
            **extra,
        )


def as_date(value: datetime.date) -> Value:
    return Value(value, output_field=DateField())


class _DatePart(Func):
    """An integer part of a date, native on both engines (Django's SQLite extracts call
    back into Python once per row)."""

    output_field = IntegerField()
    arity = 1
    pg_template = ""
    sqlite_format = ""

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=self.pg_template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('{self.sqlite_format}', {sql}) AS INTEGER)", params


class Year(_DatePart):
    pg_template = "CAST(date_part('year', %(expressions)s) AS integer)"
    sqlite_format = "%%Y"


class MonthDay(_DatePart):
    """Month × 100 + day: compares days of the year across years."""

    sqlite_format = "%%m%%d"

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"CAST(date_part('month', {sql}) * 100 + date_part('day', {sql}) AS integer)",
            (*params, *params),
        )


def years_between(born, on):
    """Whole years from `born` to `on`, as a birthday counts them (29 February: 1 March)."""
    born, on = _expression(born), _expression(on)
    before_birthday = Case(
        When(LessThan(MonthDay(on), MonthDay(born)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Year(on) - Year(born) - before_birthday


def month_day(expression):
    """Month × 100 + day: compares days of the year across years."""
    return MonthDay(_expression(expression))


@functools.lru_cache
def _fixed_offset(tzname: str) -> tuple[int, str] | None:
    """(minutes east of UTC, UTC moment since which the zone has kept that offset), found
    by stepping back a week at a time from 2100; None for a zone that still changes."""
    zone = zoneinfo.ZoneInfo(tzname)
    moment = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    offset = moment.astimezone(zone).utcoffset()
    floor = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
    while moment > floor:
        earlier = moment - datetime.timedelta(days=7)
        if earlier.astimezone(zone).utcoffset() != offset:
            break
        moment = earlier
    if moment > datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC):
        return None
    return int(offset.total_seconds() // 60), moment.strftime("%Y-%m-%d %H:%M:%S")


class LocalDate(TruncDate):
    """The local date of a datetime (TruncDate), native on SQLite where the zone's offset
    is fixed: Django's SQLite conversion calls back into Python once per row, which at
    100,000 cases is most of a figure's time. Moments from before the zone's last change
    of offset (Baghdad: DST until 2007) still go through Django's exact conversion."""

    def as_sqlite(self, compiler, connection, **extra):
        fixed = _fixed_offset(self.get_tzname() or "UTC")
        if fixed is None:
            return super().as_sqlite(compiler, connection, **extra)
        minutes, since = fixed
        exact, exact_params = super().as_sqlite(compiler, connection, **extra)
        sql, params = compiler.compile(self.lhs)
        return (
            f"CASE WHEN {sql} >= %s THEN date({sql}, %s) ELSE {exact} END",
            (*params, since, *params, f"{minutes:+d} minutes", *exact_params),
        )


def _expression(value):
    if isinstance(value, str):
        return F(value)
    if isinstance(value, datetime.date):
        return as_date(value)
    return value


def age_band(born: str, on, bands, *, unknown: str):
    """The label of the band (label, lowest, highest) holding the age in whole years at
    `on`; `unknown` without a date of birth; ages outside every band take the first."""
    years = years_between(born, on)
    return Case(
        When(**{f"{born}__isnull": True}, then=Value(unknown)),
        When(LessThan(years, bands[0][1]), then=Value(bands[0][0])),
        *[When(LessThanOrEqual(years, high), then=Value(label)) for label, _low, high in bands],
        default=Value(bands[0][0]),
        output_field=CharField(),
    )


def _birthday_cutoff(day: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone `years` old on `day` (29 February: 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_band_on(born: str, day: datetime.date, bands, *, unknown: str):
    """`age_band` at one fixed date: the ages become constant cut-off dates of birth, so
    each row is compared with dates instead of computing its age (same bands, same
    birthdays: aged at least t on `day` is born on or before `_birthday_cutoff(day, t)`)."""

    def younger_than(years: int) -> dict:
        return {f"{born}__gt": _birthday_cutoff(day, years)}

    return Case(
        When(**{f"{born}__isnull": True}, then=Value(unknown)),
        When(**younger_than(bands[0][1]), then=Value(bands[0][0])),
        *[When(**younger_than(high + 1), then=Value(label)) for label, _low, high in bands],
        default=Value(bands[0][0]),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class GroupSummary:
    """Order statistics of one group's values."""

    count: int
    median: float
    p90: float
    maximum: float


def group_summaries(queryset, keys: dict, value) -> dict[tuple, GroupSummary]:
    """Count, median, P90 (nearest rank) and maximum of `value` per group of `keys`.

    `queryset` is scoped already; `keys` maps names to expressions, `value` is an
    expression (NULL values are left out). One query, one row per group back.
    """
    names = [f"grp_{index}" for index in range(len(keys))]
    rows = (
        queryset.annotate(
            **{name: expression for name, expression in zip(names, keys.values(), strict=True)},
            stat_value=value,
        )
        .values(*names, "stat_value")
        .order_by()
    )
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a queryset that can match nothing (an empty scope)
        return {}
    quote = connection.ops.quote_name
    columns = [quote(name) for name in names]
    summarise = _aggregated if connection.vendor == "postgresql" else _ranked
    return summarise(inner, params, columns, quote("stat_value"))


def _aggregated(inner: str, params, columns: list[str], value: str) -> dict[tuple, GroupSummary]:
    """PostgreSQL: one GROUP BY with ordered-set aggregates. `percentile_disc(0.9)` is the
    nearest rank; an odd group's median is its middle value (`percentile_disc(0.5)`, of the
    values' own type), an even group's the mean of the two middle ones (`percentile_cont`)."""
    keys = ", ".join(columns)
    ordered = f"WITHIN GROUP (ORDER BY {value})"
    sql = (
        f"SELECT {keys}{', ' if columns else ''}COUNT(*), "  # noqa: S608
        f"percentile_disc(0.5) {ordered}, percentile_cont(0.5) {ordered}, "
        f"percentile_disc(0.9) {ordered}, MAX({value}) "
        f"FROM ({inner}) stat_rows WHERE {value} IS NOT NULL"
        + (f" GROUP BY {keys}" if columns else "")
    )
    summaries = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            group, (n, middle, mean, p90, maximum) = tuple(row[: len(columns)]), row[len(columns) :]
            if not n:  # no group and no rows: the aggregate's one empty row
                continue
            summaries[group] = GroupSummary(
                count=n, median=middle if n % 2 else mean, p90=p90, maximum=maximum
            )
    return summaries


def _ranked(inner: str, params, columns: list[str], value: str) -> dict[tuple, GroupSummary]:
    """SQLite: the rows numbered within their group (ROW_NUMBER and COUNT over a partition);
    only the rows at the ranks wanted come back, at most four per group."""
    keys = ", ".join(columns)
    partition = f"PARTITION BY {keys}" if columns else ""
    sql = (
        f"SELECT {keys}{', ' if columns else ''}{value}, rn, n FROM ("  # noqa: S608
        f"SELECT {keys}{', ' if columns else ''}{value}, "
        f"ROW_NUMBER() OVER ({partition} ORDER BY {value}) AS rn, "
        f"COUNT(*) OVER ({partition}) AS n "
        f"FROM ({inner}) stat_rows WHERE {value} IS NOT NULL"
        ") stat_ranked "
        "WHERE rn = (n + 1) / 2 OR rn = n / 2 + 1 OR rn = (n * 90 + 99) / 100 OR rn = n"
    )
    picked: dict[tuple, dict[int, float]] = {}
    counts: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *group, found, rank, count in cursor.fetchall():
            group = tuple(group)
            picked.setdefault(group, {})[rank] = found
            counts[group] = count
    summaries = {}
    for group, ranks in picked.items():
        n = counts[group]
        low, high = ranks[(n + 1) // 2], ranks[n // 2 + 1]
        summaries[group] = GroupSummary(
            count=n,
            median=low if (n % 2) else (low + high) / 2,
            p90=ranks[max(1, -(-n * 90 // 100))],
            maximum=ranks[n],
        )
    return summaries
