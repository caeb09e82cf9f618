"""Audit event codes of the matching app (app.model.past_tense_verb)."""

from django.utils.translation import gettext_lazy as _

CANDIDATES_LISTED = "matching.candidate.listed"
REGISTRY_LINKED = "matching.registry.linked"

# What the timeline and the access history call each event.
LABELS = {
    CANDIDATES_LISTED: _("Possible matches listed"),
    REGISTRY_LINKED: _("Linked to a registry record"),
}
