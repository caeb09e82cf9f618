"""Form helpers shared by every app's pages: Bootstrap rendering and service-error mapping.

Pages validate with Django forms and write through services; these helpers make the forms
render accessibly (classes, `is-invalid`; Django adds `aria-invalid`/`aria-describedby`)
and put an error a service raised next to the field it concerns.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.widgets import DateTimeBaseInput

from homeward.core.exceptions import OutOfScopeError, StaleEditError

__all__ = [
    "HomewardAuthenticationForm",
    "HomewardBoundField",
    "HomewardForm",
    "HomewardModelForm",
    "apply_service_error",
]


def _widget_css_class(widget) -> str:
    if widget.is_hidden:
        return ""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


def _takes_free_text(widget) -> bool:
    if isinstance(widget, forms.Textarea):
        return True
    return (
        isinstance(widget, forms.TextInput)
        and not isinstance(widget, DateTimeBaseInput)
        and widget.input_type in ("text", "search")
    )


class HomewardBoundField(BoundField):
    """Adds Bootstrap's classes (and `is-invalid`) to a widget when it is rendered.

    Django 5.2 already sets `aria-invalid` and points `aria-describedby` at
    `<id>_helptext` and `<id>_error`; templates/partials/field.html renders those ids.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _widget_css_class(widget)
        if _takes_free_text(widget):
            attrs.setdefault("dir", "auto")  # Arabic, Cyrillic or Latin: each in its own direction
        if css:
            if self.errors:
                css += " is-invalid"
            existing = [attrs.get("class"), widget.attrs.get("class")]
            attrs["class"] = " ".join(part for part in [*existing, css] if part)
        return attrs


class HomewardForm(forms.Form):
    bound_field_class = HomewardBoundField


class HomewardModelForm(forms.ModelForm):
    """A ModelForm used only for validation: its `save()` must never be called."""

    bound_field_class = HomewardBoundField

    def save(self, commit=True):
        raise NotImplementedError("Pages write through people.services, never ModelForm.save().")


def apply_service_error(form, exc: Exception, field_map: dict[str, str] | None = None) -> None:
    """Put an error a service raised back on `form`, next to the field it names when it can."""
    if isinstance(exc, StaleEditError | OutOfScopeError):
        form.add_error(None, str(exc.message))
        return
    if not isinstance(exc, ValidationError):
        raise TypeError(f"not a service error: {exc!r}")
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    field_map = field_map or {}
    for key, messages in exc.message_dict.items():
        field = field_map.get(key, key)
        form.add_error(
            field if field in form.fields and field != NON_FIELD_ERRORS else None, messages
        )


class HomewardAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, rendered like every other form."""

    bound_field_class = HomewardBoundField
