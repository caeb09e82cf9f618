"""Ending a child's custody in Iraq: the handover to the home state, or another exit.

This module will move into the operations app when operations, manifests and handover
records exist; until then `end_custody` is the one write that closes a child's open custody
episode without opening another (record_custody_move always opens the next placement).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record_event
from homeward.people.events import CUSTODY_ENDED
from homeward.people.models import CustodyEpisode, Person

__all__ = ["CUSTODY_ENDED", "end_custody"]

REASON_LIMIT = 300


@transaction.atomic(durable=True)
def end_custody(child: Person, *, actor, ended_on: datetime.date, reason: str) -> CustodyEpisode:
    """Close the child's open custody episode on `ended_on`, for `reason`.

    The episode keeps its own start reason; why custody ended is recorded in the audit
    event. Refused when the child has no open episode, when the date is in the future or
    before the episode began, and when no reason is given.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why custody ends (handover, transfer, release…).")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    Person.objects.select_for_update().filter(pk=child.pk).first()  # one mover at a time
    episode = CustodyEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    if episode is None:
        raise ValidationError({"ended_on": _("This child has no open custody episode to end.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Custody cannot end in the future.")})
    episode.ended_on = ended_on
    episode.full_clean()
    episode.save(update_fields=["ended_on"])
    record_event(
        CUSTODY_ENDED,
        actor=actor,
        target=episode,
        data={"facility": episode.facility_id, "ended_on": ended_on, "reason": reason},
    )
    return episode
