"""DNA samples and comparisons. Results are sealed (domain.md §3.1, L4).

The conclusion, statistic and report of a comparison live in `DNAResult`, a separate table
whose own capability (`evidence.view_dnaresult`) is the grant: anything that reads a
comparison without that grant — a list, a serializer, a requirement label — simply has no
conclusion to show. `DNAComparison.result_for(viewer)` is the one way display code reads it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.crypto.fields import EncryptedCharField, EncryptedFloatField
from homeward.evidence.choices import (
    DNAConclusion,
    DNAMethod,
    Hypothesis,
    SampleLocation,
    SampleType,
    StatisticKind,
)
from homeward.evidence.models.base import CaseEvidence, today

__all__ = ["DNAComparison", "DNAResult", "DNASample"]


class DNASample(CaseEvidence):
    """A biological sample from `donor` (the child, the mother, a relative) for a case."""

    donor = models.ForeignKey(
        "people.Person", verbose_name=_("donor"), on_delete=models.PROTECT, related_name="+"
    )
    sample_type = models.CharField(_("sample type"), max_length=12, choices=SampleType.choices)
    location = models.CharField(
        _("collected in"), max_length=12, choices=SampleLocation.choices, default="iraq"
    )
    collected_on = models.DateField(_("collected on"))
    collected_by = models.CharField(_("collected by"), max_length=120)
    consent_reference = models.CharField(_("consent or court order"), max_length=80, blank=True)
    chain_of_custody = models.JSONField(_("chain of custody"), default=list, blank=True)
    retention_until = models.DateField(_("keep until"), null=True, blank=True)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("DNA sample")
        verbose_name_plural = _("DNA samples")

    def __str__(self) -> str:
        return f"{self.get_sample_type_display()} {self.collected_on}"

    def clean(self) -> None:
        if self.collected_on and self.collected_on > today():
            raise ValidationError(
                {"collected_on": _("A sample cannot be collected in the future.")}
            )
        if self.retention_until and self.collected_on and self.retention_until < self.collected_on:
            raise ValidationError({"retention_until": _("Retention ends after collection.")})


class DNAComparison(CaseEvidence):
    """A laboratory comparison testing `hypothesis` on two or more samples.

    Everyone who sees the case sees that a comparison exists, by which lab and method;
    only holders of the DNA grant see what it concluded (`result_for`).
    """

    hypothesis = models.CharField(_("hypothesis"), max_length=16, choices=Hypothesis.choices)
    samples = models.ManyToManyField(
        DNASample, verbose_name=_("samples"), related_name="comparisons"
    )
    lab = models.CharField(_("laboratory"), max_length=120)
    method = models.CharField(_("method"), max_length=16, choices=DNAMethod.choices)
    reported_on = models.DateField(_("reported on"))
    reviewed_by = models.CharField(_("reviewed by"), max_length=120, blank=True)

    class Meta(CaseEvidence.Meta):
        verbose_name = _("DNA comparison")
        verbose_name_plural = _("DNA comparisons")

    def __str__(self) -> str:
        return f"{self.get_hypothesis_display()} — {self.lab}"

    def result_for(self, viewer) -> "DNAResult | None":
        """The sealed result if `viewer` holds the DNA grant and may see the case, else None."""
        return DNAResult.objects.for_user(viewer).filter(comparison=self).first()

    def conclusion_display_for(self, viewer) -> str:
        """The conclusion in words, or a sealed notice: what every display should call."""
        result = self.result_for(viewer)
        if result is None:
            return str(_("DNA comparison recorded (result sealed)"))
        return str(result.get_conclusion_display())

    def clean(self) -> None:
        if self.reported_on and self.reported_on > today():
            raise ValidationError({"reported_on": _("A report cannot be dated in the future.")})


class DNAResult(ScopedModelMixin, models.Model):
    """The sealed part of a comparison: conclusion, statistic and report reference."""

    comparison = models.OneToOneField(
        DNAComparison, on_delete=models.PROTECT, primary_key=True, related_name="sealed_result"
    )
    conclusion = EncryptedCharField(_("conclusion"), max_length=14, choices=DNAConclusion.choices)
    statistic_kind = models.CharField(
        _("statistic"), max_length=20, choices=StatisticKind.choices, blank=True
    )
    statistic = EncryptedFloatField(_("value"), null=True, blank=True)
    report_reference = EncryptedCharField(_("report"), max_length=80, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("DNA result (sealed)")
        verbose_name_plural = _("DNA results (sealed)")

    def __str__(self) -> str:
        return str(_("Sealed DNA result"))  # never the conclusion: __str__ ends up everywhere

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(comparison__case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.comparison.audit_context()

    def clean(self) -> None:
        if self.statistic is not None and self.statistic < 0:
            raise ValidationError({"statistic": _("A statistic cannot be negative.")})
        if self.statistic is not None and not self.statistic_kind:
            raise ValidationError({"statistic_kind": _("Say what the statistic measures.")})
