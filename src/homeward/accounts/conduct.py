"""The code of conduct every user accepts after the second factor, once per version."""

from django.db import transaction

from homeward.accounts import events
from homeward.accounts.models import ConductAcceptance
from homeward.audit.services import record_event

__all__ = ["CURRENT_VERSION", "SESSION_KEY", "accept", "has_accepted"]

# Raise the version when the text in templates/accounts/conduct.html changes: everyone
# accepts the new text at their next sign-in.
CURRENT_VERSION = "2026-1"
SESSION_KEY = "homeward_conduct_version"


def has_accepted(request) -> bool:
    """Whether the signed-in user accepted the current version (remembered in the session)."""
    if request.session.get(SESSION_KEY) == CURRENT_VERSION:
        return True
    accepted = ConductAcceptance.objects.filter(user=request.user, version=CURRENT_VERSION).exists()
    if accepted:
        request.session[SESSION_KEY] = CURRENT_VERSION
    return accepted


@transaction.atomic
def accept(request) -> ConductAcceptance:
    acceptance, created = ConductAcceptance.objects.get_or_create(
        user=request.user, version=CURRENT_VERSION
    )
    if created:
        record_event(events.CONDUCT_ACCEPTED, actor=request.user, data={"version": CURRENT_VERSION})
    request.session[SESSION_KEY] = CURRENT_VERSION
    return acceptance
