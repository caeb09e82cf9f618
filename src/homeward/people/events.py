"""Audit event codes of the people app (app.model.past_tense_verb)."""

from django.utils.translation import gettext_lazy as _

CHILD_REGISTERED = "people.child.registered"
ADULT_REGISTERED = "people.adult.registered"
PERSON_UPDATED = "people.person.updated"
PERSON_VIEWED = "people.person.viewed"
PEOPLE_LISTED = "people.person.listed"
NAME_ADDED = "people.name.added"
RELATIONSHIP_LINKED = "people.relationship.linked"
CUSTODY_MOVED = "people.custody.moved"
CUSTODY_ENDED = "people.custody.ended"
ACCESS_HISTORY_VIEWED = "people.access_history.viewed"
NATIONALITY_RECORDED = "people.person.nationality_recorded"
NAME_REVEALED = "people.person.name_revealed"

# What the timeline and the access history call each event.
LABELS = {
    CHILD_REGISTERED: _("Child registered"),
    ADULT_REGISTERED: _("Adult registered"),
    PERSON_UPDATED: _("Details changed"),
    PERSON_VIEWED: _("Record opened"),
    PEOPLE_LISTED: _("Shown in a list"),
    NAME_ADDED: _("Name added"),
    RELATIONSHIP_LINKED: _("Relative linked"),
    CUSTODY_MOVED: _("Custody move recorded"),
    CUSTODY_ENDED: _("Custody in Iraq ended"),
    ACCESS_HISTORY_VIEWED: _("Access history opened"),
    NATIONALITY_RECORDED: _("Nationality recorded"),
    NAME_REVEALED: _("Full name revealed in a list"),
}
