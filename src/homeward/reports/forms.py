"""The dashboard's filters and the public figures' options, validated field by field."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.models import HomeState
from homeward.reports.queries import ReportFilters

__all__ = ["DashboardFilterForm", "PublicOptionsForm", "default_threshold"]


def default_threshold() -> int:
    return int(getattr(settings, "HOMEWARD_PUBLIC_MIN_CELL", 5))


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput({"type": "date"})
    )
    home_state = forms.ModelMultipleChoiceField(
        label=_("Home states"), queryset=HomeState.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # only the states the viewer may see: a consul's menu names no other state
        self.fields["home_state"].queryset = (
            HomeState.objects.for_user(user, "view").filter(cases__isnull=False).distinct()
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            home_states=tuple(state.code for state in data.get("home_state") or ()),
        )


class PublicOptionsForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput({"type": "date"})
    )
    threshold = forms.IntegerField(
        label=_("Smallest count shown"), required=False, min_value=2, max_value=100
    )

    def clean_as_of(self):
        value = self.cleaned_data.get("as_of")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def options(self) -> tuple[datetime.date, int]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("as_of") or timezone.localdate(),
            data.get("threshold") or default_threshold(),
        )
