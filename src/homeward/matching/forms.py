"""The search form: a name in any script, an age or birth year, and parents' names."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm
from homeward.people.choices import Sex

__all__ = ["DuplicateDecisionForm", "MatchSearchForm", "split_age"]

_NUMBER = re.compile(r"\d{1,4}")
_AGE_WORDS = re.compile(
    r"\b(about|around|approx\.?|aged|age|years?|yrs?|y\.?o\.?|около|примерно|лет|года?|حوالي|عمر|سنوات|سنة)\b",
    re.IGNORECASE,
)


def split_age(text: str) -> tuple[str, int | None, int | None]:
    """("Хадижат Гусейнова", 6, None) from "Хадижат Гусейнова, about 6".

    A number up to 30 is an age; a four-digit number is a birth year. Searchers type what
    they have in one box, as relatives' letters say it.
    """
    age = year = None
    for number in _NUMBER.findall(text):
        value = int(number)
        if len(number) == 4:
            year = value
        elif value <= 30:
            age = value
    name = _AGE_WORDS.sub(" ", _NUMBER.sub(" ", text))
    name = " ".join(name.replace(",", " ").replace("،", " ").split())  # Latin or Arabic comma
    return name, age, year


class MatchSearchForm(HomewardForm):
    """Who the searcher is looking for. Only the name is required."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_(
            "In any script, as the source writes it. "
            "You may add the age: “Хадижат Гусейнова, about 6”."
        ),
    )
    age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=30)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1990)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Any")), (Sex.FEMALE, Sex.FEMALE.label), (Sex.MALE, Sex.MALE.label)],
    )
    mother_name = forms.CharField(label=_("Mother's name"), max_length=200, required=False)
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise ValidationError(_("A year of birth cannot be in the future."))
        return year

    def clean(self):
        cleaned = super().clean()
        name, age, year = split_age(cleaned.get("name", "") or "")
        if "name" in cleaned:
            if not any(ch.isalpha() for ch in name):
                self.add_error("name", _("Enter a name."))
            cleaned["name"] = name
        if cleaned.get("age") is None and age is not None:
            cleaned["age"] = age
        if not cleaned.get("birth_year") and year is not None:
            cleaned["birth_year"] = year
        return cleaned


class DuplicateDecisionForm(HomewardForm):
    """What a reviewer does with a proposed pair: confirm, reject, merge or undo a merge.

    Merging names the record that stays; the reason is required for merge and undo because
    both rewrite where a child's history lives.
    """

    ACTIONS = [
        ("confirm", _("Same person")),
        ("reject", _("Not the same person")),
        ("merge", _("Merge")),
        ("unmerge", _("Undo the merge")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    survivor = forms.ChoiceField(
        label=_("Record to keep"),
        choices=[("left", _("the first record")), ("right", _("the second record"))],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in ("merge", "unmerge") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why."))
        if data.get("action") == "merge" and not data.get("survivor"):
            self.add_error("survivor", _("Choose the record to keep."))
        return data
