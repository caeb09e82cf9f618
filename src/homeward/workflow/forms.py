"""Forms of the workflow pages: one per kind of transition, plus closure.

They validate input only; the views pass `service_kwargs()` to the transition service, which
checks capability, scope, version, state and gate itself. Every transition form carries the
case's `version` in a hidden field, so a second officer's stale submission is refused.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm
from homeward.workflow.choices import ClosureReason
from homeward.workflow.queries import siblings_to_approve

__all__ = [
    "ApproveForm",
    "CaseActionForm",
    "ClosureDecisionForm",
    "ClosureRequestForm",
    "IraqiReferralForm",
    "ReasonForm",
    "TransitionForm",
    "lines",
]


def lines(text: str) -> list[str]:
    """One entry per non-empty line (witnesses, panel members, charges)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CaseActionForm(HomewardForm):
    """A form about one case, seen by one user. `service_kwargs()` is what the service gets."""

    # Set when there is nothing to act on (no open request, no claim): the page says so.
    unavailable = ""

    def __init__(self, data=None, *, case, user, initial=None, **kwargs):
        self.case, self.user = case, user
        super().__init__(data, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class TransitionForm(CaseActionForm):
    """A transition with nothing to add: the version the user saw, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, case, user, **kwargs):
        super().__init__(data, case=case, user=user, initial={"version": case.version}, **kwargs)

    def service_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["expected_version"] = kwargs.pop("version")
        return kwargs


class ApproveForm(TransitionForm):
    decision_reference = forms.CharField(
        label=_("Judicial decision number"),
        max_length=80,
        help_text=_("The number of the judge's decision that authorises the handover."),
    )


class GroupApproveForm(CaseActionForm):
    """T9 for siblings: one judicial decision approves every child still travelling together.

    `versions` carries the version of each sibling's case as the judge saw it, so a change to
    any of them since the page was shown refuses the whole approval.
    """

    decision_reference = forms.CharField(label=_("Judicial decision number"), max_length=80)
    versions = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, case, user, **kwargs):
        self.members = siblings_to_approve(case, user)
        seen = ",".join(f"{member.pk}:{member.version}" for member in self.members)
        super().__init__(data, case=case, user=user, initial={"versions": seen}, **kwargs)
        if len(self.members) < 2:
            self.unavailable = _("This child is not in a sibling group waiting for approval.")
        else:
            self.fields["decision_reference"].help_text = _(
                "This decision approves together: %(references)s."
            ) % {"references": ", ".join(member.reference for member in self.members)}

    def clean_versions(self) -> dict:
        try:
            pairs = [item.split(":") for item in self.cleaned_data["versions"].split(",")]
            return {pk: int(version) for pk, version in pairs}
        except ValueError:
            raise forms.ValidationError(_("The page is out of date; open it again.")) from None

    def service_kwargs(self) -> dict:
        versions = {str(pk): version for pk, version in self.cleaned_data["versions"].items()}
        return {
            "expected_versions": {m.pk: versions.get(str(m.pk), -1) for m in self.members},
            "decision_reference": self.cleaned_data["decision_reference"],
        }


class ReasonForm(TransitionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(TransitionForm):
    reason = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IraqiReferralForm(ReasonForm):
    foundling = forms.BooleanField(label=_("The child is a foundling"), required=False)


class ClosureRequestForm(TransitionForm):
    reason = forms.ChoiceField(label=_("Closure reason"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClosureDecisionForm(CaseActionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Close the case")), ("reject", _("Keep the case open"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
