"""`{% desk_action_items %}`: the open action items owed by the viewer, on the desk.

An inclusion tag keeps the workflow desk view untouched: the desk template includes the
section, and the diplomacy app alone decides what goes in it.
"""

from django import template
from django.utils import timezone

from homeward.accounts import capabilities as cap
from homeward.diplomacy.queries import open_action_items_for

register = template.Library()


@register.inclusion_tag("diplomacy/_desk_action_items.html", takes_context=True)
def desk_action_items(context) -> dict:
    user = context["request"].user
    if not user.has_capability(cap.VIEW_ACTION_ITEM):
        return {"action_items": []}
    today = timezone.localdate()
    return {
        "action_items": [(item, item.is_overdue(today)) for item in open_action_items_for(user)]
    }
