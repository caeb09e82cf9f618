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
    fee_agreements = forms.CharField(
        label=_("Fee agreements"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelActionItemForm(HomewardForm):
    note = forms.CharField(
        label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class FocalPointForm(HomewardForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class EngagementDocumentForm(HomewardForm):
    """A document filed on an engagement, for one of the children linked to it."""

    person = forms.ModelChoiceField(label=_("Child"), queryset=Case.objects.none())
    kind = forms.ChoiceField(label=_("Kind of document"), choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, engagement, user, **kwargs):
        from homeward.attachments.choices import AttachmentKind
        from homeward.attachments.permissions import addable_kinds
        from homeward.people.models import Person

        super().__init__(*args, **kwargs)
        children = engagement.cases.filter(pk__in=Case.objects.for_user(user, "view")).values(
            "child_id"
        )
        self.fields["person"].queryset = Person.objects.for_user(user, "view").filter(
            pk__in=children
        )
        self.fields["person"].label_from_instance = lambda person: person.display_name
        allowed = set(addable_kinds(user))
        self.fields["kind"].choices = [
            (value, label) for value, label in AttachmentKind.choices if value in allowed
        ]


class PolicyForm(HomewardForm):
    """The next version of a home state's requirements policy: every rule, a date, a reason."""

    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason for this version"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from homeward.evidence.choices import AssuranceItem
        from homeward.workflow.models import RULE_FIELDS, RequirementsPolicy

        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            model_field = RequirementsPolicy._meta.get_field(name)
            label = model_field.verbose_name[:1].upper() + model_field.verbose_name[1:]
            if name == "assurance_items":
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=AssuranceItem.choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif name == "notes":
                field = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            else:
                field = model_field.formfield()
                field.label = label
            self.fields[name] = field
        self.order_fields([*RULE_FIELDS, "effective_from", "reason"])
