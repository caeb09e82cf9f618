"""DNA results from the laboratory: one row is one comparison of the child with a relative.

The donor is the relative already linked to the child with the stated relationship; the
samples of both are recorded with the comparison, and the result goes to the sealed table
through the evidence services (an exclusion disputes the nationality, as it does by hand).
"""

from django.utils.translation import gettext_lazy, gettext_noop

from homeward.accounts import capabilities as cap
from homeward.evidence.choices import (
    DNAConclusion,
    DNAMethod,
    Hypothesis,
    SampleType,
    StatisticKind,
)
from homeward.imports.kinds.base import Column, Context, Kind, RowResult, from_iso, iso
from homeward.people.choices import RelationshipType

__all__ = ["DNAResultsKind"]


class DNAResultsKind(Kind):
    code = "dna_results"
    label = gettext_lazy("DNA results")
    capability = "imports.import_dna_results"
    needs = (cap.ADD_DNA_SAMPLE, cap.ADD_DNA_COMPARISON)
    columns = (
        Column("case_reference", gettext_lazy("Case reference"), "رقم الملف", required=True,
               aliases=("case",)),
        Column("relative", gettext_lazy("Relative compared"), "القريب المقارن", required=True,
               help=gettext_lazy("mother, father, full_sibling, …")),
        Column("hypothesis", gettext_lazy("Hypothesis"), "الفرضية", required=True),
        Column("method", gettext_lazy("Method"), "الطريقة", required=True),
        Column("lab", gettext_lazy("Laboratory"), "المختبر", required=True),
        Column("sample_type", gettext_lazy("Sample type"), "نوع العينة"),
        Column("collected_on", gettext_lazy("Collected on"), "تاريخ الجمع", required=True,
               is_date=True),
        Column("collected_by", gettext_lazy("Collected by"), "جمعها"),
        Column("reported_on", gettext_lazy("Reported on"), "تاريخ التقرير", required=True,
               is_date=True),
        Column("conclusion", gettext_lazy("Conclusion"), "النتيجة", required=True),
        Column("statistic_kind", gettext_lazy("Statistic"), "نوع الإحصاء"),
        Column("statistic", gettext_lazy("Value"), "القيمة"),
        Column("report_reference", gettext_lazy("Report reference"), "رقم التقرير"),
    )  # fmt: skip

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        result = RowResult()
        reference = cells.get("case_reference", "").strip()
        case = ctx.case(reference)
        if case is None:
            result.error(
                "case_reference",
                gettext_noop("No case with the reference “%(value)s”."),
                value=reference,
            )
        relation = ctx.choice(result, "relative", cells.get("relative", ""), RelationshipType)
        donor_id = None
        if case is not None and relation:
            links = list(case.child.relationships.filter(relationship_type=relation)[:2])
            if len(links) != 1:
                result.error(
                    "relative",
                    gettext_noop("The child has no relative of this kind recorded.")
                    if not links
                    else gettext_noop(
                        "The child has several relatives of this kind; record this one by hand."
                    ),
                )
            else:
                donor_id = str(links[0].relative_id)
        hypothesis = ctx.choice(result, "hypothesis", cells.get("hypothesis", ""), Hypothesis)
        method = ctx.choice(result, "method", cells.get("method", ""), DNAMethod)
        sample_type = ctx.choice(
            result, "sample_type", cells.get("sample_type", ""), SampleType,
            default=SampleType.BUCCAL_SWAB,
        )  # fmt: skip
        conclusion = ctx.choice(result, "conclusion", cells.get("conclusion", ""), DNAConclusion)
        statistic_kind = ctx.choice(
            result, "statistic_kind", cells.get("statistic_kind", ""), StatisticKind, default=""
        )
        statistic = None
        if cells.get("statistic", "").strip():
            try:
                statistic = float(cells["statistic"].replace(",", "."))
            except ValueError:
                result.error("statistic", gettext_noop("Write a number."))
        lab = cells.get("lab", "").strip()
        if not lab:
            result.error("lab", gettext_noop("This column is required."))
        collected = ctx.date(result, "collected_on", cells.get("collected_on", ""), required=True)
        reported = ctx.date(result, "reported_on", cells.get("reported_on", ""), required=True)
        if collected and reported and reported.date < collected.date:
            result.error("reported_on", gettext_noop("The report cannot predate the samples."))
        if case is not None and donor_id:
            earlier = ctx.first_seen(
                (case.pk, donor_id, hypothesis, reported and reported.date), number
            )
            if earlier is not None:
                result.error(
                    "case_reference",
                    gettext_noop("The same result is already in row %(row)s."),
                    row=earlier,
                )
        result.values = {
            "reference": case.reference if case else reference,
            "donor": donor_id,
            "hypothesis": hypothesis,
            "method": method,
            "lab": lab[:120],
            "sample_type": sample_type,
            "collected_on": iso(collected),
            "collected_by": cells.get("collected_by", "").strip()[:120] or lab[:120],
            "reported_on": iso(reported),
            "conclusion": conclusion,
            "statistic_kind": statistic_kind,
            "statistic": statistic,
            "report_reference": cells.get("report_reference", "").strip()[:80],
        }
        return result

    def prefetch(self, values: list[dict], ctx: Context) -> None:
        from homeward.people.models import Person

        ctx.prefetch_cases(v["reference"] for v in values)
        wanted = {v["donor"] for v in values if v["donor"]} - set(ctx.created)
        ctx.created.update({str(p.pk): p for p in Person.objects.filter(pk__in=wanted)})

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        """Row by row through the evidence services (each result is sealed and an exclusion
        moves the case's workflow); the case and donor come from the chunk's `prefetch`."""
        from homeward.core.exceptions import OutOfScopeError
        from homeward.evidence.services.dna import _record_dna_comparison, _record_dna_sample
        from homeward.people.models import Person

        case = ctx.case(values["reference"])
        if case is None:
            raise OutOfScopeError()
        donor = ctx.created.get(values["donor"])
        if donor is None:
            raise Person.DoesNotExist(values["donor"])
        collected_on = from_iso(values["collected_on"])
        samples = [
            _record_dna_sample(
                case,
                actor=ctx.actor,
                donor=person,
                sample_type=values["sample_type"],
                collected_on=collected_on,
                collected_by=values["collected_by"],
            )
            for person in (case.child, donor)
        ]
        comparison = _record_dna_comparison(
            case,
            actor=ctx.actor,
            hypothesis=values["hypothesis"],
            samples=samples,
            lab=values["lab"],
            method=values["method"],
            reported_on=from_iso(values["reported_on"]),
            conclusion=values["conclusion"],
            statistic_kind=values["statistic_kind"] or "",
            statistic=values["statistic"],
            report_reference=values["report_reference"],
        )
        return [*samples, comparison]
