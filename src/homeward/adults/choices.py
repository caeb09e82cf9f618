"""Choices of adult cases: the legal track (domain.md §2.4 C), sentences and routes home."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["ConsentLevel", "LegalStatus", "ReturnStep", "RouteHome", "SentenceKind"]


class LegalStatus(models.TextChoices):
    DETAINED = "detained", _("Detained")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    ON_TRIAL = "on_trial", _("On trial")
    ACQUITTED = "acquitted", _("Acquitted or not prosecuted")
    CONVICTED = "convicted", _("Convicted, serving the sentence")
    APPEAL = "appeal", _("On appeal")
    COMMUTED = "commuted", _("Sentence commuted")
    PARDONED = "pardoned", _("Pardoned or released early")
    SENTENCE_COMPLETED = "sentence_completed", _("Sentence completed")
    DEPORTED = "deported", _("Deported to the home state")
    TRANSFERRED = "transferred", _("Transferred to serve the sentence at home")
    HANDED_OVER = "handed_over", _("Handed over with the children")
    DIED = "died", _("Died in custody")
    EXECUTED = "executed", _("Executed")

    @classmethod
    def ended(cls) -> tuple[str, ...]:
        """The person has left Iraqi custody for good: the case is no longer pending."""
        return (cls.DEPORTED, cls.TRANSFERRED, cls.HANDED_OVER, cls.DIED, cls.EXECUTED)

    @classmethod
    def free_to_leave(cls) -> tuple[str, ...]:
        """Nothing more is owed to the Iraqi courts: the person may be sent home."""
        return (cls.ACQUITTED, cls.PARDONED, cls.SENTENCE_COMPLETED)

    @classmethod
    def serving(cls) -> tuple[str, ...]:
        return (cls.CONVICTED, cls.APPEAL, cls.COMMUTED)


# Which legal status may follow which (domain.md §2.4 C); departures also pass the return gate.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    LegalStatus.DETAINED: (
        LegalStatus.UNDER_INVESTIGATION,
        LegalStatus.ON_TRIAL,
        LegalStatus.ACQUITTED,
        LegalStatus.DIED,
    ),
    LegalStatus.UNDER_INVESTIGATION: (
        LegalStatus.ON_TRIAL,
        LegalStatus.ACQUITTED,
        LegalStatus.DIED,
    ),
    LegalStatus.ON_TRIAL: (LegalStatus.CONVICTED, LegalStatus.ACQUITTED, LegalStatus.DIED),
    LegalStatus.CONVICTED: (
        LegalStatus.APPEAL,
        LegalStatus.COMMUTED,
        LegalStatus.PARDONED,
        LegalStatus.SENTENCE_COMPLETED,
        LegalStatus.TRANSFERRED,
        LegalStatus.DIED,
        LegalStatus.EXECUTED,
    ),
    LegalStatus.APPEAL: (
        LegalStatus.CONVICTED,
        LegalStatus.COMMUTED,
        LegalStatus.ACQUITTED,
        LegalStatus.PARDONED,
        LegalStatus.DIED,
        LegalStatus.EXECUTED,
    ),
    LegalStatus.COMMUTED: (
        LegalStatus.APPEAL,
        LegalStatus.PARDONED,
        LegalStatus.SENTENCE_COMPLETED,
        LegalStatus.TRANSFERRED,
        LegalStatus.DIED,
    ),
    LegalStatus.ACQUITTED: (LegalStatus.DEPORTED, LegalStatus.HANDED_OVER, LegalStatus.DIED),
    LegalStatus.PARDONED: (LegalStatus.DEPORTED, LegalStatus.HANDED_OVER, LegalStatus.DIED),
    LegalStatus.SENTENCE_COMPLETED: (
        LegalStatus.DEPORTED,
        LegalStatus.HANDED_OVER,
        LegalStatus.DIED,
    ),
}


class SentenceKind(models.TextChoices):
    DEATH = "death", pgettext_lazy("sentence kind", "Death")
    LIFE = "life", pgettext_lazy("sentence kind", "Life imprisonment")
    FIXED_TERM = "fixed_term", _("Fixed term")


class RouteHome(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    DEPORTATION = "deportation", _("Deportation after the sentence")
    TRANSFER = "transfer", _("Transfer of a sentenced person (under an agreement)")
    WITH_CHILDREN = "with_children", _("Handover together with the children")


class ReturnStep(models.TextChoices):
    """The adult's return gate, each a dated fact (nationality, transfer, exit, document)."""

    NATIONALITY_CONFIRMED = "nationality_confirmed", _("Nationality confirmed by the home state")
    TRANSFER_AGREED = "transfer_agreed", _("Transfer agreed by both states")
    EXIT_AUTHORISED = "exit_authorised", _("Exit authorised by the Ministry of Interior")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document issued")


class ConsentLevel(models.TextChoices):
    """How much of a consular visit's conversation the detainee agreed to have recorded."""

    NONE = "none", _("Only that the visit took place")
    WELFARE = "welfare", _("Welfare, health and family")
    FULL = "full", _("Everything discussed, including the legal case")
