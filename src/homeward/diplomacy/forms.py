"""Forms of the diplomacy pages: they validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.cases.models import Case
from homeward.core.forms import HomewardForm
from homeward.core.models import HomeState
from homeward.diplomacy.choices import EngagementKind, PolicyStance


def _participants(text: str) -> list[dict]:
    """One participant a line, "agency — role" (or "agency | role")."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for separator in ("|", "—", " - "):
            if separator in line:
                agency, role = line.split(separator, 1)
                break
        else:
            agency, role = line, ""
        rows.append({"agency": agency.strip(), "role": role.strip()})
    return rows


class CasesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.reference


class EngagementForm(HomewardForm):
    home_state = forms.ModelChoiceField(label=_("Home state"), queryset=HomeState.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in EngagementKind.choices if k != "note_verbale_in"],
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=100)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: agency — role."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cases = CasesField(label=_("Linked cases"), required=False, queryset=Case.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        states = HomeState.objects.for_user(user, "view")
        self.fields["home_state"].queryset = states
        self.fields["cases"].queryset = Case.objects.for_user(user, "view").order_by("reference")

    def clean_participants(self) -> list[dict]:
        return _participants(self.cleaned_data["participants"])


class ReplyForm(HomewardForm):
    date = forms.DateField(label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=100)
    outcome = forms.CharField(
        label=_("What it says"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionItemForm(HomewardForm):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_agency = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none())
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cases = CasesField(label=_("Linked cases"), required=False, queryset=Case.objects.none())

    def __init__(self, *args, engagement, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Iraqi agencies, and the mission of this state only (never another state's).
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            country__isnull=True
        ) | Agency.objects.filter(country=engagement.home_state_id)
        self.fields["cases"].queryset = (
            Case.objects.for_user(user, "view")
            .filter(home_state=engagement.home_state_id)
            .order_by("reference")
        )


class CloseActionItemForm(HomewardForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProfileForm(HomewardForm):
    stance = forms.ChoiceField(label=_("Policy stance"), choices=PolicyStance.choices)
    has_embassy_in_baghdad = forms.BooleanField(label=_("Embassy in Baghdad"), required=False)
    channel = forms.CharField(
        label=_("Channel when there is no embassy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
