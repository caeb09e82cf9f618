"""Who may do what with a document, beyond the scoped queryset (which decides *which* ones).

Scope answers "may this user know the document exists"; these predicates answer the finer
questions the pages, the API and the services must agree on.
"""

from homeward.accounts import capabilities as cap
from homeward.attachments.choices import HOME_STATE_KINDS, AttachmentKind

__all__ = ["addable_kinds", "can_download", "can_see_title", "can_withdraw"]


def addable_kinds(user) -> list[str]:
    """The kinds `user` may attach: all, a home state's own documents, or none."""
    if user.has_capability(cap.ADD_ANY_ATTACHMENT):
        return list(AttachmentKind.values)
    if user.has_capability(cap.ADD_ATTACHMENT):
        return [kind for kind in AttachmentKind.values if kind in HOME_STATE_KINDS]
    return []


def can_see_title(user, attachment) -> bool:
    """A highly sensitive document's title can state its result ("paternity excluded")."""
    return not attachment.is_highly_sensitive or user.has_capability(cap.VIEW_SENSITIVE_ATTACHMENT)


def can_download(user, attachment) -> bool:
    """Download needs the capability, the sensitive grant for L4, and a current document.

    A withdrawn document (often: attached to the wrong child) is fetched only by those who
    may withdraw, who need it to check what went wrong.
    """
    if not user.has_capability(cap.DOWNLOAD_ATTACHMENT):
        return False
    if attachment.is_withdrawn and not user.has_capability(cap.WITHDRAW_ATTACHMENT):
        return False
    return can_see_title(user, attachment)


def can_withdraw(user, attachment) -> bool:
    return not attachment.is_withdrawn and user.has_capability(cap.WITHDRAW_ATTACHMENT)
