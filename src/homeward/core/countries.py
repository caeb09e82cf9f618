"""ISO 3166-1 country names in the user's language, from pycountry's own catalogs.

pycountry ships the Debian iso-codes translations, so Arabic country names need no
hand-typed list and stay in step with the standard.
"""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def iso_countries() -> list[tuple[str, str, str]]:
    """(alpha_2, alpha_3, English name) for every current ISO 3166-1 country."""
    return [
        (c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    ]


def localized_country_name(alpha_2: str, english_name: str) -> str:
    """The ISO name in the active language (falls back to English)."""
    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return english_name
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return english_name
    catalog = _catalog(language)
    for candidate in (getattr(country, "common_name", None), country.name):
        if candidate:
            translated = catalog.gettext(candidate)
            if translated != candidate:
                return translated
    return english_name
