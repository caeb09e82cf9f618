"""Children in custody with their mothers and one more relative: the prison or orphanage register.

One row is one child. Several rows naming the same mother (same name, same year of birth)
share one mother record, created by the first of them. A child without a mother must be
marked unaccompanied, or the row is refused: a register that forgets the mother would
otherwise separate her from her children in the record.
"""

from django.utils.translation import gettext_lazy, gettext_noop

from homeward.accounts import capabilities as cap
from homeward.core.normalise import normalise_name
from homeward.imports.kinds.base import (
    SEX_WORDS,
    Column,
    Context,
    Kind,
    RowResult,
    from_iso,
    iso,
    yes_no,
)
from homeward.people.choices import DobSource, NameType, RelationshipType

__all__ = ["ChildrenKind"]

RELATIVE_TYPES = [t for t in RelationshipType.values if t != RelationshipType.MOTHER]


def _dob_fields(value: dict | None, source: str) -> dict:
    if not value:
        return {"dob_precision": "unknown"}
    return {
        "date_of_birth": from_iso(value),
        "dob_precision": value["precision"],
        "dob_source": source or DobSource.UNKNOWN,
    }


class ChildrenKind(Kind):
    code = "children"
    label = gettext_lazy("Children with mothers and relatives")
    capability = "imports.import_children"
    needs = (cap.ADD_PERSON,)
    columns = (
        Column("child_name", gettext_lazy("Child's name"), "اسم الطفل", required=True,
               help=gettext_lazy("As written, in any script."), aliases=("name",)),
        Column("name_type", gettext_lazy("Kind of name"), "نوع الاسم",
               help=gettext_lazy("Default: as in prison register.")),
        Column("sex", gettext_lazy("Sex"), "الجنس", help=gettext_lazy("female / male")),
        Column("date_of_birth", gettext_lazy("Date of birth"), "تاريخ الميلاد", is_date=True,
               help=gettext_lazy("dd/mm/yyyy, mm/yyyy or yyyy")),
        Column("dob_source", gettext_lazy("Source of the date of birth"), "مصدر تاريخ الميلاد"),
        Column("home_state", gettext_lazy("Claimed nationality"), "الجنسية المدعاة", required=True,
               help=gettext_lazy("ISO code or country name"), aliases=("nationality",)),
        Column("place_of_birth", gettext_lazy("Place of birth"), "مكان الولادة"),
        Column("facility", gettext_lazy("Facility"), "المؤسسة"),
        Column("custody_since", gettext_lazy("In custody since"), "محتجز منذ", is_date=True),
        Column("mother_name", gettext_lazy("Mother's name"), "اسم الأم"),
        Column("mother_birth_year", gettext_lazy("Mother's year of birth"), "سنة ميلاد الأم",
               is_date=True),
        Column("unaccompanied", gettext_lazy("Unaccompanied"), "غير مصحوب",
               help=gettext_lazy("yes / no")),
        Column("relative_name", gettext_lazy("Other relative's name"), "اسم قريب آخر"),
        Column("relative_type", gettext_lazy("Other relative is the child's"), "صلة القريب الآخر"),
    )  # fmt: skip

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        result = RowResult()
        name = " ".join(cells.get("child_name", "").split())
        if not name:
            result.error("child_name", gettext_noop("The child's name is required."))
        name_type = ctx.choice(
            result, "name_type", cells.get("name_type", ""), NameType,
            default=NameType.PRISON_REGISTER,
        )  # fmt: skip
        sex = SEX_WORDS.get(cells.get("sex", "").strip().casefold())
        if sex is None:
            result.error("sex", gettext_noop("Write female or male (or leave it empty)."))
        born = ctx.date(result, "date_of_birth", cells.get("date_of_birth", ""))
        dob_source = ctx.choice(
            result, "dob_source", cells.get("dob_source", ""), DobSource, default=DobSource.UNKNOWN
        )
        state_text = cells.get("home_state", "").strip()
        state = ctx.state(state_text)
        if not state_text:
            result.error("home_state", gettext_noop("The claimed nationality is required."))
        elif state is None:
            result.error(
                "home_state",
                gettext_noop("“%(value)s” is not a known home state."),
                value=state_text,
            )
        place_state = ctx.state(cells.get("place_of_birth", ""))
        facility_text = cells.get("facility", "").strip()
        facility = ctx.facility(facility_text) if facility_text else None
        if facility_text and facility is None:
            result.error(
                "facility",
                gettext_noop("“%(value)s” is not a known facility."),
                value=facility_text,
            )
        since = ctx.date(result, "custody_since", cells.get("custody_since", ""))
        if facility_text and not cells.get("custody_since", "").strip():
            result.error(
                "custody_since", gettext_noop("Say since when the child is in this facility.")
            )
        if since and not facility_text:
            result.error("facility", gettext_noop("Name the facility the child is held in."))
        unaccompanied = yes_no(cells.get("unaccompanied", ""))
        if unaccompanied is None:
            result.error("unaccompanied", gettext_noop("Write yes or no."))
        mother = " ".join(cells.get("mother_name", "").split())
        mother_born = ctx.date(result, "mother_birth_year", cells.get("mother_birth_year", ""))
        if not mother and not unaccompanied:
            result.error(
                "mother_name",
                gettext_noop(
                    "The mother's name is missing; if the child is alone, mark it unaccompanied."
                ),
            )
        relative = " ".join(cells.get("relative_name", "").split())
        relative_type = None
        if relative:
            relative_type = ctx.choice(
                result, "relative_type", cells.get("relative_type", ""), RelationshipType
            )
            if relative_type == RelationshipType.MOTHER:
                result.error(
                    "relative_type", gettext_noop("Put the mother in the mother's column.")
                )
        if born and mother_born and mother_born.date >= born.date:
            result.error(
                "mother_birth_year", gettext_noop("The mother cannot be born after the child.")
            )
        if born and since and since.date < born.date:
            result.error(
                "custody_since", gettext_noop("Custody cannot start before the child was born.")
            )
        if name:
            key = (normalise_name(name), born.date if born else None, normalise_name(mother))
            earlier = ctx.first_seen(key, number)
            if earlier is not None:
                result.error(
                    "child_name",
                    gettext_noop("The same child is already in row %(row)s."),
                    row=earlier,
                )
        result.values = {
            "name": name,
            "name_type": name_type,
            "sex": sex or "unknown",
            "dob": iso(born),
            "dob_source": dob_source,
            "home_state": state.code if state else None,
            "place_of_birth_country": place_state.code if place_state else None,
            "place_of_birth": "" if place_state else cells.get("place_of_birth", "").strip(),
            "facility": facility.pk if facility else None,
            "custody_since": iso(since),
            "mother": mother,
            "mother_dob": iso(mother_born),
            "unaccompanied": bool(unaccompanied),
            "relative": relative,
            "relative_type": relative_type,
        }
        if name and not result.rejected:
            result.duplicates = find_duplicates(ctx, name, name_type, sex, born)
        return result

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        """Stage the row's child, mother, relative and links (`ctx.bulk`, written in bulk by
        `flush`); returns the objects the row creates, saved once flushed."""
        return self.stage(values, ctx, source=source)

    def stage(self, values: dict, ctx: Context, *, source: str, aliases=()) -> list:
        from homeward.core.models import HomeState
        from homeward.people.models import Facility

        bulk = ctx.registration()
        created = []
        mother = None
        if values["mother"]:
            key = (
                "mother",
                normalise_name(values["mother"]),
                (values["mother_dob"] or {}).get("date"),
            )
            mother = ctx.created.get(key)
            if mother is None:
                mother = bulk.adult(
                    fields={"sex": "female", **_dob_fields(values["mother_dob"], "")},
                    names=[{"full_text": values["mother"], "name_type": NameType.PRISON_REGISTER,
                            "source": source}],
                )  # fmt: skip
                ctx.created[key] = mother
                created.append(mother)
        fields = {
            "sex": values["sex"],
            "unaccompanied": values["unaccompanied"],
            **_dob_fields(values["dob"], values["dob_source"]),
        }
        if values["place_of_birth_country"]:
            fields["place_of_birth_country"] = ctx.state_by_code(values["place_of_birth_country"])
        elif values["place_of_birth"]:
            fields["place_of_birth_locality"] = values["place_of_birth"][:120]
        custody = None
        if values["facility"]:
            custody = {
                "facility": ctx.facility_by_pk(values["facility"]),
                "started_on": from_iso(values["custody_since"]),
                "with_person": mother,
            }
        state = ctx.state_by_code(values["home_state"])
        if state is None:
            raise HomeState.DoesNotExist(values["home_state"])
        if custody and custody["facility"] is None:
            raise Facility.DoesNotExist(values["facility"])
        child = bulk.child(
            fields=fields,
            names=[
                {"full_text": values["name"], "name_type": values["name_type"], "source": source}
            ],
            home_state=state,
            custody=custody,
        )
        created += [child, child.case]
        if mother is not None:
            created.append(
                bulk.link(child, relative=mother, relationship_type=RelationshipType.MOTHER,
                          basis="declared")
            )  # fmt: skip
        if values["relative"]:
            relative = bulk.adult(
                fields={},
                names=[{"full_text": values["relative"], "name_type": NameType.DECLARED_BY_MOTHER,
                        "source": source}],
            )  # fmt: skip
            link = bulk.link(
                child, relative=relative, relationship_type=values["relative_type"],
                basis="declared",
            )  # fmt: skip
            created += [relative, link]
        for alias in aliases:
            created.append(bulk.name(child, **alias, source=source))
        return created

    def flush(self, ctx: Context) -> None:
        ctx.registration().flush()


def find_duplicates(ctx: Context, name: str, name_type: str, sex, born) -> list[dict]:
    """Children the actor may see who look like this row (the matcher's threshold and scope)."""
    from homeward.matching.engine import possible_duplicates, record_for_query

    if ctx.skip_duplicates or not ctx.known_name_keys():
        return []  # no visible child has a name key yet: no row can look like one (no parse)
    record = record_for_query(names=[name])
    keys = set().union(*(parsed.keys for parsed in record.names)) if record.names else set()
    if not keys & ctx.known_name_keys():
        return []
    fields = {"sex": sex or "", "date_of_birth": born.date if born else None,
              "dob_precision": born.precision if born else ""}  # fmt: skip
    found = possible_duplicates(
        ctx.actor, names=[{"full_text": name, "name_type": name_type}], fields=fields, limit=3
    )
    return [
        {
            "person": str(candidate.person.pk),
            "name": candidate.person.display_name,
            "case": candidate.person.case.reference if hasattr(candidate.person, "case") else "",
            "score": candidate.score,
        }
        for candidate in found
    ]
