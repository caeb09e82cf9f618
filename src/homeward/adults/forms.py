"""Forms of the adult cases pages: they validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.adults.choices import ConsentLevel, LegalStatus, ReturnStep, RouteHome, SentenceKind
from homeward.core.forms import HomewardForm
from homeward.core.models import HomeState
from homeward.people.choices import PersonKind
from homeward.people.models import Facility, Person

DATE = forms.DateInput(attrs={"type": "date"})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class AdultCaseForm(HomewardForm):
    person = PersonChoice(label=_("Person"), queryset=Person.objects.none())
    home_state = forms.ModelChoiceField(label=_("Home state"), queryset=HomeState.objects.none())
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    status_since = forms.DateField(label=_("Status since"), required=False, widget=DATE)
    sentence_kind = forms.ChoiceField(
        label=_("Sentence"), choices=[("", "—"), *SentenceKind.choices], required=False
    )
    expected_release_on = forms.DateField(label=_("Expected release"), required=False, widget=DATE)
    route_home = forms.ChoiceField(label=_("Route home"), choices=RouteHome.choices)
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.all(), required=False
    )
    detainee_number = forms.CharField(label=_("Detainee number"), required=False, max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.for_user(user, "view")
            .filter(kind=PersonKind.ADULT, adult_case__isnull=True)
            .prefetch_related("names")
        )
        self.fields["home_state"].queryset = HomeState.objects.for_user(user, "view")


class LegalStatusForm(HomewardForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    legal_status = forms.ChoiceField(label=_("New legal status"), choices=LegalStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    sentence_kind = forms.ChoiceField(
        label=_("Sentence"), choices=[("", "—"), *SentenceKind.choices], required=False
    )
    expected_release_on = forms.DateField(label=_("Expected release"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data["legal_status"] not in (LegalStatus.CONVICTED, LegalStatus.COMMUTED):
            data["sentence_kind"] = None
        return data


class ReturnStepForm(HomewardForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    step = forms.ChoiceField(label=_("Step"), choices=ReturnStep.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)


class RouteHomeForm(HomewardForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    route_home = forms.ChoiceField(label=_("Route home"), choices=RouteHome.choices)


class ConsularVisitForm(HomewardForm):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    officials = forms.CharField(label=_("Officials"), max_length=300)
    interpreter = forms.CharField(label=_("Interpreter"), required=False, max_length=200)
    consent_level = forms.ChoiceField(
        label=_("The detainee agreed to record"), choices=ConsentLevel.choices
    )
    discussed = forms.CharField(
        label=_("What was discussed"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
