"""The press statement, in English and Arabic, from the public figures."""

import datetime

from homeward.core.countries import iso_countries
from homeward.core.demo.builder import BATCHES
from homeward.reports.public import BatchRow, build_public_figures
from homeward.reports.statement import press_statement, press_statements

NAMES = {alpha_2: name for alpha_2, _alpha_3, name in iso_countries()}


def _demo(as_of):
    batches = [BatchRow(b.handed_over_on, b.state, NAMES[b.state], b.children) for b in BATCHES]
    return build_public_figures(batches, as_of=as_of)


def test_the_473_statement_names_the_russian_batch():
    figures = _demo(datetime.date(2019, 7, 15))
    text = press_statement(figures, "en")
    assert text == (
        "On July 15, 2019, the Ministry of Foreign Affairs of the Republic of Iraq announced "
        "that Iraq has so far returned 473 children to their home nations, of 10 "
        "nationalities, including Türkiye, Russian Federation, Tajikistan, Azerbaijan, "
        "Ukraine, Germany, Belarus, France, Georgia and Finland. The latest handover, on "
        "July 10, 2019, returned 33 children to Russian Federation."
    )


def test_a_small_latest_batch_is_named_without_its_size():
    # the Algerian batch of 4 on 16 Dec 2019 triggered the 598 statement
    figures = _demo(datetime.date(2019, 12, 18))
    text = press_statement(figures, "en")
    assert "returned 598 children" in text
    assert text.endswith("The latest handover, on Dec. 16, 2019, was to Algeria.")
    assert " 4 children" not in text


def test_the_arabic_statement_carries_the_iraqi_date_and_the_number():
    statements = press_statements(_demo(datetime.date(2019, 10, 15)))
    assert "15 تشرين الأول 2019" in statements["ar"]
    assert "537" in statements["ar"]
    assert "64" in statements["ar"]
    assert "537" in statements["en"] and "Uzbekistan" in statements["en"]
