"""HTML forms for the people pages. Forms validate and hand clean values to `people.services`.

Forms never save. Where a model's own invariants (Person.clean, PersonName.clean,
Relationship.clean) can check input before the service runs, the form asks the model, so
an error lands next to the right field (and on the right name row) instead of at the top.
The service validates again inside its transaction; anything it still refuses (a stale
version, an overlapping custody period, a write that would leave the actor's scope) is put
back on the form by `apply_service_error`.

Every choice of a record (home state, facility, adult) is narrowed to what the user may
see, so a forged value is "not one of the available choices", never a leak.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES
from homeward.core.forms import HomewardForm, HomewardModelForm, apply_service_error
from homeward.core.models import HomeState
from homeward.people.choices import (
    LANGUAGES,
    DobPrecision,
    LegalStatus,
    NameType,
    PersonKind,
    RelationshipBasis,
    RelationshipType,
    Script,
    Sex,
)
from homeward.people.filtersets import ChildFilterSet
from homeward.people.models import TEXT_LIMIT, Facility, Person, PersonName, Relationship

__all__ = [
    "ChildListFilterSet",
    "ChildRegistrationForm",
    "CustodyMoveForm",
    "LinkRelativeForm",
    "NameForm",
    "NameFormSet",
    "PersonEditForm",
]

MAX_NAMES = 4


class LabelSortedIterator(ModelChoiceIterator):
    """Options sorted by their label in the active language (country names in Arabic too)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


class CountryChoiceField(forms.ModelChoiceField):
    iterator = LabelSortedIterator


class PersonChoiceField(forms.ModelChoiceField):
    """A visible person, shown by preferred name (and case reference for a child)."""

    def label_from_instance(self, obj):
        case = getattr(obj, "case", None) if obj.kind == PersonKind.CHILD else None
        return f"{obj.display_name} ({case.reference})" if case else obj.display_name


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def visible_adults(user):
    return (
        Person.objects.for_user(user, "view")
        .filter(kind=PersonKind.ADULT)
        .prefetch_related("names")
        .order_by("created_at")
    )


# -- names ---------------------------------------------------------------------------------


class NameForm(HomewardModelForm):
    """One name as written. PersonName.clean() decides what an acceptable name is."""

    class Meta:
        model = PersonName
        fields = [
            "full_text",
            "name_type",
            "script",
            "given",
            "father",
            "grandfather",
            "family",
            "source",
            "is_primary",
        ]
        help_texts = {
            "full_text": _("Exactly as the source writes it, in its own script."),
            "source": _("The document or person this name comes from."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model says "A name cannot be empty." itself; a second "required" message
        # would only repeat it.
        self.fields["full_text"].required = False
        # ...but the first row (and a lone name form) still needs one: say so in the label.
        self.fields["full_text"].shows_required = not self.empty_permitted
        self.fields["script"].choices = [("", _("Detect from the text")), *Script.choices]
        self.fields["name_type"].error_messages["required"] = _("Choose the kind of name.")


class BaseNameFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Enter at least one name."),
        "too_many_forms": _("Enter at most %(num)d names."),
    }

    def clean(self):
        super().clean()
        preferred = [form for form in self.forms if form.cleaned_data.get("is_primary")]
        if len(preferred) > 1:
            raise ValidationError(_("Mark only one name as the preferred name."))

    def names(self) -> list[dict]:
        """The filled-in rows, ready for `register_child(names=...)`."""
        return [dict(form.cleaned_data) for form in self.forms if form.cleaned_data]


NameFormSet = forms.formset_factory(
    NameForm,
    formset=BaseNameFormSet,
    extra=MAX_NAMES - 1,
    min_num=1,
    max_num=MAX_NAMES,
    validate_min=True,
    validate_max=True,
)


# -- biodata -------------------------------------------------------------------------------


class PersonDetailsForm(HomewardModelForm):
    """Biodata shared by registration and editing; Person.clean() checks dates and languages."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    place_of_birth_country = CountryChoiceField(
        label=_("Country of birth"),
        queryset=HomeState.objects.all(),
        required=False,
        empty_label=_("Unknown"),
    )

    class Meta:
        model = Person
        fields = [
            "sex",
            "date_of_birth",
            "dob_precision",
            "dob_earliest",
            "dob_latest",
            "dob_source",
            "place_of_birth_country",
            "place_of_birth_locality",
            "born_in_isis_territory",
            "languages",
            "unaccompanied",
            "orphan_status",
        ]
        widgets = {
            "date_of_birth": _date_widget(),
            "dob_earliest": _date_widget(),
            "dob_latest": _date_widget(),
        }
        help_texts = {
            "date_of_birth": _(
                "For “month and year” or “year only”, any day in that month or year."
            ),
            "dob_earliest": _("Only for an estimated range."),
            "dob_latest": _("Only for an estimated range."),
            "unaccompanied": _("Held without a parent or any adult relative."),
        }

    def changes(self) -> dict:
        """Cleaned values of the Person fields this form edits, for the service."""
        return {
            field: self.cleaned_data[field]
            for field in self._meta.fields
            if field in self.cleaned_data
        }


class ChildRegistrationForm(PersonDetailsForm):
    """A new child: biodata, the home state that will scope the case, and where they are held."""

    home_state = CountryChoiceField(
        label=_("Home state"),
        queryset=HomeState.objects.none(),
        help_text=_(
            "The state whose nationality is claimed for the child. "
            "It decides who may see the record."
        ),
    )
    facility = forms.ModelChoiceField(
        label=_("Current facility"),
        queryset=Facility.objects.none(),
        required=False,
        empty_label=_("Not recorded"),
    )
    custody_since = forms.DateField(
        label=_("Held there since"), required=False, widget=_date_widget()
    )
    held_with = PersonChoiceField(
        label=_("Held with"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody (or not yet registered)"),
        help_text=_("An adult already registered, usually the mother."),
    )
    custody_legal_basis = forms.CharField(
        label=_("Order or legal basis"), max_length=120, required=False
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("instance", Person(kind=PersonKind.CHILD))
        super().__init__(*args, **kwargs)
        self.fields["home_state"].queryset = HomeState.objects.for_user(user).order_by("name")
        self.fields["facility"].queryset = Facility.objects.for_user(user).filter(is_active=True)
        self.fields["held_with"].queryset = visible_adults(user)

    def clean(self):
        cleaned = super().clean()
        facility, since = cleaned.get("facility"), cleaned.get("custody_since")
        if facility and not since and "custody_since" not in self.errors:
            self.add_error(
                "custody_since", _("Enter the date the child has been held there since.")
            )
        if not facility and (
            since or cleaned.get("held_with") or cleaned.get("custody_legal_basis")
        ):
            self.add_error("facility", _("Choose the facility, or leave the custody fields empty."))
        return cleaned

    def custody(self) -> dict | None:
        if not self.cleaned_data.get("facility"):
            return None
        return {
            "facility": self.cleaned_data["facility"],
            "started_on": self.cleaned_data["custody_since"],
            "with_person": self.cleaned_data.get("held_with"),
            "legal_basis": self.cleaned_data.get("custody_legal_basis", ""),
        }


class PersonEditForm(PersonDetailsForm):
    """Edit biodata. `version` is the row version loaded with the form (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    home_state = CountryChoiceField(label=_("Home state"), queryset=HomeState.objects.none())

    class Meta(PersonDetailsForm.Meta):
        fields = [*PersonDetailsForm.Meta.fields, "legal_status", "date_of_death"]
        widgets = {**PersonDetailsForm.Meta.widgets, "date_of_death": _date_widget()}

    def __init__(self, *args, user, can_change_home_state: bool, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        self.fields["version"].initial = person.version
        if not person.is_child:
            for child_only in ("unaccompanied", "orphan_status"):
                del self.fields[child_only]
        case = getattr(person, "case", None) if person.is_child else None
        if case is not None and can_change_home_state:
            self.fields["home_state"].queryset = HomeState.objects.for_user(user).order_by("name")
            self.fields["home_state"].initial = case.home_state_id
            self.fields["home_state"].help_text = _(
                "Changing it moves the case to another state's consuls. "
                "You must be able to see the new state."
            )
        else:
            del self.fields["home_state"]


# -- relatives -----------------------------------------------------------------------------


class LinkRelativeForm(HomewardForm):
    """Link a relative: a person already registered and visible, or a new adult.

    The link itself is checked against Relationship.clean() before anything is written,
    so a new adult is only created when the link that follows is expected to succeed.
    """

    EXISTING, NEW = "existing", "new"

    relationship_type = forms.ChoiceField(
        label=_("The relative is the person's"),
        choices=[("", "---------"), *RelationshipType.choices],
    )
    basis = forms.ChoiceField(
        label=_("How the link was established"),
        choices=[("", "---------"), *RelationshipBasis.choices],
    )
    verified_by = forms.CharField(label=_("Verified by"), max_length=200, required=False)
    verified_on = forms.DateField(label=_("Verified on"), required=False, widget=_date_widget())
    note = forms.CharField(
        label=_("Note"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    mode = forms.ChoiceField(
        label=_("Relative"),
        choices=[
            (EXISTING, _("A person already registered")),
            (NEW, _("A new adult, not yet registered")),
        ],
        initial=EXISTING,
        widget=forms.RadioSelect,
    )
    relative_q = forms.CharField(
        label=_("Find by name (any script) or case reference"), max_length=100, required=False
    )
    relative = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)

    new_name = forms.CharField(label=_("Name as written"), max_length=200, required=False)
    new_name_type = forms.ChoiceField(
        label=_("Kind of name"),
        choices=NameType.choices,
        initial=NameType.DECLARED_BY_MOTHER,
        required=False,
    )
    new_sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.FEMALE, required=False
    )
    new_birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    new_legal_status = forms.ChoiceField(
        label=_("Legal status"),
        choices=LegalStatus.choices,
        initial=LegalStatus.UNKNOWN,
        required=False,
    )

    LINK_FIELDS = ("relationship_type", "basis", "verified_by", "verified_on", "note")
    NEW_ADULT_FIELDS = {
        "sex": "new_sex",
        "date_of_birth": "new_birth_year",
        "legal_status": "new_legal_status",
    }

    def __init__(self, *args, person: Person, user, can_add_person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.can_add_person = can_add_person
        self.fields["relative"].queryset = Person.objects.for_user(user, "view").prefetch_related(
            "names"
        )
        this_year = timezone.localdate().year
        self.fields["new_birth_year"].validators.append(MaxValueValidator(this_year))
        self.fields["new_birth_year"].widget.attrs["max"] = this_year
        if not can_add_person:
            self.fields["mode"].choices = self.fields["mode"].choices[:1]
        self.new_adult: Person | None = None
        self.new_adult_name: dict | None = None

    def link_details(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.LINK_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if any(field in self.errors for field in ("mode", "relationship_type", "basis")):
            return cleaned
        if cleaned["mode"] == self.EXISTING:
            relative = cleaned.get("relative")
            if relative is None:
                if "relative" not in self.errors:
                    self.add_error(
                        "relative", _("Choose the person to link, or register a new adult.")
                    )
                return cleaned
            self._check_link(relative, exclude=[])
        else:
            self._build_new_adult(cleaned)
        return cleaned

    def _build_new_adult(self, cleaned) -> None:
        name = PersonName(
            full_text=cleaned.get("new_name", ""),
            name_type=cleaned.get("new_name_type") or NameType.DECLARED_BY_MOTHER,
        )
        try:
            name.full_clean(exclude=["person"])
        except ValidationError as exc:
            self.add_error("new_name", exc.messages)
        year = cleaned.get("new_birth_year")
        adult = Person(
            kind=PersonKind.ADULT,
            sex=cleaned.get("new_sex") or Sex.UNKNOWN,
            date_of_birth=datetime.date(year, 7, 1) if year else None,
            dob_precision=DobPrecision.YEAR if year else DobPrecision.UNKNOWN,
            legal_status=cleaned.get("new_legal_status") or LegalStatus.UNKNOWN,
        )
        try:
            adult.full_clean()
        except ValidationError as exc:
            apply_service_error(self, exc, self.NEW_ADULT_FIELDS)
        if self.errors:
            return
        # The adult does not exist yet: skip the foreign-key checks, keep every invariant.
        self._check_link(adult, exclude=["person", "relative"])
        self.new_adult = adult
        self.new_adult_name = {
            "full_text": name.full_text,
            "name_type": name.name_type,
            "script": name.script,
        }

    def _check_link(self, relative: Person, exclude: list[str]) -> None:
        link = Relationship(person=self.person, relative=relative, **self.link_details())
        try:
            link.full_clean(exclude=exclude)
        except ValidationError as exc:
            field_map = {"relative": "relative" if not exclude else "new_name"}
            apply_service_error(self, exc, field_map)

    def new_adult_fields(self) -> dict:
        adult = self.new_adult
        return {
            "sex": adult.sex,
            "date_of_birth": adult.date_of_birth,
            "dob_precision": adult.dob_precision,
            "legal_status": adult.legal_status,
        }


# -- custody -------------------------------------------------------------------------------


class CustodyMoveForm(HomewardForm):
    """A move to a new placement. The service closes the open episode the day this one starts."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    started_on = forms.DateField(label=_("Since"), widget=_date_widget())
    with_person = PersonChoiceField(
        label=_("Held with"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    legal_basis = forms.CharField(label=_("Order or legal basis"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason for the move"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.for_user(user).filter(is_active=True)
        self.fields["with_person"].queryset = visible_adults(user)


# -- the children list's filters ------------------------------------------------------------


STAGES = {"in_custody": IN_CUSTODY_STATES, "returned": RETURNED_STATES}


class ChildListFilterSet(ChildFilterSet):
    """The shared ChildFilterSet plus `stage`, so dashboard figures link to exactly their rows."""

    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[("in_custody", _("Still in custody in Iraq")), ("returned", _("Returned home"))],
        method="filter_stage",
        empty_label=_("Any"),
    )

    # the cases behind a count of the statistics dashboard (reports.links), kept hidden
    behind = django_filters.CharFilter(
        method="filter_behind", widget=forms.HiddenInput, max_length=1000
    )

    class Meta(ChildFilterSet.Meta):
        fields = [*ChildFilterSet.Meta.fields, "stage", "behind"]
        form = HomewardForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_yes_no = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        for name in ("unaccompanied", "mother_sentenced"):
            self.filters[name].extra["widget"] = any_yes_no
        for name in ("home_state", "status", "facility", "age_band", "sex"):
            self.filters[name].extra["empty_label"] = _("Any")
        self.filters["q"].extra["max_length"] = 100

    def filter_stage(self, queryset, name, value):
        return queryset.filter(case__status__in=STAGES[value])

    def filter_behind(self, queryset, name, value):
        from homeward.reports.links import cases_behind

        return queryset.filter(case__in=cases_behind(self.request.user, value))
