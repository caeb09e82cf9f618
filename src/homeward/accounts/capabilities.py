"""Every capability a role can grant, in one place.

Codes follow Django's "app_label.action_model" so that ScopedQuerySet.for_user can derive
the code from a model and an action. A role holding a code not listed here is refused
by Role.clean(), so a typo cannot silently grant nothing.
"""

from django.utils.translation import gettext_lazy as _

VIEW_PERSON = "people.view_person"
ADD_PERSON = "people.add_person"
CHANGE_PERSON = "people.change_person"
VIEW_FACILITY = "people.view_facility"
VIEW_CASE = "cases.view_case"
CHANGE_CASE = "cases.change_case"
VIEW_HOME_STATE = "core.view_homestate"
VIEW_AUDIT = "audit.view_auditevent"

CAPABILITIES: dict[str, str] = {
    VIEW_PERSON: _("See children and relatives, their names, family and custody"),
    ADD_PERSON: _("Register children and relatives"),
    CHANGE_PERSON: _("Edit records, link relatives, record custody moves"),
    VIEW_FACILITY: _("See facilities"),
    VIEW_CASE: _("See cases and their status"),
    CHANGE_CASE: _("Change a case's home state or owner"),
    VIEW_HOME_STATE: _("See home states"),
    VIEW_AUDIT: _("Read the audit trail and a record's access history"),
}

READ_REGISTRY = [VIEW_PERSON, VIEW_FACILITY, VIEW_CASE, VIEW_HOME_STATE]
EDIT_REGISTRY = [*READ_REGISTRY, ADD_PERSON, CHANGE_PERSON]
