"""Audit receivers for Django's authentication signals (a record, not workflow).

django-axes' lock signal is received in accounts.lockout, connected after these so that a
failed sign-in is recorded before the lock it causes.
"""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from homeward.accounts import events
from homeward.accounts.middleware import AUTH_AT, LAST_SEEN
from homeward.audit.services import record_event


@receiver(user_logged_in, dispatch_uid="homeward_audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The clocks of SessionLifetimeMiddleware start at the password step.
        now = time.time()
        request.session[AUTH_AT] = now
        request.session[LAST_SEEN] = now
    record_event(events.USER_LOGGED_IN, actor=user)


@receiver(user_logged_out, dispatch_uid="homeward_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(events.USER_LOGGED_OUT, actor=user)


@receiver(user_login_failed, dispatch_uid="homeward_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username tried is kept; Django has already masked the password.
    attempted = str(credentials.get("username", ""))[:150]
    record_event(
        events.LOGIN_FAILED, actor=None, actor_username=attempted, data={"username": attempted}
    )
