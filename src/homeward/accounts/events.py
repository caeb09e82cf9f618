"""Audit event codes of the accounts app."""

USER_LOGGED_IN = "accounts.user.logged_in"
USER_LOGGED_OUT = "accounts.user.logged_out"
LOGIN_FAILED = "accounts.user.login_failed"
API_TOKEN_CREATED = "accounts.api_token.created"
ACCESS_DENIED = "accounts.access.denied"
