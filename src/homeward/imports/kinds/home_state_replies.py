"""A home state's replies on nationality claims: acknowledgement, recognition or refusal.

Imported by the state's own mission, for its own state only: each row must name a case the
mission sees with an open claim on that state. A recognition confirms the claim and a refusal
rejects it, through the same evidence services (and the same checks) as the reply form.
"""

from django.utils.translation import gettext_lazy, gettext_noop

from homeward.accounts import capabilities as cap
from homeward.evidence.choices import ClaimStatus, InstrumentType
from homeward.imports.kinds.base import Column, Context, Kind, RowResult, from_iso, iso

__all__ = ["HomeStateRepliesKind"]

ACKNOWLEDGED = "acknowledged"
REPLIES = {
    ACKNOWLEDGED: ACKNOWLEDGED, "acknowledgement": ACKNOWLEDGED, "إشعار بالاستلام": ACKNOWLEDGED,
    "recognised": "recognised", "recognized": "recognised", "confirmed": "recognised",
    "اعتراف": "recognised", "not_recognised": "not_recognised", "not recognised": "not_recognised",
    "refused": "not_recognised", "رفض": "not_recognised", "pending_court": "pending_court",
}  # fmt: skip


class HomeStateRepliesKind(Kind):
    code = "home_state_replies"
    label = gettext_lazy("Home-state replies on nationality claims")
    capability = "imports.import_home_state_replies"
    needs = (cap.ACKNOWLEDGE_CLAIM, cap.ADD_DETERMINATION)
    mission_kind = True
    columns = (
        Column("case_reference", gettext_lazy("Case reference"), "رقم الملف", required=True,
               aliases=("case",)),
        Column("reply", gettext_lazy("Reply"), "الرد", required=True,
               help=gettext_lazy("acknowledged, recognised, not_recognised or pending_court")),
        Column("replied_on", gettext_lazy("Date of the reply"), "تاريخ الرد", required=True,
               is_date=True),
        Column("focal_point", gettext_lazy("Focal point"), "نقطة الاتصال"),
        Column("instrument_type", gettext_lazy("Instrument"), "نوع الوثيقة"),
        Column("instrument_reference", gettext_lazy("Instrument reference"), "رقم الوثيقة"),
        Column("authority", gettext_lazy("Deciding authority"), "الجهة المقررة"),
    )  # fmt: skip

    def _claim(self, case, ctx: Context):
        state = ctx.home_state.code if ctx.home_state else case.home_state_id
        from homeward.evidence.models import NationalityClaim

        claims = NationalityClaim.objects.filter(case=case, claimed_state_id=state)
        return claims.filter(status=ClaimStatus.OPEN).order_by("-recorded_at").first()

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        result = RowResult()
        reference = cells.get("case_reference", "").strip()
        case = ctx.case(reference)
        claim = None
        if case is None:
            result.error(
                "case_reference",
                gettext_noop("No case with the reference “%(value)s”."),
                value=reference,
            )
        else:
            claim = self._claim(case, ctx)
            if claim is None:
                result.error(
                    "case_reference",
                    gettext_noop("This case has no open nationality claim on your state."),
                )
        text = cells.get("reply", "").strip()
        reply = REPLIES.get(text.casefold())
        if reply is None:
            result.error(
                "reply",
                gettext_noop("“%(value)s” is not one of: %(allowed)s."),
                value=text,
                allowed="acknowledged, recognised, not_recognised, pending_court",
            )
        on = ctx.date(result, "replied_on", cells.get("replied_on", ""), required=True)
        instrument = ctx.choice(
            result, "instrument_type", cells.get("instrument_type", ""), InstrumentType,
            default=InstrumentType.NOTE_VERBALE,
        )  # fmt: skip
        focal_point = cells.get("focal_point", "").strip()[:120]
        if reply == ACKNOWLEDGED:
            if not focal_point:
                result.error(
                    "focal_point", gettext_noop("Name the focal point who acknowledges the claim.")
                )
            if claim is not None and not claim.notified_on:
                result.error("reply", gettext_noop("The home state has not been notified yet."))
        if claim is not None and reply:
            earlier = ctx.first_seen((claim.pk, reply), number)
            if earlier is not None:
                result.error(
                    "reply", gettext_noop("The same reply is already in row %(row)s."), row=earlier
                )
        result.values = {
            "reference": case.reference if case else reference,
            "claim": str(claim.pk) if claim else None,
            "reply": reply,
            "on": iso(on),
            "focal_point": focal_point,
            "instrument_type": instrument,
            "instrument_reference": cells.get("instrument_reference", "").strip()[:80],
            "authority": cells.get("authority", "").strip()[:120],
        }
        if reply == ACKNOWLEDGED:
            result.action = "update"
        return result

    def prefetch(self, values: list[dict], ctx: Context) -> None:
        from homeward.evidence.models import NationalityClaim

        wanted = {v["claim"] for v in values if v["claim"]} - set(ctx.created)
        claims = NationalityClaim.objects.select_related("case").filter(pk__in=wanted)
        ctx.created.update({str(claim.pk): claim for claim in claims})

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        """Row by row through the evidence services (a reply moves the claim and the case's
        workflow); the claims come from the chunk's `prefetch`."""
        from homeward.evidence.models import NationalityClaim
        from homeward.evidence.services.nationality import (
            _acknowledge_claim,
            _record_home_state_determination,
        )

        claim = ctx.created.get(values["claim"])
        if claim is None:
            raise NationalityClaim.DoesNotExist(values["claim"])
        on = from_iso(values["on"])
        if values["reply"] == ACKNOWLEDGED:
            return [_acknowledge_claim(claim, actor=ctx.actor, acknowledged_on=on,
                                       focal_point=values["focal_point"])]  # fmt: skip
        determination = _record_home_state_determination(
            claim,
            actor=ctx.actor,
            decision=values["reply"],
            instrument_type=values["instrument_type"],
            instrument_reference=values["instrument_reference"],
            decided_on=on,
            authority=values["authority"],
        )
        return [determination]
