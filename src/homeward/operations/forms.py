"""Forms of the operations pages: they validate input; `operations.services` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm
from homeward.core.models import HomeState
from homeward.operations.choices import (
    CarrierKind,
    IdentityMethod,
    MemberRole,
    MemberSide,
    NotBoardedReason,
    OperationStatus,
    Placement,
)

__all__ = [
    "ArrivalForm",
    "ConfirmForm",
    "EntryConfirmForm",
    "EntryHandoverForm",
    "FollowUpReceiveForm",
    "HandoverForm",
    "MemberFormSet",
    "OperationEditForm",
    "OperationFilterForm",
    "OperationForm",
    "PostponeForm",
    "ReasonForm",
    "ReconcileForm",
    "RemoveEntryForm",
]


class OperationFilterForm(HomewardForm):
    """Narrow the list: by status, home state (within the viewer's scope) and year."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OperationStatus.choices]
    )
    home_state = forms.ModelChoiceField(
        label=_("Home state"),
        required=False,
        queryset=HomeState.objects.none(),
        empty_label=_("Any home state"),
        to_field_name="code",
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2014, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_state"].queryset = HomeState.objects.for_user(user, "view").order_by(
            "code"
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class OfficialsField(forms.CharField):
    """One official a line: "name; role; organisation" (role and organisation optional)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("help_text", _("One person a line: name; role; organisation."))
        super().__init__(**kwargs)

    def to_python(self, value):
        people = []
        for line in _lines(super().to_python(value)):
            parts = [part.strip() for part in line.split(";")]
            if len(parts) > 3 or not parts[0]:
                raise forms.ValidationError(_("Write each person as: name; role; organisation."))
            parts += [""] * (3 - len(parts))
            people.append({"name": parts[0], "role": parts[1], "organisation": parts[2]})
        return people

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                "; ".join(
                    p
                    for p in (o.get("name", ""), o.get("role", ""), o.get("organisation", ""))
                    if p
                )
                for o in value
            )
        return value


class OperationForm(HomewardForm):
    """Propose an operation: the home state, the date and what is known of the flight."""

    home_state = forms.ModelChoiceField(
        label=_("Home state"), queryset=HomeState.objects.none(), to_field_name="code"
    )
    planned_date = forms.DateField(
        label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    carrier = forms.CharField(label=_("Carrier"), required=False, max_length=200)
    carrier_kind = forms.ChoiceField(
        label=_("Kind of carrier"), required=False, choices=[("", "—"), *CarrierKind.choices]
    )
    aircraft = forms.CharField(label=_("Aircraft"), required=False, max_length=100)
    route = forms.CharField(label=_("Route"), required=False, max_length=200)
    handover_location = forms.CharField(
        label=_("Handover location"), required=False, max_length=200
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_state"].queryset = HomeState.objects.for_user(user, "view").order_by(
            "code"
        )


class OperationEditForm(OperationForm):
    """The details of an operation, the fee included; the home state does not change."""

    fee_per_child = forms.DecimalField(
        label=_("Fee per child"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    fee_currency = forms.CharField(
        label=_("Fee currency"), required=False, max_length=3, help_text=_("e.g. USD, IQD")
    )

    field_order = [
        "planned_date", "carrier", "carrier_kind", "aircraft", "route", "handover_location",
        "fee_per_child", "fee_currency", "notes",
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["home_state"]

    def clean_fee_currency(self):
        return self.cleaned_data["fee_currency"].upper()


class MemberForm(HomewardForm):
    """One member of the escort team, the host side or the observers; a blank row is skipped."""

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    side = forms.ChoiceField(label=_("Side"), choices=MemberSide.choices)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)

    def has_changed(self):
        # a row with no name is an empty row, whatever its (pre-selected) role and side
        return bool(self.data.get(self.add_prefix("name"), "").strip())


MemberFormSet = forms.formset_factory(MemberForm, extra=2, can_delete=True)


class EntryConfirmForm(HomewardForm):
    """The home state confirmed this person: medical needs and the escort who travels with them."""

    medical_needs = forms.CharField(
        label=_("Medical needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    escort = forms.ModelChoiceField(
        label=_("Escort"), required=False, queryset=None, empty_label=_("No one assigned")
    )

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = operation.members.order_by("side", "role", "name")


class PostponeForm(HomewardForm):
    new_date = forms.DateField(
        label=_("New date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when no new date is agreed yet: the operation is postponed."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(HomewardForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(HomewardForm):
    """A step that needs no input beyond the click (and the version the viewer saw)."""


class RemoveEntryForm(HomewardForm):
    reason = forms.CharField(
        label=_("Reason for removing"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the manifest is frozen."),
    )


class EntryHandoverForm(HomewardForm):
    """One child at the handover: boarded, with the checks made, or not boarded and why."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("boarded", _("Boarded")), ("not_boarded", _("Not boarded"))],
        widget=forms.RadioSelect,
    )
    identity_checked_by = forms.CharField(
        label=_("Identity checked by (name and role)"), required=False, max_length=200
    )
    identity_method = forms.ChoiceField(
        label=_("Identity checked by means of"),
        required=False,
        choices=[("", "—"), *IdentityMethod.choices],
    )
    documents_handed = forms.CharField(
        label=_("Documents handed over"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One document a line."),
    )
    medical_summary_handed = forms.BooleanField(
        label=_("Medical summary handed over"), required=False
    )
    belongings = forms.CharField(
        label=_("Belongings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    receiving_official = forms.CharField(
        label=_("Receiving official"), required=False, max_length=200
    )
    boarded_at = forms.DateTimeField(
        label=_("Boarded at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    not_boarded_reason = forms.ChoiceField(
        label=_("Reason not boarded"),
        required=False,
        choices=[("", "—"), *NotBoardedReason.choices],
    )
    not_boarded_note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_documents_handed(self):
        return _lines(self.cleaned_data.get("documents_handed", ""))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "boarded":
            if not (data.get("identity_checked_by") or "").strip():
                self.add_error("identity_checked_by", _("Say who checked the child's identity."))
            if not data.get("identity_method"):
                self.add_error("identity_method", _("Say how the identity was checked."))
        elif data.get("outcome") == "not_boarded" and not data.get("not_boarded_reason"):
            self.add_error("not_boarded_reason", _("Choose why the child did not board."))
        return data


class HandoverForm(HomewardForm):
    """The operation's handover: when, where, who handed over, who received, who witnessed."""

    handed_over_at = forms.DateTimeField(
        label=_("Handed over at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("Place"), max_length=200)
    host_officials = OfficialsField(label=_("Handing officials (Iraq)"))
    receiving_officials = OfficialsField(label=_("Receiving officials"))
    witnesses = OfficialsField(label=_("Witnesses"))
    attested = forms.BooleanField(
        label=_("I attest that the officials present signed the handover on paper."),
    )


class ReconcileForm(HomewardForm):
    explanation = forms.CharField(
        label=_("Explanation of the difference between planned and actual"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ArrivalForm(HomewardForm):
    """The home state confirms the child arrived and where they went first."""

    arrived_on = forms.DateField(
        label=_("Arrived on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    placement = forms.ChoiceField(label=_("First placement"), choices=Placement.choices)
    placement_detail = forms.CharField(
        label=_("Placement detail"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_every_months = forms.IntegerField(
        label=_("Follow-up report every (months)"), required=False, min_value=1, max_value=24
    )
    follow_up_until = forms.DateField(
        label=_("Follow-up until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FollowUpReceiveForm(HomewardForm):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reporting_body = forms.CharField(label=_("Reporting body"), max_length=200)
    placement_status = forms.ChoiceField(
        label=_("Placement"), required=False, choices=[("", "—"), *Placement.choices]
    )
    schooling = forms.CharField(
        label=_("Schooling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    health_summary = forms.CharField(
        label=_("Health"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    concerns = forms.CharField(
        label=_("Concerns"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
