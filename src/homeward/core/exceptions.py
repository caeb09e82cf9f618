"""Errors services raise for adapters (views, API, CLI) to turn into answers."""

from django.utils.translation import gettext_lazy as _


class StaleEditError(Exception):
    """The record changed since the editor loaded it; nothing was written."""

    message = _(
        "Someone else changed this record while you were editing it. "
        "Reload it and apply your changes again."
    )


class OutOfScopeError(Exception):
    """A write would leave the record outside the actor's own scope; it was rolled back."""

    message = _("You cannot make this change: the record would leave the home states you work on.")
