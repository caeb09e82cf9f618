"""Audit event codes of the disclosure log."""

from django.utils.translation import gettext_lazy as _

DISCLOSURE_RECORDED = "disclosures.disclosure.recorded"
DISCLOSURE_VIEWED = "disclosures.disclosure.viewed"
DISCLOSURES_LISTED = "disclosures.disclosure.listed"
CASE_FILE_EXPORTED = "disclosures.case_file.exported"

LABELS = {
    DISCLOSURE_RECORDED: _("Disclosure to an outside body recorded"),
    DISCLOSURE_VIEWED: _("Disclosure record opened"),
    DISCLOSURES_LISTED: _("Disclosures listed"),
    CASE_FILE_EXPORTED: _("Case file exported as JSON"),
}
