from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm


class PlaceHoldForm(HomewardForm):
    reason = forms.CharField(
        label=_("Reason for the hold"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Court proceedings, an inquiry, a family's request… Kept with the hold."),
    )


class ReleaseHoldForm(HomewardForm):
    release_reason = forms.CharField(
        label=_("Reason for the release"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
