"""Audit event codes of the disclosure log."""

from django.utils.translation import gettext_lazy as _

DISCLOSURE_RECORDED = "disclosures.disclosure.recorded"
DISCLOSURE_VIEWED = "disclosures.disclosure.viewed"
DISCLOSURES_LISTED = "disclosures.disclosure.listed"

LABELS = {
    DISCLOSURE_RECORDED: _("Disclosure to an outside body recorded"),
    DISCLOSURE_VIEWED: _("Disclosure record opened"),
    DISCLOSURES_LISTED: _("Disclosures listed"),
}
