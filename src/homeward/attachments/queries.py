"""Named reads of documents, shared by the person page, the API and (later) reports."""

from dataclasses import dataclass

from django.db.models import QuerySet

from homeward.accounts import capabilities as cap
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import (
    addable_kinds,
    can_download,
    can_see_title,
    can_withdraw,
)

__all__ = ["AttachmentRow", "PersonAttachments", "attachments_for", "visible_attachments"]


def visible_attachments(user, action: str = "view") -> QuerySet[Attachment]:
    """The documents `user` may know of: in scope, and current unless they may withdraw."""
    queryset = Attachment.objects.for_user(user, action)
    if not user.has_capability(cap.WITHDRAW_ATTACHMENT):
        queryset = queryset.filter(is_withdrawn=False)
    return queryset


@dataclass(frozen=True)
class AttachmentRow:
    """One document as a given user may see it on a person's page."""

    attachment: Attachment
    show_title: bool
    may_download: bool
    may_withdraw: bool


@dataclass(frozen=True)
class PersonAttachments:
    rows: list[AttachmentRow]
    may_add: bool


def attachments_for(person, user) -> PersonAttachments | None:
    """The documents of `person` for `user`'s page, or None when they may not see any.

    `person` must have been found through the scoped Person queryset; the documents are
    narrowed again through the Attachment scope, so the two can never disagree silently.
    """
    if not user.has_capability(cap.VIEW_ATTACHMENT):
        return None
    documents = visible_attachments(user).filter(person=person).select_related("uploaded_by")
    rows = [
        AttachmentRow(
            attachment=document,
            show_title=can_see_title(user, document),
            may_download=can_download(user, document),
            may_withdraw=can_withdraw(user, document),
        )
        for document in documents
    ]
    return PersonAttachments(rows=rows, may_add=bool(addable_kinds(user)))
