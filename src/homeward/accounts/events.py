"""Audit event codes of the accounts app."""

from django.utils.translation import gettext_lazy as _

USER_LOGGED_IN = "accounts.user.logged_in"
USER_LOGGED_OUT = "accounts.user.logged_out"
LOGIN_FAILED = "accounts.user.login_failed"
API_TOKEN_CREATED = "accounts.api_token.created"  # noqa: S105 (an event code, not a secret)
ACCESS_DENIED = "accounts.access.denied"
RATE_LIMITED = "accounts.access.rate_limited"

# What the timeline and the access history call each event.
LABELS = {
    USER_LOGGED_IN: _("Signed in"),
    USER_LOGGED_OUT: _("Signed out"),
    LOGIN_FAILED: _("Sign-in failed"),
    API_TOKEN_CREATED: _("API token created"),
    ACCESS_DENIED: _("Access refused"),
    RATE_LIMITED: _("Searches refused: too many in a minute"),
}
