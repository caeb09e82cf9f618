"""Minimal display: what a list may show about a person (G22).

A list, a search result or a desk row shows a child by case reference, masked name and
birth year only. The full name is shown on the record page (an audited read) and by the
deliberate "Reveal" action of a list row (audited as `people.person.name_revealed`).
Every list in the UI and the API goes through these helpers, so the rule lives in one place.
"""

from django.utils.translation import gettext as _

from homeward.people.choices import DobPrecision

__all__ = ["MASK", "birth_year_display", "mask_text", "masked_name"]

MASK = "***"


def mask_text(text: str) -> str:
    """Each word of `text` as its first letter and MASK: "Khadija Hussein" → "K*** H***".

    Works for any script ("خديجة حسين" → "خ*** ح***"); punctuation-only words are dropped.
    """
    parts = []
    for word in text.split():
        letters = [char for char in word if char.isalnum()]
        if letters:
            parts.append(letters[0] + MASK)
    return " ".join(parts) or MASK


def masked_name(person) -> str:
    """The person's preferred name, masked. Uses the prefetched `names` when present."""
    name = person.primary_name
    return mask_text(name.full_text) if name is not None else str(_("(no name recorded)"))


def birth_year_display(person) -> str:
    """The birth year alone ("2016", "c. 2016", "2015–2017"); "" when unknown."""
    dob = person.date_of_birth
    if person.dob_precision == DobPrecision.RANGE and person.dob_earliest and person.dob_latest:
        first, last = person.dob_earliest.year, person.dob_latest.year
        return str(first) if first == last else f"{first}–{last}"
    if dob is None or person.dob_precision == DobPrecision.UNKNOWN:
        return ""
    if person.dob_precision == DobPrecision.DAY:
        return str(dob.year)
    return _("c. %(year)s") % {"year": dob.year}
