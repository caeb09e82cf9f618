"""Audit event codes of the audit app itself: reading the trail over the API."""

from django.utils.translation import gettext_lazy as _

EVENTS_LISTED = "audit.events.listed"

READ_EVENTS = frozenset({EVENTS_LISTED})

LABELS = {EVENTS_LISTED: _("Audit trail listed")}
