"""Blocking keys of names: what lets a lookup find candidates without scanning the registry.

One NameKey row per (name, part, key): the consonant skeletons of `matching.names` for the
given name, the family name and the father's name of every PersonName. A lookup asks for
the rows whose key equals one of the query's keys, within the searcher's scope, and scores
only those people. Keys are derived data: `matching.keys.store_name_keys` writes them in
the same transaction as the name (called by the people services), and
`homeward rebuild_name_keys` recomputes all of them after the rules change.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.people.models import Person, PersonName

__all__ = ["DuplicateCandidate", "MergeRecord", "NameKey"]


class NameKey(models.Model):
    """A phonetic key of one part of one name.

    Internal, derived data with no page, API or export of its own: it is only ever read
    joined to `Person.objects.for_user(user)` (see `engine.find_candidates`), so the
    person's scope is its scope.
    """

    GIVEN, FAMILY, FATHER, KUNYA = "given", "family", "father", "kunya"
    PARTS = [
        (GIVEN, _("given name")),
        (FAMILY, _("family name")),
        (FATHER, _("father's name")),
        (KUNYA, _("kunya")),
    ]

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    part = models.CharField(max_length=8, choices=PARTS)
    key = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [models.Index(fields=["key", "part"], name="namekey_key_part")]
        constraints = [
            models.UniqueConstraint(fields=["name", "part", "key"], name="namekey_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.part}:{self.key}"


def _both_visible(home_states) -> Q:
    """Both people of a pair are in scope: a reviewer never learns of a record they may not see."""
    visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
    return Q(left__in=visible) & Q(right__in=visible)


class DuplicateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed_duplicate", _("Confirmed duplicate")
    REJECTED = "rejected", _("Not the same person")


class DuplicateCandidate(ScopedModelMixin, models.Model):
    """Two registry records the matcher thinks are one person, waiting for a human's word.

    Proposed by `homeward find_duplicates`; `left` is always the record with the smaller
    id, so each pair is proposed once whatever order it is met in (and a rejected pair is
    never proposed again). `explanation` keeps the field-by-field comparison as it was when
    proposed, so the reviewer sees the matcher's reasons even if the records change later.
    Governed by the people capabilities: seeing a pair is seeing two people.
    """

    left = models.ForeignKey(
        Person, verbose_name=_("record"), on_delete=models.CASCADE, related_name="+"
    )
    right = models.ForeignKey(
        Person, verbose_name=_("other record"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("comparison"), default=list)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.PROPOSED,
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-score", "proposed_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(left__lt=models.F("right")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left} ≟ {self.right}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return _both_visible(home_states)

    def audit_context(self) -> dict:
        return self.left.audit_context()


class MergeRecord(ScopedModelMixin, models.Model):
    """What one merge moved, row by row, so that undoing it moves exactly those rows back.

    `moves` is a list of `[model label, pk, field, value before, value after]`: a foreign
    key re-pointed from the duplicate to the survivor, or a field the merge had to change
    (the duplicate's preferred name stops being preferred; its case is closed). `kept` lists
    rows that stayed on the merged record because moving them would break an invariant of
    the survivor (a second open custody episode, a relationship the survivor already has).
    """

    survivor = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+"
    )
    duplicate = models.ForeignKey(
        Person, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("possible duplicate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
    )
    reason = models.TextField(_("reason"))
    moves = models.JSONField(_("moved rows"), default=list)
    kept = models.JSONField(_("rows left on the merged record"), default=list)
    performed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("merged"))
    undone_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undo_reason = models.TextField(_("reason for undoing"), blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-performed_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
        return Q(survivor__in=visible) & Q(duplicate__in=visible)

    def audit_context(self) -> dict:
        return self.survivor.audit_context()

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
