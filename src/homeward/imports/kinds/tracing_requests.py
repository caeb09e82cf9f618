"""Tracing requests from relatives abroad: the lists an embassy, the ICRC or UNICEF sends.

Each row is one request, filed through the matching app's service (the same checks and
candidate proposals as the tracing request form), all rows of a file in one transaction.
A mission imports requests for its own state only (the state column may then be left out);
the ministry names the state on every row. The model's own rules (years, names, the
relative's relationship) are checked row by row in the dry run.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from homeward.accounts import capabilities as cap
from homeward.core.normalise import normalise_name
from homeward.imports.kinds.base import Column, Context, Kind, RowResult, from_iso, iso
from homeward.imports.reasons import reasons_of

__all__ = ["TracingRequestsKind"]

SEXES = {"female": "female", "male": "male", "f": "female", "m": "male", "أنثى": "female",
         "انثى": "female", "ذكر": "male", "ж": "female", "м": "male", "": ""}  # fmt: skip
YEARS = ("child_birth_year", "mother_birth_year")
TEXTS = {  # column -> longest value the model takes
    "channel_reference": 80, "child_name": 200, "child_other_names": 2000, "mother_name": 200,
    "father_name": 200, "other_relatives": 2000, "places": 2000, "requester_name": 200,
    "requester_address": 2000,
}  # fmt: skip


class TracingRequestsKind(Kind):
    code = "tracing_requests"
    label = gettext_lazy("Tracing requests from relatives abroad")
    capability = cap.IMPORT_TRACING_REQUESTS
    needs = (cap.ADD_TRACING,)
    mission_kind = True
    columns = (
        Column("home_state", gettext_lazy("Home state"), "دولة المنشأ",
               help=gettext_lazy("Country name or ISO code; a mission's own state if left out")),
        Column("channel", gettext_lazy("Received through"), "وردت عن طريق", required=True,
               help=gettext_lazy("embassy, icrc, unicef or other")),
        Column("channel_reference", gettext_lazy("Their reference"), "مرجعهم"),
        Column("received_on", gettext_lazy("Received on"), "تاريخ الاستلام", required=True,
               is_date=True),
        Column("child_name", gettext_lazy("Child's name"), "اسم الطفل", required=True),
        Column("child_other_names", gettext_lazy("Other names or spellings"),
               "أسماء أو تهجئات أخرى"),
        Column("child_sex", gettext_lazy("Child's sex"), "جنس الطفل",
               help=gettext_lazy("female / male")),
        Column("child_birth_year", gettext_lazy("Child's year of birth"), "سنة ميلاد الطفل"),
        Column("mother_name", gettext_lazy("Mother's name"), "اسم الأم"),
        Column("mother_birth_year", gettext_lazy("Mother's year of birth"), "سنة ميلاد الأم"),
        Column("father_name", gettext_lazy("Father's name or kunya"), "اسم الأب أو كنيته"),
        Column("other_relatives", gettext_lazy("Other relatives"), "أقارب آخرون"),
        Column("places", gettext_lazy("Places (origin, last known whereabouts)"),
               "الأماكن (الأصل وآخر مكان معروف)"),
        Column("requester_name", gettext_lazy("Relative's name"), "اسم القريب", required=True),
        Column("requester_relationship", gettext_lazy("Relative is the child's"),
               "صلة القريب بالطفل", required=True,
               help=gettext_lazy("mother, father, grandparent_maternal, aunt_uncle…")),
        Column("requester_address", gettext_lazy("Relative's address and contact"),
               "عنوان القريب ووسيلة الاتصال"),
    )  # fmt: skip

    def _state(self, result: RowResult, text: str, ctx: Context):
        if ctx.home_state is not None:  # a mission: its own state, whatever the row says
            state = ctx.state(text) if text else ctx.home_state
            if state is not None and state.pk != ctx.home_state.pk:
                result.error(
                    "home_state", gettext_noop("You may file requests only for your own state.")
                )
                return None
            return ctx.home_state
        if not text:
            result.error("home_state", gettext_noop("This column is required."))
            return None
        state = ctx.state(text)
        scope = ctx.actor.home_state_scope()
        if state is None or (scope is not None and state.pk not in scope):
            result.error(
                "home_state", gettext_noop("“%(value)s” is not a known home state."), value=text
            )
            return None
        return state

    def _year(self, result: RowResult, column: str, text: str) -> int | None:
        text = (text or "").strip()
        if not text:
            return None
        if not text.isdigit():
            result.error(column, gettext_noop("Write a year, e.g. 2016."))
            return None
        return int(text)

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        from homeward.matching.models import TracingChannel, TracingRequest
        from homeward.people.choices import RelationshipType

        result = RowResult()
        state = self._state(result, cells.get("home_state", "").strip(), ctx)
        channel = ctx.choice(result, "channel", cells.get("channel", ""), TracingChannel)
        received = ctx.date(result, "received_on", cells.get("received_on", ""), required=True)
        relationship = ctx.choice(
            result,
            "requester_relationship",
            cells.get("requester_relationship", ""),
            RelationshipType,
        )
        sex_text = cells.get("child_sex", "").strip()
        sex = SEXES.get(sex_text.casefold())
        if sex is None:
            result.error("child_sex", gettext_noop("Write female or male, or leave it empty."))
        values = {key: cells.get(key, "").strip()[:limit] for key, limit in TEXTS.items()}
        values.update({key: self._year(result, key, cells.get(key, "")) for key in YEARS})
        request = TracingRequest(
            home_state=state,
            channel=channel or "",
            received_on=received.date if received else None,
            child_sex=sex or "",
            requester_relationship=relationship or "",
            **values,
        )
        excluded = ["home_state", "name_keys", "filed_by", "filed_by_agency", "filed_at", "status"]
        try:
            with translation.override(None):  # the model's messages as their source texts
                request.full_clean(exclude=excluded)
        except ValidationError as error:
            for column, found in reasons_of(error).items():
                if not any(item["column"] == column for item in result.errors):
                    for made in found:
                        result.error(column, made)
        if state is not None and channel and values["channel_reference"]:
            key = (state.pk, channel, values["channel_reference"].casefold())
            earlier = ctx.first_seen(key, number)
            if earlier is not None:
                result.error(
                    "channel_reference",
                    gettext_noop("The same request is already in row %(row)s."),
                    row=earlier,
                )
            filed = TracingRequest.objects.filter(
                home_state=state,
                channel=channel,
                channel_reference__iexact=values["channel_reference"],
            ).first()
            if filed:
                result.error(
                    "channel_reference",
                    gettext_noop("This request was already filed as %(reference)s."),
                    reference=filed.reference,
                )
        elif values["child_name"] and values["requester_name"]:
            key = (normalise_name(values["child_name"]), normalise_name(values["requester_name"]))
            earlier = ctx.first_seen(key, number)
            if earlier is not None:
                result.error(
                    "child_name",
                    gettext_noop("The same request is already in row %(row)s."),
                    row=earlier,
                )
        result.values = {
            **values,
            "home_state": state.pk if state else None,
            "channel": channel,
            "received_on": iso(received),
            "child_sex": sex or "",
            "requester_relationship": relationship,
        }
        return result

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        from homeward.matching.services import _create_tracing_request

        fields = {
            **values,
            "home_state": ctx.state_by_code(values["home_state"]),
            "received_on": from_iso(values["received_on"]),
        }
        return [_create_tracing_request(actor=ctx.actor, **fields)]
