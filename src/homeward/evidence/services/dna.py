"""DNA use cases. The lab records samples and comparisons; results go to the sealed table.

An exclusion of a claimed parent moves the case to NATIONALITY_DISPUTED in the same
transaction (domain.md §2.6): the dispute is visible to everyone who sees the case, the
result itself only to holders of the DNA grant.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.transactions import durable_use_case
from homeward.evidence import events
from homeward.evidence.choices import DNAConclusion
from homeward.evidence.models import DNAComparison, DNAResult, DNASample
from homeward.evidence.services._common import authorize, policy_for, save_new

__all__ = ["record_dna_comparison", "record_dna_sample"]

MIN_SAMPLES = 2


def _record_dna_sample(
    case,
    *,
    actor,
    donor,
    sample_type: str,
    collected_on: datetime.date,
    collected_by: str,
    location: str = "iraq",
    consent_reference: str = "",
    chain_of_custody=(),
    retention_until=None,
) -> DNASample:
    """Record a sample taken from `donor` for this case, with its chain of custody."""
    case = authorize(actor, cap.ADD_DNA_SAMPLE, case)
    sample = save_new(
        DNASample(
            case=case,
            donor=donor,
            sample_type=sample_type,
            collected_on=collected_on,
            collected_by=collected_by,
            location=location,
            consent_reference=consent_reference,
            chain_of_custody=list(chain_of_custody),
            retention_until=retention_until,
            recorded_by=actor,
            policy=policy_for(case),
        )
    )
    record_event(
        events.DNA_SAMPLE_RECORDED,
        actor=actor,
        target=sample,
        data={"donor": str(donor.pk), "sample_type": sample_type, "collected_on": collected_on},
    )
    return sample


def _record_dna_comparison(
    case,
    *,
    actor,
    hypothesis: str,
    samples: Iterable[DNASample],
    lab: str,
    method: str,
    reported_on: datetime.date,
    conclusion: str,
    statistic_kind: str = "",
    statistic=None,
    report_reference: str = "",
    reviewed_by: str = "",
) -> DNAComparison:
    """Record a comparison and its sealed result; an exclusion disputes the nationality."""
    from homeward.workflow.rules import dispute_on_dna_exclusion

    case = authorize(actor, cap.ADD_DNA_COMPARISON, case)
    samples = list(samples)
    if len(samples) < MIN_SAMPLES or any(sample.case_id != case.pk for sample in samples):
        raise ValidationError({"samples": _("Compare at least two samples taken for this case.")})
    comparison = save_new(
        DNAComparison(
            case=case,
            hypothesis=hypothesis,
            lab=lab,
            method=method,
            reported_on=reported_on,
            reviewed_by=reviewed_by,
            recorded_by=actor,
            policy=policy_for(case, reported_on),
        )
    )
    comparison.samples.set(samples)
    save_new(
        DNAResult(
            comparison=comparison,
            conclusion=conclusion,
            statistic_kind=statistic_kind,
            statistic=statistic,
            report_reference=report_reference,
        ),
        exclude=["comparison"],
    )
    # the event says a result exists, never what it is
    record_event(
        events.DNA_COMPARISON_RECORDED,
        actor=actor,
        target=comparison,
        data={"hypothesis": hypothesis, "lab": lab, "method": method, "samples": len(samples)},
    )
    if conclusion == DNAConclusion.EXCLUDED:
        dispute_on_dna_exclusion(case, comparison=comparison, actor=actor)
    return comparison


record_dna_sample = durable_use_case(_record_dna_sample)
record_dna_comparison = durable_use_case(_record_dna_comparison)
