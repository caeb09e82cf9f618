"""ISO 3166-1 country names in the user's language, from pycountry's own catalogs.

pycountry ships the Debian iso-codes translations, so Arabic country names need no
hand-typed list and stay in step with the standard.

A catalog is keyed by the English name its translators saw. When ISO renames a country
(Turkey became Türkiye in 2022) a catalog that was not updated since has no entry for the
new name, so every English form of the name is tried in turn: the common name, the ISO
name, the former ISO names and the official name. Where no catalog entry exists under any
of them, a short table supplies the name (iso-codes dropped "Turkey" from its templates, so
the Arabic catalog, last translated in 2019, knows no name for TR at all).
"""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

# The English ISO 3166-1 names a country had before its current one, newest first.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "TR": ("Turkey", "Republic of Turkey"),
    "MK": ("Macedonia, the former Yugoslav Republic of", "Macedonia, Republic of"),
    "SZ": ("Swaziland", "Kingdom of Swaziland"),
    "CZ": ("Czech Republic",),
    "CV": ("Cape Verde", "Republic of Cape Verde"),
}

# Names that no catalog entry provides under any English form, by language and alpha-2.
MISSING_FROM_CATALOG: dict[str, dict[str, str]] = {
    "ar": {"TR": "تركيا"},
}


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


def english_names(alpha_2: str) -> list[str]:
    """Every English name a catalog may know the country by, shortest usual form first."""
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return []
    names = [
        getattr(country, "common_name", None),
        country.name,
        *FORMER_NAMES.get(country.alpha_2, ()),
        getattr(country, "official_name", None),
    ]
    return list(dict.fromkeys(name for name in names if name))


def localized_country_name(alpha_2: str, english_name: str) -> str:
    """The ISO name in the active language (falls back to English)."""
    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return english_name
    catalog = _catalog(language)
    for candidate in english_names(alpha_2):
        translated = catalog.gettext(candidate)
        if translated != candidate:
            return translated
    return MISSING_FROM_CATALOG.get(language, {}).get(alpha_2, english_name)
