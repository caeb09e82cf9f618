"""Audit event codes of the cases app."""

CASE_OPENED = "cases.case.opened"
CASE_HOME_STATE_CHANGED = "cases.case.home_state_changed"
CASE_VIEWED = "cases.case.viewed"
CASES_LISTED = "cases.case.listed"
DASHBOARD_VIEWED = "cases.dashboard.viewed"
CASE_STATUS_RECORDED = "cases.case.status_recorded"
FAMILY_GROUP_CREATED = "cases.family_group.created"
