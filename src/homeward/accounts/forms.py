"""Sign-in forms: the password, the second factor, the code of conduct."""

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import HomewardAuthenticationForm, HomewardForm

__all__ = ["ConductForm", "SignInForm", "TokenForm"]

# One message for every refusal (unknown user, wrong password, inactive account, locked
# out), so the page never tells which usernames exist or which are locked.
SIGN_IN_REFUSED = _(
    "Sign-in failed. Check your username and password. After repeated failures, "
    "sign-in pauses for 15 minutes."
)


class SignInForm(HomewardAuthenticationForm):
    error_messages = {"invalid_login": SIGN_IN_REFUSED, "inactive": SIGN_IN_REFUSED}


class TokenForm(HomewardForm):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ConductForm(HomewardForm):
    accept = forms.BooleanField(
        label=_("I have read the code of conduct and I accept it."), required=True
    )
