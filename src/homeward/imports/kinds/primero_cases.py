"""A Primero child-protection case export (CSV or XLSX), imported as children and relatives.

UNICEF's case lists come out of Primero. The fields read are those of Primero's CP case form
(v2 field names); every other column is reported as not imported, never silently dropped:

| Primero field | Homeward |
|---|---|
| `name`, or `name_first` + `name_middle` + `name_last` | the child's name (declared by the child) |
| `name_nickname` | a second name (alias) |
| `sex` | sex |
| `date_of_birth`; else `age` (with `estimated`) | date of birth; an age gives the year only |
| `nationality` | claimed nationality (the case's home state) |
| `unaccompanied_separated_status` | unaccompanied when "unaccompanied" |
| `mothers_name`, or a family-details `relation_name` whose `relation` is mother | mother |
| `case_id_display` / `case_id` | the source written on every name |
"""

import re

from django.utils.translation import gettext_lazy, gettext_noop

from homeward.imports.kinds.base import Column, Context, RowResult
from homeward.imports.kinds.children import ChildrenKind
from homeward.imports.reading import normalise_header

__all__ = ["PrimeroCasesKind"]

_FAMILY = re.compile(r"^family[ _]details[ _]section\W*(\d+)\W*(relation_name|relation)$")


class PrimeroCasesKind(ChildrenKind):
    code = "primero_cases"
    label = gettext_lazy("Primero child-protection cases")
    capability = "imports.import_primero_cases"
    columns = (
        Column("case_id_display", "case_id_display", "case_id_display", aliases=("case_id",)),
        Column("name", "name", "name"),
        Column("name_first", "name_first", "name_first"),
        Column("name_middle", "name_middle", "name_middle"),
        Column("name_last", "name_last", "name_last"),
        Column("name_nickname", "name_nickname", "name_nickname"),
        Column("sex", "sex", "sex"),
        Column("date_of_birth", "date_of_birth", "date_of_birth", is_date=True),
        Column("age", "age", "age"),
        Column("estimated", "estimated", "estimated", aliases=("date_of_birth_estimated",)),
        Column("nationality", "nationality", "nationality", required=True),
        Column("unaccompanied_separated_status", "unaccompanied_separated_status",
               "unaccompanied_separated_status"),
        Column("mothers_name", "mothers_name", "mothers_name"),
    )  # fmt: skip

    def map_headers(self, headers):
        mapping, unmapped, missing = super().map_headers(headers)
        family = {}
        for index, header in enumerate(headers):
            found = _FAMILY.match(normalise_header(header).replace(" ", "_").replace("__", "_"))
            if found:
                family.setdefault(found.group(1), {})[found.group(2)] = index
        self_family = [(pair["relation"], pair["relation_name"]) for pair in family.values()
                       if {"relation", "relation_name"} <= set(pair)]  # fmt: skip
        names = {headers[i] for pair in self_family for i in pair}
        unmapped = [header for header in unmapped if header not in names]
        for number, (relation, relation_name) in enumerate(self_family):
            mapping[f"family_{number}_relation"] = relation
            mapping[f"family_{number}_relation_name"] = relation_name
        return mapping, unmapped, missing

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        name = cells.get("name", "").strip() or " ".join(
            cells.get(part, "").strip() for part in ("name_first", "name_middle", "name_last")
        )
        dob = cells.get("date_of_birth", "")
        age = cells.get("age", "").strip()
        age_error = None
        if not dob.strip() and age:
            if age.isdigit():
                dob = str(ctx.today.year - int(age))
            else:
                age_error = gettext_noop("Write the age in whole years.")
        mother = cells.get("mothers_name", "").strip()
        for key, value in cells.items():
            if key.endswith("_relation") and normalise_header(value) == "mother":
                mother = mother or cells.get(f"{key}_name", "").strip()
        status = normalise_header(cells.get("unaccompanied_separated_status", ""))
        mapped = {
            "child_name": name,
            "name_type": "declared_by_child",
            "sex": cells.get("sex", ""),
            "date_of_birth": dob,
            "dob_source": "facility_estimate" if age and not cells.get("date_of_birth") else "",
            "home_state": cells.get("nationality", ""),
            "mother_name": mother,
            "unaccompanied": "yes" if status == "unaccompanied" else "no",
        }
        result = super().check(number, mapped, ctx)
        # name the Primero columns, not the Homeward ones
        renamed = {"child_name": "name", "home_state": "nationality", "mother_name": "mothers_name"}
        for error in result.errors:
            error["column"] = renamed.get(error["column"], error["column"])
        if age_error:
            result.error("age", age_error)
        result.values["alias"] = " ".join(cells.get("name_nickname", "").split())
        result.values["primero_id"] = cells.get("case_id_display", "").strip()
        return result

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        if values.get("primero_id"):
            source = f"{source} · Primero {values['primero_id']}"[:200]
        aliases = (
            [{"full_text": values["alias"], "name_type": "alias"}] if values.get("alias") else []
        )
        return self.stage(values, ctx, source=source, aliases=aliases)
