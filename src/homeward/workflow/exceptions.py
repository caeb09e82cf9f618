"""Errors the workflow raises for adapters to turn into answers."""

from django.utils.translation import gettext_lazy as _

__all__ = ["GateNotMet", "TransitionNotAllowed"]


class TransitionNotAllowed(Exception):
    """The case is not in a state this transition starts from; nothing was written."""

    def __init__(self, status: str, transition: str):
        self.status, self.transition = status, transition
        self.message = _("This step is not possible from the case's current status.")
        super().__init__(f"{transition} not allowed from {status}")


class GateNotMet(Exception):
    """Requirements of the gate are not met; `requirements` lists them as the actor may see them.

    `descriptions` are the plain-words lines ("Waiting for … — Embassy of … — 41 days").
    """

    message = _("The case cannot move on yet: some requirements are not met.")

    def __init__(self, requirements):
        self.requirements = list(requirements)
        self.descriptions = [requirement.describe() for requirement in self.requirements]
        super().__init__("; ".join(self.descriptions))
