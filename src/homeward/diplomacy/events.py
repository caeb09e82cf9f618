"""Audit event codes of the diplomacy app."""

from django.utils.translation import gettext_lazy as _

PROFILE_SAVED = "diplomacy.profile.saved"
PROFILE_VIEWED = "diplomacy.profile.viewed"
FOCAL_POINT_ADDED = "diplomacy.focal_point.added"
ENGAGEMENT_RECORDED = "diplomacy.engagement.recorded"
REPLY_RECORDED = "diplomacy.engagement.reply_recorded"
ENGAGEMENT_VIEWED = "diplomacy.engagement.viewed"
ENGAGEMENTS_LISTED = "diplomacy.engagement.listed"
ACTION_ITEM_ADDED = "diplomacy.action_item.added"
ACTION_ITEM_CLOSED = "diplomacy.action_item.closed"
ACTION_ITEM_VIEWED = "diplomacy.action_item.viewed"
ACTION_ITEMS_LISTED = "diplomacy.action_item.listed"
PROFILES_LISTED = "diplomacy.profile.listed"
PROFILES_DOWNLOADED = "diplomacy.profile.downloaded"
MEETING_PACK_PRINTED = "diplomacy.meeting_pack.printed"
FOCAL_POINT_CHANGED = "diplomacy.focal_point.changed"
FOCAL_POINT_REMOVED = "diplomacy.focal_point.removed"

# What the timeline and the access history call each event.
LABELS = {
    PROFILE_SAVED: _("Home-state profile saved"),
    PROFILE_VIEWED: _("Home-state profile opened"),
    PROFILES_LISTED: _("Home-state profiles listed"),
    PROFILES_DOWNLOADED: _("Home-states list downloaded"),
    FOCAL_POINT_ADDED: _("Focal point added"),
    ENGAGEMENT_RECORDED: _("Engagement recorded"),
    REPLY_RECORDED: _("Reply to a note verbale recorded"),
    ENGAGEMENT_VIEWED: _("Engagement opened"),
    ENGAGEMENTS_LISTED: _("Engagements listed"),
    ACTION_ITEM_ADDED: _("Action item added"),
    ACTION_ITEM_CLOSED: _("Action item closed"),
    ACTION_ITEM_VIEWED: _("Action item opened"),
    ACTION_ITEMS_LISTED: _("Action items listed"),
    MEETING_PACK_PRINTED: _("Meeting pack printed"),
    FOCAL_POINT_CHANGED: _("Focal point changed"),
    FOCAL_POINT_REMOVED: _("Focal point removed"),
}
