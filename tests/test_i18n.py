"""Arabic is a first-class language: a complete, compiled catalog and right-to-left pages.

The catalog is read twice: the .po source (every entry translated, nothing fuzzy, six plural
forms, placeholders and markup kept) and the committed .mo (what Django loads at run time,
which must match the source, so nobody forgets `homeward compilemessages`).
"""

import gettext
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from homeward.cases.choices import CaseStatus
from homeward.people import choices as people_choices

CATALOG_DIR = Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES"
PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
)
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text.strip()[1:-1])


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural, msgstr / msgstr[n]."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry = None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])?\s+(\".*\")$", line
        ):
            keyword, index, value = match.groups()
            key = ("msgstr", int(index) if index else None) if keyword == "msgstr" else (keyword,)
            if keyword == "msgstr":
                entry["msgstr"][key[1]] = _unquote(value)
            else:
                entry[keyword] = _unquote(value)
        elif line.startswith('"'):
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key[0]] += _unquote(line)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return read_po(CATALOG_DIR / "django.po")


@pytest.fixture(scope="module")
def messages(po_entries) -> list[dict]:
    return [entry for entry in po_entries if entry["msgid"]]


@pytest.fixture(scope="module")
def mo() -> gettext.GNUTranslations:
    with (CATALOG_DIR / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- the catalog -------------------------------------------------------------------------------


def test_header_declares_arabic_with_six_plural_forms(po_entries):
    header = po_entries[0]["msgstr"][None]
    assert "Language: ar\n" in header
    assert f"Plural-Forms: {PLURAL_FORMS}\n" in header
    assert "fuzzy" not in po_entries[0]["flags"]


def test_every_entry_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 500
    fuzzy = [entry["msgid"] for entry in messages if "fuzzy" in entry["flags"]]
    untranslated = [entry["msgid"] for entry in messages if not all(entry["msgstr"].values())]
    assert (fuzzy, untranslated) == ([], [])


def test_plural_entries_have_all_six_forms(messages):
    plurals = [entry for entry in messages if "msgid_plural" in entry]
    assert plurals
    for entry in plurals:
        assert sorted(entry["msgstr"]) == [0, 1, 2, 3, 4, 5], entry["msgid"]


def test_placeholders_and_markup_are_kept(messages):
    for entry in messages:
        source = entry.get("msgid_plural", entry["msgid"])  # the plural names every placeholder
        wanted_placeholders = sorted(set(PLACEHOLDER.findall(source)))
        wanted_tags = sorted(TAG.findall(source))
        # Arabic says "one child" and "two children" in words; the other forms carry the number.
        forms = {i: text for i, text in entry["msgstr"].items() if i not in (1, 2)}
        for text in forms.values():
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted_placeholders, entry["msgid"]
            assert sorted(TAG.findall(text)) == wanted_tags, entry["msgid"]


def test_translations_are_arabic(messages):
    """Every translation of words has Arabic letters (punctuation, like ", ", need not)."""
    for entry in messages:
        if not re.search(r"[A-Za-z]", entry["msgid"]):
            continue
        for text in entry["msgstr"].values():
            assert ARABIC_LETTER.search(text), (entry["msgid"], text)


def test_compiled_catalog_matches_the_source(messages, mo):
    assert mo.info()["plural-forms"] == PLURAL_FORMS
    for entry in messages:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, form in ((0, 0), (1, 1), (2, 2), (5, 3), (12, 4), (100, 5)):
                if context:
                    got = mo.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                else:
                    got = mo.ngettext(entry["msgid"], entry["msgid_plural"], n)
                assert got == entry["msgstr"][form], (entry["msgid"], n)
        else:
            got = mo.pgettext(context, entry["msgid"]) if context else mo.gettext(entry["msgid"])
            assert got == entry["msgstr"][None], entry["msgid"]


# --- what Django serves in Arabic -------------------------------------------------------------

KEY_STRINGS = [
    # navigation and page furniture
    "Homeward",
    "Dashboard",
    "Children",
    "Register a child",
    "Audit trail",
    "Sign out",
    "Sign in",
    "Access history",
    "Back to the dashboard",
    # the children list and the record
    "Case",
    "Name",
    "Sex",
    "Age",
    "Home state",
    "Status",
    "Current facility",
    "Flags",
    "Unaccompanied",
    "Deceased",
    "Names",
    "Family",
    "Custody",
    "Details",
    "Timeline",
    # dashboard
    "Children in custody in Iraq",
    "Unaccompanied children in custody",
    "In custody with a sentenced mother",
    "Returned to their home states",
    "Total",
    # form labels
    "Country of birth",
    "Languages",
    "Held with",
    "Order or legal basis",
    "Held there since",
    "Kind of name",
    "Name as written",
    "Legal status",
    "Year of birth",
    "Reason for the move",
    "Save",
    "Cancel",
    "Search",
    "Filter",
    "Clear",
]


def choice_classes(module) -> list[type[models.Choices]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, models.Choices)
        and value.__module__ == module.__name__
    ]


def test_people_choices_has_choices():
    assert len(choice_classes(people_choices)) >= 8


@pytest.mark.parametrize("text", KEY_STRINGS)
def test_key_strings_translate_to_arabic(text):
    with translation.override("ar"):
        arabic = translation.gettext(text)
    assert arabic != text
    assert ARABIC_LETTER.search(arabic), arabic


def test_every_case_status_has_an_arabic_label():
    with translation.override("en"):
        english = {status: str(status.label) for status in CaseStatus}
    with translation.override("ar"):
        arabic = {status: str(status.label) for status in CaseStatus}
    wrong = [
        status
        for status in CaseStatus
        if arabic[status] == english[status] or not ARABIC_LETTER.search(arabic[status])
    ]
    assert wrong == []


def test_every_people_choice_has_an_arabic_label():
    labels = [
        (cls.__name__, value, label)
        for cls in choice_classes(people_choices)
        for value, label in cls.choices
    ]
    labels += [("LANGUAGES", code, label) for code, label in people_choices.LANGUAGES]
    labels += [
        ("INVERSE_LABELS", code, label) for code, label in people_choices.INVERSE_LABELS.items()
    ]
    with translation.override("en"):
        english = [str(label) for _cls, _value, label in labels]
    with translation.override("ar"):
        arabic = [str(label) for _cls, _value, label in labels]
    wrong = [
        (cls, value, en, ar)
        for (cls, value, _label), en, ar in zip(labels, english, arabic, strict=True)
        if ar == en or not ARABIC_LETTER.search(ar)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 طفل"),
        (1, "طفل واحد"),
        (2, "طفلان"),
        (5, "5 أطفال"),
        (12, "12 طفلًا"),
        (100, "100 طفل"),
    ],
)
def test_child_count_uses_arabic_plural_forms(count, expected):
    with translation.override("ar"):
        text = translation.ngettext("%(total_display)s child", "%(total_display)s children", count)
    assert text % {"total_display": count} == expected


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_children_page_in_arabic_is_right_to_left(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("people:child_list"), HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "الأطفال" in html  # "Children"
    assert "الاتّحاد الرّوسي" in html  # the Russian Federation, from pycountry's catalog


@pytest.mark.django_db
def test_children_page_in_english_is_left_to_right(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("people:child_list"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Children" in html and "الأطفال" not in html


PAGE_USERS = {"event_list": "auditor", "desk_judge": "hjc.judge"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "dashboard",
        "child_list",
        "child_create",
        "person_detail",
        "event_list",
        "desk",
        "desk_judge",
        "match_search",
    ],
)
def test_arabic_pages_show_no_english_interface_text(client, users, registry, page):
    """No sentence of the catalog is left in English on the main pages rendered in Arabic."""
    user = users[PAGE_USERS.get(page, "mfa.officer")]
    client.force_login(user)
    url = {
        "dashboard": reverse("dashboard"),
        "child_list": reverse("people:child_list"),
        "child_create": reverse("people:child_create"),
        "person_detail": reverse("people:person_detail", args=[registry["ru_child"].pk]),
        "event_list": reverse("audit:event_list"),
        "desk": reverse("workflow:desk"),
        "desk_judge": reverse("workflow:desk"),
        "match_search": reverse("matching:search") + "?name=" + quote("خديجة") + "&sex=female",
    }[page]
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    text = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S
    )
    text = re.sub(r"<[^>]+>", " ", text)
    # The agency's name is data (the header shows it as registered), not interface text; the
    # judge's "Higher Judicial Council" would otherwise match a requirement's wording.
    text = text.replace(user.agency.name, " ") if user.agency else text
    phrases = {
        entry["msgid"]
        for entry in read_po(CATALOG_DIR / "django.po")
        if entry["msgid"].count(" ") >= 1
        and not PLACEHOLDER.search(entry["msgid"])
        and not TAG.search(entry["msgid"])
    }
    assert sorted(phrase for phrase in phrases if phrase in text) == []


def test_search_box_reads_the_arabic_example():
    """The Arabic help text's example («…، حوالي 6») parses like the English one."""
    from homeward.matching.forms import split_age

    assert split_age("Хадижат Гусейнова، حوالي 6") == ("Хадижат Гусейнова", 6, None)
    assert split_age("Хадижат Гусейнова, about 6") == ("Хадижат Гусейнова", 6, None)
