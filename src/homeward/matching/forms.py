"""The search form: a name in any script, an age or birth year, and parents' names."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm
from homeward.core.models import HomeState
from homeward.matching.models import TracingChannel
from homeward.people.choices import RelationshipType, Sex

__all__ = [
    "DuplicateDecisionForm",
    "MatchSearchForm",
    "TracingCloseForm",
    "TracingDecisionForm",
    "TracingRequestForm",
    "split_age",
]

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


class TracingRequestForm(HomewardForm):
    """A relative's request as the embassy, ICRC or UNICEF forwarded it.

    Names in the relative's own script; an age may be given instead of a year of birth.
    A consul's state is fixed (their scope); everyone else chooses it.
    """

    home_state = forms.ModelChoiceField(label=_("Home state concerned"), queryset=None)
    channel = forms.ChoiceField(label=_("Received through"), choices=TracingChannel.choices)
    channel_reference = forms.CharField(label=_("Their reference"), max_length=80, required=False)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    child_name = forms.CharField(
        label=_("Child's name"),
        max_length=200,
        help_text=_("As the relative writes it, in any script."),
    )
    child_other_names = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line."),
    )
    child_sex = forms.ChoiceField(
        label=_("Child's sex"),
        required=False,
        choices=[("", _("Not known")), (Sex.FEMALE, Sex.FEMALE.label), (Sex.MALE, Sex.MALE.label)],
    )
    child_age = forms.IntegerField(
        label=_("Child's age (estimate)"), required=False, min_value=0, max_value=30
    )
    child_birth_year = forms.IntegerField(
        label=_("or year of birth"), required=False, min_value=1930, max_value=2100
    )
    mother_name = forms.CharField(label=_("Mother's name"), max_length=200, required=False)
    mother_birth_year = forms.IntegerField(
        label=_("Mother's year of birth"), required=False, min_value=1930, max_value=2100
    )
    father_name = forms.CharField(
        label=_("Father's name or kunya"),
        max_length=200,
        required=False,
        help_text=_("A kunya is fine: “Abu Muhammad al-Shishani”."),
    )
    other_relatives = forms.CharField(
        label=_("Other relatives"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    places = forms.CharField(
        label=_("Places"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the family comes from; where the child was last known to be."),
    )
    requester_name = forms.CharField(label=_("Relative's name"), max_length=200)
    requester_relationship = forms.ChoiceField(
        label=_("The relative is the child's"), choices=RelationshipType.choices
    )
    requester_address = forms.CharField(
        label=_("Relative's address and contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        states = HomeState.objects.order_by("name")
        scope = user.home_state_scope() if user is not None else None
        if scope is not None:
            states = states.filter(code__in=scope)
        self.fields["home_state"].queryset = states
        if states.count() == 1:
            self.fields["home_state"].initial = states.first()

    def clean(self):
        data = super().clean()
        age = data.pop("child_age", None)
        if age is not None and not data.get("child_birth_year"):
            data["child_birth_year"] = timezone.localdate().year - age
        return data


class TracingEditForm(TracingRequestForm):
    """The request as filed, to correct; carries the version the editor loaded."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, tracing) -> dict:
        from homeward.matching.services import TRACING_FIELDS

        initial = {name: getattr(tracing, name) for name in TRACING_FIELDS}
        return {**initial, "expected_version": tracing.version}


class TracingDecisionForm(HomewardForm):
    """Confirm or reject one proposed person; a confirmed child may carry the follow-ups."""

    match = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("confirm", _("This is the person sought")), ("reject", _("Not the person"))]
    )
    link_guardian = forms.BooleanField(
        label=_("Register the relative as a guardian candidate"), required=False
    )
    open_claim = forms.BooleanField(
        label=_("Open a nationality claim toward the request's state"), required=False
    )


class TracingCloseForm(HomewardForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000)
