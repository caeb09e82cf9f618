"""Audit event codes of the matching app (app.model.past_tense_verb)."""

from django.utils.translation import gettext_lazy as _

CANDIDATES_LISTED = "matching.candidate.listed"
REGISTRY_LINKED = "matching.registry.linked"
DUPLICATES_PROPOSED = "matching.duplicate.proposed"
DUPLICATE_CONFIRMED = "matching.duplicate.confirmed"
DUPLICATE_REJECTED = "matching.duplicate.rejected"
DUPLICATES_LISTED = "matching.duplicate.listed"
DUPLICATE_VIEWED = "matching.duplicate.viewed"
PEOPLE_MERGED = "matching.person.merged"
PEOPLE_UNMERGED = "matching.person.unmerged"
TRACING_FILED = "matching.tracingrequest.filed"
TRACING_UPDATED = "matching.tracingrequest.updated"
TRACING_REFRESHED = "matching.tracingrequest.refreshed"
TRACING_CLOSED = "matching.tracingrequest.closed"
TRACING_LISTED = "matching.tracingrequest.listed"
TRACING_VIEWED = "matching.tracingrequest.viewed"
TRACING_MATCH_CONFIRMED = "matching.tracingmatch.confirmed"
TRACING_MATCH_REJECTED = "matching.tracingmatch.rejected"
TRACING_MATCHES_PROPOSED = "matching.tracingmatch.proposed"
TRACING_MATCHES_LISTED = "matching.tracingmatch.listed"
TRACING_MATCH_VIEWED = "matching.tracingmatch.viewed"
MERGES_LISTED = "matching.mergerecord.listed"
MERGE_VIEWED = "matching.mergerecord.viewed"

# What the timeline and the access history call each event.
LABELS = {
    CANDIDATES_LISTED: _("Possible matches listed"),
    REGISTRY_LINKED: _("Linked to a registry record"),
    DUPLICATES_PROPOSED: _("Possible duplicates proposed"),
    DUPLICATE_CONFIRMED: _("Duplicate confirmed"),
    DUPLICATE_REJECTED: _("Duplicate rejected"),
    DUPLICATES_LISTED: _("Possible duplicates listed"),
    DUPLICATE_VIEWED: _("Possible duplicate compared"),
    PEOPLE_MERGED: _("Records merged"),
    PEOPLE_UNMERGED: _("Merge undone"),
    TRACING_FILED: _("Tracing request filed"),
    TRACING_UPDATED: _("Tracing request edited"),
    TRACING_REFRESHED: _("Tracing candidates refreshed"),
    TRACING_CLOSED: _("Tracing request closed"),
    TRACING_LISTED: _("Tracing requests listed"),
    TRACING_VIEWED: _("Tracing request viewed"),
    TRACING_MATCH_CONFIRMED: _("Tracing match confirmed"),
    TRACING_MATCH_REJECTED: _("Tracing match rejected"),
    TRACING_MATCHES_PROPOSED: _("Tracing matches proposed for a new registration"),
    TRACING_MATCHES_LISTED: _("Tracing candidates listed"),
    TRACING_MATCH_VIEWED: _("Tracing candidate viewed"),
    MERGES_LISTED: _("Merges listed"),
    MERGE_VIEWED: _("Merge viewed"),
}
