"""Blocking keys of names: what lets a lookup find candidates without scanning the registry.

One NameKey row per (name, part, key): the consonant skeletons of `matching.names` for the
given name, the family name and the father's name of every PersonName. A lookup asks for
the rows whose key equals one of the query's keys, within the searcher's scope, and scores
only those people. Keys are derived data: `matching.keys.store_name_keys` writes them in
the same transaction as the name (called by the people services), and
`homeward rebuild_name_keys` recomputes all of them after the rules change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.people.models import Person, PersonName

__all__ = ["NameKey"]


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
