"""Audit receiver for django-axes' lock signal (see settings: the lockout block)."""

from axes.signals import user_locked_out
from django.dispatch import receiver

from homeward.accounts import events
from homeward.audit.services import record_event


@receiver(user_locked_out, dispatch_uid="homeward_audit_login_locked")
def audit_login_locked(sender, request, username, ip_address, **kwargs):
    # Axes also signals each attempt refused while the lock holds; those are already in the
    # trail as failed sign-ins, so only the moment the lock begins (a counted failure) is kept.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    attempted = str(username or "")[:150]
    record_event(
        events.LOGIN_LOCKED,
        actor=None,
        actor_username=attempted,
        data={"username": attempted, "failures": failures},
    )
