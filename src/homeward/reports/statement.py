"""The ministry's press paragraph, written from the public (suppressed) figures.

"The Ministry of Foreign Affairs … has so far returned N children to their home nations,
including …", dated, naming the operation that triggered it. It is built only from what the
public figures show, so it never states a withheld count: when the latest batch is small,
the paragraph names the handover without its size. Arabic number agreement (one child,
two children, 3–10, 11–99, 100…) comes from the catalogue's six plural forms via ngettext.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.core.countries import localized_country_name
from homeward.reports.public import PublicFigures

__all__ = ["press_statement", "press_statements"]


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(list)s and %(last)s") % {
        "list": _(", ").join(names[:-1]),
        "last": names[-1],
    }


def _children(n: int) -> str:
    return ngettext("%(n)s child", "%(n)s children", n) % {"n": f"{n:,}"}


def press_statement(figures: PublicFigures, language: str) -> str:
    """The paragraph in `language` ("ar" or "en"), as of the figures' date."""
    with translation.override(language):
        if figures.total.suppressed or not figures.total.value:
            return _("As of %(date)s, no figures on children returned can be published yet.") % {
                "date": date_format(figures.as_of, "DATE_FORMAT")
            }
        names = [localized_country_name(code, name) for code, name, _total in figures.nationalities]
        text = _(
            "On %(date)s, the Ministry of Foreign Affairs of the Republic of Iraq announced that "
            "Iraq has so far returned %(children)s to their home nations, of %(count)s "
            "nationalities, including %(names)s."
        ) % {
            "date": date_format(figures.as_of, "DATE_FORMAT"),
            "children": _children(figures.total.value),
            "count": len(names),
            "names": _join(names),
        }
        last = figures.last_operation
        if last is not None:
            state = localized_country_name(last.state, last.state_name)
            size = next(
                (
                    cell
                    for day, code, _name, cell in reversed(figures.operations)
                    if day == last.handed_over_on and code == last.state
                ),
                None,
            )
            when = date_format(last.handed_over_on, "DATE_FORMAT")
            if size is not None and not size.suppressed:
                text += " " + ngettext(
                    "The latest handover, on %(date)s, returned %(n)s child to %(state)s.",
                    "The latest handover, on %(date)s, returned %(n)s children to %(state)s.",
                    size.value,
                ) % {"date": when, "n": f"{size.value:,}", "state": state}
            else:
                text += " " + _("The latest handover, on %(date)s, was to %(state)s.") % {
                    "date": when,
                    "state": state,
                }
        return text


def press_statements(figures: PublicFigures) -> dict[str, str]:
    """The paragraph in Arabic and in English."""
    return {"ar": press_statement(figures, "ar"), "en": press_statement(figures, "en")}
