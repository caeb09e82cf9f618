"""The upload and withdrawal forms. They check what a form can; the service checks again.

The form refuses what it can see without reading the file (a missing or oversized file, a
kind the user may not attach); the content checks (type by bytes, empty, duplicate) are the
service's, and come back onto the `file` field through `apply_service_error`.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from homeward.attachments.choices import AttachmentKind
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import addable_kinds
from homeward.core.forms import HomewardForm
from homeward.people.choices import LANGUAGES

__all__ = ["ACCEPT", "AttachmentForm", "WithdrawForm"]

ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff"


class AttachmentForm(HomewardForm):
    """File, kind, title, language, and whether the document is highly sensitive."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    kind = forms.ChoiceField(label=_("Kind of document"), choices=())
    title = forms.CharField(
        label=_("Title"),
        max_length=Attachment._meta.get_field("title").max_length,
        help_text=_("What the document is, e.g. “Juvenile court decision 112/2024”."),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"), choices=[("", "—"), *LANGUAGES], required=False
    )
    sensitive = forms.BooleanField(
        label=_("Highly sensitive (criminal, security or health content)"),
        required=False,
        help_text=_("DNA reports, medical records and photos are always highly sensitive."),
    )

    def __init__(self, *args, user, oversized=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(addable_kinds(user))
        self.fields["kind"].choices = [
            ("", "—"),
            *[(value, label) for value, label in AttachmentKind.choices if value in allowed],
        ]
        limit = filesizeformat(settings.HOMEWARD_ATTACHMENT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG or TIFF, up to %(limit)s. The type is checked from the content."
        ) % {"limit": limit}
        self.oversized = "file" in oversized
        if self.oversized:
            self.fields["file"].required = False  # it was dropped on arrival; say why below

    def clean_file(self):
        if self.oversized:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.HOMEWARD_ATTACHMENT_MAX_BYTES)},
                code="too_large",
            )
        return self.cleaned_data["file"]


class WithdrawForm(HomewardForm):
    reason = forms.CharField(
        label=_("Why is the document withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For example: attached to the wrong child; replaced by a certified copy."),
    )
