"""What every evidence record shares: the case it belongs to, who recorded it, and the policy.

Evidence is scoped through its case's home state, so a consul sees the records of its own
nationals only. `policy` is the requirements policy in force for the case's home state on the
date the record was made (or the decision taken): a later policy never rewrites what an earlier
decision relied on.
"""

import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet

__all__ = ["CaseEvidence", "today"]


def today() -> datetime.date:
    return timezone.localdate()


class CaseEvidence(ScopedModelMixin, models.Model):
    """Abstract base: one piece of evidence on one child's case.

    Seen by whoever may see the case (`cases.view_case`); recorded only through
    `evidence.services`, which checks the recorder's own capability and scope.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT)
    policy = models.ForeignKey(
        "workflow.RequirementsPolicy",
        verbose_name=_("policy in force"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "cases.case"

    class Meta:
        abstract = True
        ordering = ["-recorded_at"]

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.case.audit_context()
