"""Audit event codes of the adults app."""

from django.utils.translation import gettext_lazy as _

ADULT_CASE_OPENED = "adults.adult_case.opened"
LEGAL_STATUS_RECORDED = "adults.adult_case.legal_status_recorded"
RETURN_STEP_RECORDED = "adults.adult_case.return_step_recorded"
ROUTE_HOME_CHOSEN = "adults.adult_case.route_chosen"
ADULT_CASE_VIEWED = "adults.adult_case.viewed"
ADULT_CASES_LISTED = "adults.adult_case.listed"
RELEASES_DUE_LISTED = "adults.release.listed"
JUVENILE_SENTENCE_COMPLETED = "adults.juvenile_sentence.completed"
CONSULAR_VISIT_RECORDED = "adults.consular_visit.recorded"
CONSULAR_VISIT_VIEWED = "adults.consular_visit.viewed"
CONSULAR_VISITS_LISTED = "adults.consular_visit.listed"

LABELS = {
    ADULT_CASE_OPENED: _("Adult case opened"),
    LEGAL_STATUS_RECORDED: _("Adult's legal status recorded"),
    RETURN_STEP_RECORDED: _("Step towards an adult's return recorded"),
    ROUTE_HOME_CHOSEN: _("Adult's route home chosen"),
    ADULT_CASE_VIEWED: _("Adult case opened for reading"),
    ADULT_CASES_LISTED: _("Adult cases listed"),
    RELEASES_DUE_LISTED: _("Releases due listed"),
    JUVENILE_SENTENCE_COMPLETED: _("Juvenile's sentence completed"),
    CONSULAR_VISIT_RECORDED: _("Consular visit recorded"),
    CONSULAR_VISIT_VIEWED: _("Consular visit opened"),
    CONSULAR_VISITS_LISTED: _("Consular visits listed"),
}

READ_EVENTS = frozenset(
    {
        ADULT_CASE_VIEWED,
        ADULT_CASES_LISTED,
        RELEASES_DUE_LISTED,
        CONSULAR_VISIT_VIEWED,
        CONSULAR_VISITS_LISTED,
    }
)
