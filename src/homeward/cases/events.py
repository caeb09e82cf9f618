"""Audit event codes of the cases app."""

from django.utils.translation import gettext_lazy as _

CASE_OPENED = "cases.case.opened"
CASE_HOME_STATE_CHANGED = "cases.case.home_state_changed"
CASE_VIEWED = "cases.case.viewed"
CASES_LISTED = "cases.case.listed"
DASHBOARD_VIEWED = "cases.dashboard.viewed"
CASE_STATUS_RECORDED = "cases.case.status_recorded"
FAMILY_GROUP_CREATED = "cases.family_group.created"

# What the timeline and the access history call each event.
LABELS = {
    CASE_OPENED: _("Case opened"),
    CASE_HOME_STATE_CHANGED: _("Home state changed"),
    CASE_VIEWED: _("Case opened for reading"),
    CASES_LISTED: _("Cases listed"),
    DASHBOARD_VIEWED: _("Dashboard viewed"),
    CASE_STATUS_RECORDED: _("Status recorded"),
    FAMILY_GROUP_CREATED: _("Family group created"),
}
