"""Audit event codes of the judicial cooperation app."""

from django.utils.translation import gettext_lazy as _

REQUEST_RECORDED = "judicial.evidence_request.recorded"
REQUEST_FORWARDED = "judicial.evidence_request.forwarded"
REQUEST_DECIDED = "judicial.evidence_request.decided"
REQUEST_VIEWED = "judicial.evidence_request.viewed"
REQUESTS_LISTED = "judicial.evidence_request.listed"
TRANSMISSION_RECORDED = "judicial.transmission.recorded"
TRANSMISSION_APPROVED = "judicial.transmission.approved"
TRANSMISSION_REFUSED = "judicial.transmission.refused"

LABELS = {
    REQUEST_RECORDED: _("Request for evidence recorded"),
    REQUEST_FORWARDED: _("Request for evidence forwarded"),
    REQUEST_DECIDED: _("Request for evidence decided"),
    REQUEST_VIEWED: _("Request for evidence opened"),
    REQUESTS_LISTED: _("Requests for evidence listed"),
    TRANSMISSION_RECORDED: _("Documents prepared for sending"),
    TRANSMISSION_APPROVED: _("Sending of documents approved"),
    TRANSMISSION_REFUSED: _("Sending of documents refused"),
}

READ_EVENTS = frozenset({REQUEST_VIEWED, REQUESTS_LISTED})
