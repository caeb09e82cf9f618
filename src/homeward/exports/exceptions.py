"""Errors the export services raise for adapters to turn into answers."""

from django.utils.translation import gettext_lazy as _


class ExportStateError(Exception):
    """The export is no longer in the state the action needs (someone acted first): 409."""

    message = _(
        "This export has changed since you opened it (someone else may have decided it). "
        "Reload the page."
    )


class LinkGone(Exception):
    """A download link that was used already or has expired: 410."""

    message = _(
        "This download link has been used or has expired. Ask for a new link on the export's page."
    )
