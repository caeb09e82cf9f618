"""Dates as registers write them: with their precision, and with day/month order settled once.

"10/7/2019" is 10 July in Baghdad and 7 October in a US-made sheet; Rudaw read the Russian
flight's date the wrong way. So the order is decided per file: a date whose first number is
over 12 can only be day-first, one whose second number is over 12 only month-first. If the
file's unambiguous dates all agree, that order holds for every row; if it has none (or both
kinds), the user must say which order the file uses, and nothing is guessed.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from homeward.imports.reasons import ReasonError, reason

__all__ = ["DateValue", "DateVote", "parse_date", "vote"]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T[\d:.]+)?$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_THREE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
MONTHS = 12


@dataclass(frozen=True)
class DateValue:
    date: datetime.date
    precision: str  # day, month, year (people.choices.DobPrecision)


class DateVote:
    """What one file's dates say about their day/month order."""

    def __init__(self) -> None:
        self.dmy = 0
        self.mdy = 0
        self.ambiguous = 0

    def add(self, text: str) -> None:
        found = _THREE.match((text or "").strip())
        if not found:
            return
        first, second = int(found.group(1)), int(found.group(2))
        if first > MONTHS >= second:
            self.dmy += 1
        elif second > MONTHS >= first:
            self.mdy += 1
        elif first != second:
            self.ambiguous += 1

    def order(self) -> str | None:
        """ "dmy" or "mdy" when the file settles it (or has no ambiguous date); else None."""
        if self.dmy and not self.mdy:
            return "dmy"
        if self.mdy and not self.dmy:
            return "mdy"
        if not (self.dmy or self.mdy or self.ambiguous):
            return "dmy"  # nothing to decide: no slashed date is ambiguous
        return None


def vote(texts) -> DateVote:
    ballot = DateVote()
    for text in texts:
        ballot.add(text)
    return ballot


def _make(year: int, month: int, day: int, precision: str, text: str) -> DateValue:
    try:
        return DateValue(datetime.date(year, month, day), precision)
    except ValueError:  # the cell as written, which the person can find in their file
        raise ReasonError(gettext_noop("“%(text)s” is not a date."), text=text) from None


@functools.lru_cache(maxsize=4096)
def parse_date(text: str, order: str | None) -> DateValue | None:
    """The date in `text` with its precision; None when empty; ReasonError saying why
    (a ValueError whose reason is worded in the reader's language, see imports.reasons).

    Remembered per (text, order): a register repeats its dates (custody since, years of
    birth) and the result is immutable; an error is not remembered, it is raised each time.
    """
    text = (text or "").strip()
    if not text:
        return None
    if found := _ISO.match(text):
        year, month, day = map(int, found.groups())
        return _make(year, month, day, "day", text)
    if found := _YEAR.match(text):
        return _make(int(found.group(1)), 1, 1, "year", text)
    if found := _YEAR_MONTH.match(text):
        return _make(int(found.group(1)), int(found.group(2)), 1, "month", text)
    if found := _MONTH_YEAR.match(text):
        return _make(int(found.group(2)), int(found.group(1)), 1, "month", text)
    if found := _THREE.match(text):
        first, second, year = (int(part) for part in found.groups())
        if len(found.group(3)) != 4:
            raise ReasonError(
                gettext_noop("Write the year with four digits: “%(text)s”."), text=text
            )
        if order is None:
            raise ReasonError(
                gettext_noop("Day/month order of “%(text)s” is not known."), text=text
            )
        day, month = (first, second) if order == "dmy" else (second, first)
        if month > MONTHS:
            raise ReasonError(
                gettext_noop("“%(text)s” is not a date in %(order)s order."),
                text=text,
                order=reason(gettext_noop("day/month/year"))
                if order == "dmy"
                else reason(gettext_noop("month/day/year")),
            )
        return _make(year, month, day, "day", text)
    raise ReasonError(
        gettext_noop("“%(text)s” is not a date (write dd/mm/yyyy, mm/yyyy or yyyy)."), text=text
    )
