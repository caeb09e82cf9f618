"""Custody placements and moves of registered children (a transfer list between facilities)."""

from django.utils.translation import gettext_lazy, gettext_noop

from homeward.accounts import capabilities as cap
from homeward.imports.choices import RowAction
from homeward.imports.kinds.base import Column, Context, Kind, RowResult, from_iso, iso, yes_no

__all__ = ["CustodyKind"]


class CustodyKind(Kind):
    code = "custody"
    label = gettext_lazy("Custody placements and moves")
    capability = "imports.import_custody"
    needs = (cap.CHANGE_PERSON,)
    columns = (
        Column("case_reference", gettext_lazy("Case reference"), "رقم الملف", required=True,
               help=gettext_lazy("HW-yyyy-nnnnn"), aliases=("case",)),
        Column("facility", gettext_lazy("Facility"), "المؤسسة", required=True),
        Column("since", gettext_lazy("Since"), "منذ", required=True, is_date=True),
        Column("with_mother", gettext_lazy("Held with the mother"), "مع الأم",
               help=gettext_lazy("yes / no")),
        Column("legal_basis", gettext_lazy("Order or legal basis"), "الأمر أو السند القانوني"),
        Column("reason", gettext_lazy("Reason for the move"), "سبب النقل"),
    )  # fmt: skip

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        result = RowResult(action=RowAction.UPDATE)
        reference = cells.get("case_reference", "").strip()
        case = ctx.case(reference)
        if case is None:
            result.error(
                "case_reference",
                gettext_noop("No case with the reference “%(value)s”."),
                value=reference,
            )
        text = cells.get("facility", "").strip()
        facility = ctx.facility(text)
        if facility is None:
            result.error(
                "facility", gettext_noop("“%(value)s” is not a known facility."), value=text
            )
        since = ctx.date(result, "since", cells.get("since", ""), required=True)
        with_mother = yes_no(cells.get("with_mother", ""))
        if with_mother is None:
            result.error("with_mother", gettext_noop("Write yes or no."))
        mother_id = None
        if case is not None and with_mother:
            mother = case.child.relationships.filter(relationship_type="mother").first()
            if mother is None:
                result.error("with_mother", gettext_noop("No mother is recorded for this child."))
            else:
                mother_id = str(mother.relative_id)
        if case is not None and since:
            current = case.child.custody_episodes.filter(ended_on__isnull=True).first()
            if current is not None and since.date < current.started_on:
                result.error(
                    "since",
                    gettext_noop(
                        "The move cannot be dated before the current placement began (%(date)s)."
                    ),
                    date=current.started_on.isoformat(),
                )
            earlier = ctx.first_seen((case.pk, since.date), number)
            if earlier is not None:
                result.error(
                    "since", gettext_noop("The same move is already in row %(row)s."), row=earlier
                )
        result.values = {
            "case": str(case.pk) if case else None,
            "reference": case.reference if case else reference,
            "facility": facility.pk if facility else None,
            "since": iso(since),
            "with_person": mother_id,
            "legal_basis": cells.get("legal_basis", "").strip()[:120],
            "reason": cells.get("reason", "").strip()[:300],
        }
        return result

    def prefetch(self, values: list[dict], ctx: Context) -> None:
        from homeward.people.models import Person

        ctx.prefetch_cases(v["reference"] for v in values)
        ctx.custody_moves().prefetch(
            case.child for v in values if (case := ctx.case(v["reference"])) is not None
        )
        wanted = {v["with_person"] for v in values if v["with_person"]}
        found = Person.objects.filter(pk__in=wanted - set(ctx.created))
        ctx.created.update({str(person.pk): person for person in found})

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        """Stage the move (people.services.BulkCustody, written by `flush`)."""
        from homeward.core.exceptions import OutOfScopeError
        from homeward.people.models import Facility, Person

        case = ctx.case(values["reference"])
        if case is None:
            raise OutOfScopeError()
        with_person = None
        if values["with_person"]:
            with_person = ctx.created.get(values["with_person"])
            if with_person is None:
                raise Person.DoesNotExist(values["with_person"])
        facility = ctx.facility_by_pk(values["facility"])
        if facility is None:
            raise Facility.DoesNotExist(values["facility"])
        episode = ctx.custody_moves().move(
            case.child,
            facility=facility,
            started_on=from_iso(values["since"]),
            with_person=with_person,
            legal_basis=values["legal_basis"],
            reason=values["reason"] or source,
        )
        return [episode]

    def flush(self, ctx: Context) -> None:
        ctx.custody_moves().flush()
