"""Errors the attachments services raise for adapters to turn into answers."""

from django.utils.translation import gettext_lazy as _

__all__ = ["IntegrityFailure"]


class IntegrityFailure(Exception):
    """The stored bytes no longer match the hash taken at upload (or are missing).

    Nothing was served; the failure is already in the audit trail when this is raised.
    """

    message = _(
        "This document failed its integrity check: the stored file is not the one that was "
        "uploaded. It was not sent to you. The failure has been recorded; ask an administrator "
        "to restore the file from a backup."
    )
