"""Legal holds: a case under a hold keeps every record, whatever the retention schedule says."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet

__all__ = ["LegalHold"]


class LegalHold(ScopedModelMixin, models.Model):
    """A hold on one case (litigation, inquiry, a family's pending request): nothing is purged.

    Placed and released through `retention.services`, each with a reason and an audit event.
    A released hold stays as the record that it existed. Scoped by the case's home state.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    placed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"))
    released_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.TextField(_("reason for release"), blank=True, max_length=2000)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="legal_hold_release_recorded",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Legal hold on %(case)s") % {"case": self.case})

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.case.audit_context()
