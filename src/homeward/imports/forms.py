"""Forms of the import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardForm
from homeward.imports.choices import DateOrder, Encoding
from homeward.imports.kinds import importable_kinds

ENCODING_CHOICES = [("", _("Detect")), *[(e.value, e.label) for e in Encoding if e != "xlsx"]]
DATE_ORDER_CHOICES = [("", _("Detect")), *DateOrder.choices]


class UploadForm(HomewardForm):
    kind = forms.ChoiceField(label=_("Kind of data"))
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"), choices=ENCODING_CHOICES, required=False
    )
    date_order = forms.ChoiceField(
        label=_("Day/month order"), choices=DATE_ORDER_CHOICES, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in importable_kinds(user)]


class OptionsForm(HomewardForm):
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"), choices=ENCODING_CHOICES, required=False
    )
    date_order = forms.ChoiceField(
        label=_("Day/month order"), choices=DATE_ORDER_CHOICES, required=False
    )
