"""Audit event codes of the accounts app."""

from django.utils.translation import gettext_lazy as _

USER_LOGGED_IN = "accounts.user.logged_in"
USER_LOGGED_OUT = "accounts.user.logged_out"
LOGIN_FAILED = "accounts.user.login_failed"
API_TOKEN_CREATED = "accounts.api_token.created"  # noqa: S105 (an event code, not a secret)
ACCESS_DENIED = "accounts.access.denied"
LOGIN_LOCKED = "accounts.user.login_locked"
MFA_ENROLLED = "accounts.mfa.enrolled"
MFA_VERIFIED = "accounts.mfa.verified"
MFA_FAILED = "accounts.mfa.failed"
SESSION_EXPIRED = "accounts.session.expired"
CONDUCT_ACCEPTED = "accounts.conduct.accepted"
API_TOKEN_REVOKED = "accounts.api_token.revoked"  # noqa: S105 (an event code, not a secret)
RATE_LIMITED = "accounts.access.rate_limited"

# What the timeline and the access history call each event.
LABELS = {
    USER_LOGGED_IN: _("Signed in"),
    USER_LOGGED_OUT: _("Signed out"),
    LOGIN_FAILED: _("Sign-in failed"),
    API_TOKEN_CREATED: _("API token created"),
    ACCESS_DENIED: _("Access refused"),
    LOGIN_LOCKED: _("Sign-in locked after repeated failures"),
    MFA_ENROLLED: _("Authenticator app enrolled"),
    MFA_VERIFIED: _("Second factor verified"),
    MFA_FAILED: _("Second factor refused"),
    SESSION_EXPIRED: _("Session expired"),
    CONDUCT_ACCEPTED: _("Code of conduct accepted"),
    API_TOKEN_REVOKED: _("API token revoked"),
    RATE_LIMITED: _("Searches refused: too many in a minute"),
}

# WebAuthn for privileged users (issue 8).
WEBAUTHN_ENROLLED = "accounts.webauthn.enrolled"
WEBAUTHN_VERIFIED = "accounts.webauthn.verified"
WEBAUTHN_FAILED = "accounts.webauthn.failed"
LABELS.update(
    {
        WEBAUTHN_ENROLLED: _("Security key enrolled"),
        WEBAUTHN_VERIFIED: _("Security key verified"),
        WEBAUTHN_FAILED: _("Security key refused"),
    }
)
