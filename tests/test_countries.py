"""Country names in Arabic come from pycountry's catalogs; English names are left alone."""

import re

import pycountry
import pytest
from django.utils import translation

from homeward.core.countries import english_names, iso_countries, localized_country_name

# The home states of most children in Iraqi custody, and a few European ones.
HOME_STATES = ["RU", "TJ", "TR", "AZ", "UZ", "KZ", "KG", "DE", "FR", "GE", "UA", "BY"]
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def english_name(alpha_2: str) -> str:
    return {a2: name for a2, _a3, name in iso_countries()}[alpha_2]


@pytest.mark.parametrize("alpha_2", HOME_STATES)
def test_arabic_name_is_arabic(alpha_2):
    with translation.override("ar"):
        name = localized_country_name(alpha_2, english_name(alpha_2))
    assert ARABIC_LETTER.search(name), name
    assert not LATIN_LETTER.search(name), name


@pytest.mark.parametrize("alpha_2", HOME_STATES)
def test_english_name_is_unchanged(alpha_2):
    english = english_name(alpha_2)
    with translation.override("en"):
        assert localized_country_name(alpha_2, english) == english


def test_turkiye_reads_as_turkey_in_arabic():
    """ISO's "Türkiye" (2022) is not in the Arabic catalog; the name must still be Arabic."""
    assert pycountry.countries.get(alpha_2="TR").name == "Türkiye"
    with translation.override("ar"):
        assert localized_country_name("TR", "Türkiye") == "تركيا"


def test_former_names_are_tried_after_the_current_ones():
    names = english_names("TR")
    assert names[0] == "Türkiye"
    assert names.index("Turkey") < names.index("Republic of Türkiye")


def test_every_country_has_a_name_in_arabic():
    with translation.override("ar"):
        latin = [
            a2
            for a2, _a3, name in iso_countries()
            if not ARABIC_LETTER.search(localized_country_name(a2, name))
        ]
    assert latin == []


def test_unknown_code_falls_back_to_the_given_name():
    with translation.override("ar"):
        assert localized_country_name("XX", "Nowhere") == "Nowhere"
