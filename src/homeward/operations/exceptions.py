"""Errors the operations services raise for adapters to turn into answers."""

from django.utils.translation import gettext_lazy as _

__all__ = ["ManifestRefused", "OperationStateError"]


class OperationStateError(Exception):
    """The operation (or entry) is not in a status this step starts from; nothing was written."""

    message = _("This step is not possible in the operation's current status.")

    def __init__(self, status: str, step: str):
        self.status, self.step = status, step
        super().__init__(f"{step} not allowed from {status}")


class ManifestRefused(Exception):
    """Some people cannot go on the manifest; `refusals` maps each one's label to the reasons.

    Nothing was written. The reasons are plain-words sentences, ready to show per child.
    """

    message = _("Some children cannot go on this manifest.")

    def __init__(self, refusals: dict[str, list[str]]):
        self.refusals = refusals
        super().__init__(
            "; ".join(f"{who}: {' '.join(reasons)}" for who, reasons in refusals.items())
        )
