"""Forms of the export pages: the request (with its purpose) and the approver's decision."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import CaseStatus
from homeward.core.models import HomeState
from homeward.exports import queries
from homeward.exports.choices import Dataset, ExportFormat, PurposeCategory
from homeward.exports.services import PURPOSE_MIN_LENGTH


class ExportRequestForm(forms.Form):
    """What to export, in which format, and why. Home states are narrowed to the user's scope."""

    dataset = forms.ChoiceField(label=_("Data"), choices=Dataset.choices)
    file_format = forms.ChoiceField(
        label=_("File format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )
    home_state = forms.ModelChoiceField(
        label=_("Home state"),
        queryset=HomeState.objects.none(),
        required=False,
        empty_label=_("All the home states I work on"),
    )
    status = forms.ChoiceField(
        label=_("Case status"),
        choices=[("", _("Any status")), *CaseStatus.choices],
        required=False,
    )
    operation = forms.ModelChoiceField(
        label=_("Return operation"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("For an operation manifest: the operation whose manifest goes to its state."),
    )
    # A list's filters, carried from its page's querystring (checked by the service).
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    purpose_category = forms.ChoiceField(
        label=_("Kind of purpose"), choices=PurposeCategory.choices
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=PURPOSE_MIN_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you need this file and what you will do with it. The approver reads this, "
            "and it stays in the audit trail."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_state"].queryset = queries.exportable_home_states(user)
        self.fields["operation"].queryset = queries.exportable_operations(user)

    def clean_filters(self) -> dict:
        """The querystring as {name: value} (a list's filters take one value each)."""
        return {key: value for key, value in QueryDict(self.cleaned_data["filters"]).items()}

    def list_filters(self) -> list[tuple[str, str]]:
        """The carried filters, to show the requester what the file will hold."""
        return sorted(QueryDict(self["filters"].value() or "").items())


class DecisionForm(forms.Form):
    """Approve or refuse; a refusal says why."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you refuse."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the export is refused."))
        return data
