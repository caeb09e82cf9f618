"""Write use cases of the diplomacy app: one durable transaction each, audit event inside.

Services check the actor's capability and scope themselves, so that a view, an API call
or a management command cannot write a Tajik engagement for a consul of Russia: a record
outside the actor's scope is reported as OutOfScopeError and nothing is written.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.scoping import home_state_scope
from homeward.diplomacy import events
from homeward.diplomacy.choices import ActionItemStatus, EngagementKind
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile

__all__ = [
    "add_action_item",
    "add_focal_point",
    "attach_document",
    "cancel_action_item",
    "change_focal_point",
    "complete_action_item",
    "record_engagement",
    "record_reply",
    "remove_focal_point",
    "save_profile",
]

PROFILE_FIELDS = ("stance", "has_embassy_in_baghdad", "channel", "fee_agreements", "notes")


def _require(actor, capability: str, home_state_code: str) -> None:
    """Refuse an actor without `capability`, or whose scope does not hold the home state."""
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied
    scope = home_state_scope(actor)
    if scope is not None and home_state_code not in scope:
        raise OutOfScopeError


def _check_cases(cases, home_state_code: str, field: str = "cases") -> list:
    """Linked cases must be of the engagement's home state (a note about Russians is not
    evidence of anything about a Tajik child)."""
    cases = list(cases or [])
    foreign = [case.reference for case in cases if case.home_state_id != home_state_code]
    if foreign:
        raise ValidationError(
            {
                field: _("These cases belong to another home state: %(refs)s")
                % {"refs": ", ".join(sorted(foreign))}
            }
        )
    return cases


@transaction.atomic(durable=True)
def save_profile(
    home_state, *, actor, expected_version: int | None = None, **fields
) -> HomeStateProfile:
    """Create or update a home state's profile; the audit event lists the fields changed.

    `expected_version` (the API's If-Match) refuses an update of a profile changed since:
    StaleEditError, nothing written.
    """
    _require(actor, "diplomacy.change_homestateprofile", home_state.code)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    profile = HomeStateProfile.objects.select_for_update().filter(
        home_state=home_state
    ).first() or HomeStateProfile(home_state=home_state)
    created = profile._state.adding
    if expected_version is not None and (created or profile.version != expected_version):
        raise StaleEditError()
    changed = sorted(key for key, value in fields.items() if getattr(profile, key) != value)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.full_clean()
    if not created:
        profile.version += 1
    profile.updated_at = timezone.now()
    profile.save()
    record_event(
        events.PROFILE_SAVED,
        actor=actor,
        target=profile,
        data={"created": created, "changed": changed},
    )
    return profile


@transaction.atomic(durable=True)
def add_focal_point(profile: HomeStateProfile, *, actor, **fields) -> FocalPoint:
    """Add a contact person to a profile. Their details are not copied to the audit trail."""
    _require(actor, "diplomacy.change_homestateprofile", profile.home_state_id)
    point = FocalPoint(profile=profile, **fields)
    point.full_clean()
    point.save()
    record_event(events.FOCAL_POINT_ADDED, actor=actor, target=point)
    return point


FOCAL_POINT_FIELDS = ("name", "role", "organisation", "phone", "email")


@transaction.atomic(durable=True)
def change_focal_point(point: FocalPoint, *, actor, **fields) -> FocalPoint:
    """Correct a contact person's details; the audit event names the fields, not the values."""
    _require(actor, "diplomacy.change_homestateprofile", point.profile_id)
    unknown = set(fields) - set(FOCAL_POINT_FIELDS)
    if unknown:
        raise TypeError(f"not focal point fields: {sorted(unknown)}")
    point = FocalPoint.objects.select_for_update().get(pk=point.pk)
    changed = sorted(key for key, value in fields.items() if getattr(point, key) != value)
    for key, value in fields.items():
        setattr(point, key, value)
    point.full_clean()
    point.save()
    record_event(events.FOCAL_POINT_CHANGED, actor=actor, target=point, data={"changed": changed})
    return point


@transaction.atomic(durable=True)
def remove_focal_point(point: FocalPoint, *, actor) -> None:
    """Remove a contact person who no longer serves (the audit keeps that one was removed)."""
    _require(actor, "diplomacy.change_homestateprofile", point.profile_id)
    record_event(events.FOCAL_POINT_REMOVED, actor=actor, target=point, data={"id": point.pk})
    point.delete()


def attach_document(engagement: Engagement, *, actor, person, upload, kind: str, title: str):
    """File a document (a note's scan, a travel document…) on an engagement.

    Documents belong to a person (homeward.attachments): the person must be the child of a
    case linked to the engagement, so a consul files only for its own nationals, and the
    document's scope follows the child. The attachments service checks the upload, stores
    it and writes the audit event in its own transaction.
    """
    from homeward.attachments.services import add_attachment

    if actor is None or not actor.has_capability(cap.RECORD_REPLY):
        raise PermissionDenied
    if not Engagement.objects.for_user(actor, "view").filter(pk=engagement.pk).exists():
        raise OutOfScopeError
    if not engagement.cases.filter(child_id=person.pk).exists():
        raise ValidationError(
            {"person": _("Choose a child whose case is linked to this engagement.")}
        )
    return add_attachment(
        person, actor=actor, upload=upload, kind=kind, title=title, document=engagement
    )


def _create_engagement(
    *, actor, home_state, kind, date, cases, in_reply_to=None, **fields
) -> Engagement:
    engagement = Engagement(
        home_state=home_state,
        kind=kind,
        date=date,
        in_reply_to=in_reply_to,
        created_by=actor,
        **fields,
    )
    engagement.full_clean()
    cases = _check_cases(cases, home_state.code)
    engagement.save(force_insert=True)
    engagement.cases.set(cases)
    return engagement


@transaction.atomic(durable=True)
def record_engagement(
    home_state,
    *,
    actor,
    kind: str,
    date: datetime.date,
    cases=(),
    reference: str = "",
    participants=(),
    agenda: str = "",
    outcome: str = "",
    decisions: str = "",
) -> Engagement:
    """Record a note verbale, meeting, visit or invitation with a home state.

    A note verbale received in answer to one sent is recorded with `record_reply`, which
    links the two; recorded here, a note received answers nothing.
    """
    _require(actor, "diplomacy.add_engagement", home_state.code)
    engagement = _create_engagement(
        actor=actor,
        home_state=home_state,
        kind=kind,
        date=date,
        cases=cases,
        reference=reference,
        participants=list(participants),
        agenda=agenda,
        outcome=outcome,
        decisions=decisions,
    )
    record_event(
        events.ENGAGEMENT_RECORDED,
        actor=actor,
        target=engagement,
        data={
            "kind": kind,
            "date": date,
            "reference": reference,
            "cases": sorted(case.reference for case in engagement.cases.all()),
        },
    )
    return engagement


@transaction.atomic(durable=True)
def record_reply(
    note_out: Engagement,
    *,
    actor,
    date: datetime.date,
    reference: str = "",
    outcome: str = "",
    decisions: str = "",
    cases=(),
) -> Engagement:
    """Record the home state's note verbale answering `note_out`; the note is then answered.

    `note_out` must be a note verbale sent; the reply inherits its home state, so a reply
    can never answer another state's note.
    """
    _require(actor, cap.RECORD_REPLY, note_out.home_state_id)
    note_out = Engagement.objects.select_for_update().get(pk=note_out.pk)
    if note_out.kind != EngagementKind.NOTE_VERBALE_OUT:
        raise ValidationError(
            {"in_reply_to": _("Only a note verbale sent can be answered by a reply.")}
        )
    reply = _create_engagement(
        actor=actor,
        home_state=note_out.home_state,
        kind=EngagementKind.NOTE_VERBALE_IN,
        date=date,
        cases=cases,
        in_reply_to=note_out,
        reference=reference,
        outcome=outcome,
        decisions=decisions,
    )
    record_event(
        events.REPLY_RECORDED,
        actor=actor,
        target=reply,
        data={
            "in_reply_to": str(note_out.pk),
            "reference": reference,
            "days_to_reply": (date - note_out.date).days,
        },
    )
    return reply


@transaction.atomic(durable=True)
def add_action_item(
    engagement: Engagement,
    *,
    actor,
    description: str,
    owner_agency,
    owner_user=None,
    due: datetime.date | None = None,
    cases=(),
) -> ActionItem:
    """Record what an agency agreed to do at `engagement`, by when, and for which children."""
    _require(actor, "diplomacy.add_actionitem", engagement.home_state_id)
    item = ActionItem(
        engagement=engagement,
        description=description,
        owner_agency=owner_agency,
        owner_user=owner_user,
        due=due,
        created_by=actor,
    )
    item.full_clean()
    cases = _check_cases(cases, engagement.home_state_id)
    item.save(force_insert=True)
    item.cases.set(cases)
    record_event(
        events.ACTION_ITEM_ADDED,
        actor=actor,
        target=item,
        data={
            "engagement": str(engagement.pk),
            "owner_agency": owner_agency.name,
            "owner_user": owner_user.get_username() if owner_user else "",
            "due": due,
            "cases": sorted(case.reference for case in cases),
        },
    )
    return item


def _close_action_item(item: ActionItem, *, actor, status: str, note: str) -> ActionItem:
    _require(actor, "diplomacy.change_actionitem", item.engagement.home_state_id)
    item = ActionItem.objects.select_for_update().select_related("engagement").get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("This action item is already closed."))
    item.status = status
    item.closing_note = note
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    record_event(
        events.ACTION_ITEM_CLOSED,
        actor=actor,
        target=item,
        data={
            "status": status,
            "note": note,
            "was_overdue": item.due is not None and item.due < timezone.localdate(),
        },
    )
    return item


@transaction.atomic(durable=True)
def complete_action_item(item: ActionItem, *, actor, note: str = "") -> ActionItem:
    """Mark an open action item done."""
    return _close_action_item(item, actor=actor, status=ActionItemStatus.DONE, note=note)


@transaction.atomic(durable=True)
def cancel_action_item(item: ActionItem, *, actor, note: str) -> ActionItem:
    """Cancel an open action item; the reason is required and kept."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the action item is cancelled.")})
    return _close_action_item(item, actor=actor, status=ActionItemStatus.CANCELLED, note=note)


@transaction.atomic(durable=True)
def record_pack_printed(pack, *, actor, target, language: str) -> None:
    """Audit a printed meeting pack: which cases it listed, in which language, names masked or
    not. A read, so nothing else is written; the pack itself was built within `actor`'s scope."""
    record_event(
        events.MEETING_PACK_PRINTED,
        actor=actor,
        target=target,
        home_state=pack.home_state.code,
        data={
            "language": language,
            "cases": pack.case_references,
            "names_masked": pack.names_masked,
        },
    )
