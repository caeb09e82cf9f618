"""What every kind of import shares: columns with English and Arabic headers, the row check
(values, errors, duplicates) and the lookups rows need (home states, facilities, cases).

A kind is one module in `homeward.imports.kinds` holding one `Kind` subclass, registered in
`kinds/__init__.py`; adding tracing requests later is one more module and one line there.
"""

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from homeward.cases.models import Case
from homeward.core.countries import english_names, iso_countries
from homeward.core.normalise import normalise_name
from homeward.imports.choices import RowAction
from homeward.imports.dates import parse_date
from homeward.imports.reading import normalise_header
from homeward.imports.reasons import ReasonError, reason

__all__ = ["Column", "Context", "Kind", "RowResult", "yes_no"]

YES = {"yes", "y", "true", "1", "نعم", "да", "x"}
NO = {"no", "n", "false", "0", "لا", "нет", ""}
SEX_WORDS = {
    "f": "female", "female": "female", "girl": "female", "ж": "female", "жен": "female",
    "أنثى": "female", "انثى": "female", "بنت": "female",
    "m": "male", "male": "male", "boy": "male", "м": "male", "муж": "male", "ذكر": "male",
    "ولد": "male", "u": "unknown", "unknown": "unknown", "": "unknown",
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    key: str
    en: object  # lazy text: the English header
    ar: str  # the Arabic header
    required: bool = False
    help: object = ""
    aliases: tuple[str, ...] = ()
    is_date: bool = False

    def names(self) -> set[str]:
        return {normalise_header(name) for name in (self.key, str(self.en), self.ar, *self.aliases)}


@dataclass
class RowResult:
    action: str = RowAction.CREATE
    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)

    def error(self, column: str, message, **params) -> None:
        """A reason against `column`: its source text (marked with gettext_noop) and its
        parameters, or a reason already made; worded when read (imports.reasons)."""
        made = message if isinstance(message, dict) else reason(message, **params)
        self.errors.append({"column": column, **made})

    @property
    def rejected(self) -> bool:
        return bool(self.errors)


@functools.cache
def _country_index() -> dict[str, str]:
    import gettext

    import pycountry

    catalogs = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("ar", "ru")
    ]
    index: dict[str, str] = {}
    for alpha_2, alpha_3, _name in iso_countries():
        index[alpha_2.casefold()] = alpha_2
        index[alpha_3.casefold()] = alpha_2
        for english in english_names(alpha_2):
            index[normalise_name(english)] = alpha_2
            for catalog in catalogs:
                index[normalise_name(catalog.gettext(english))] = alpha_2
    index[normalise_name("تركيا")] = "TR"
    return index


def yes_no(text: str) -> bool | None:
    value = (text or "").strip().casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


class Context:
    """Everything one batch's rows share: the actor, the date order, lookups and what was seen."""

    def __init__(self, *, actor, batch=None, date_order: str | None = "dmy", home_state=None):
        self.actor = actor
        self.batch = batch
        self.date_order = date_order
        self.home_state = home_state  # the mission's own state, for replies
        self.skip_duplicates = False  # rows already staged by an interrupted dry run
        self.seen: dict = {}  # in-file duplicate keys -> first row number
        self.created: dict = {}  # commit-time cache (e.g. mothers made by earlier rows)
        self.today = timezone.localdate()
        self._facilities = None
        self._facilities_by_pk = None
        self._states = None
        self._known_keys = None
        self._registration = None
        self._custody = None
        self._cases: dict = {}  # reference -> case, read in bulk by `prefetch_cases`

    def registration(self):
        """The commit's bulk writer for people (people.services.BulkRegistration)."""
        if self._registration is None:
            from homeward.people.services import BulkRegistration

            self._registration = BulkRegistration(self.actor)
        return self._registration

    def custody_moves(self):
        """The commit's bulk writer for custody moves (people.services.BulkCustody)."""
        if self._custody is None:
            from homeward.people.services import BulkCustody

            self._custody = BulkCustody(self.actor)
        return self._custody

    # -- lookups -----------------------------------------------------------------------------

    def prefetch_cases(self, references, *related: str) -> None:
        """Read the cases the actor sees among `references` in one query (for `case`)."""
        wanted = {(r or "").strip().upper() for r in references} - set(self._cases)
        wanted.discard("")
        found = {
            case.reference: case
            for case in Case.objects.for_user(self.actor, "view")
            .select_related("child", "home_state", *related)
            .filter(reference__in=wanted)
        }
        self._cases.update({reference: found.get(reference) for reference in wanted})

    def state(self, text: str):
        from homeward.core.models import HomeState

        if self._states is None:
            self._states = HomeState.objects.in_bulk()
        text = (text or "").strip()
        code = _country_index().get(text.casefold()) or _country_index().get(normalise_name(text))
        return self._states.get(code) if code else None

    def state_by_code(self, code: str | None):
        """A home state by its code, from the batch's one read of the table."""
        from homeward.core.models import HomeState

        if self._states is None:
            self._states = HomeState.objects.in_bulk()
        return self._states.get(code) if code else None

    def facility_by_pk(self, pk):
        """A facility by its pk, from the batch's one read of the table."""
        from homeward.people.models import Facility

        if self._facilities_by_pk is None:
            self._facilities_by_pk = Facility.objects.in_bulk()
        return self._facilities_by_pk.get(pk)

    def facility(self, text: str):
        from homeward.people.models import Facility

        if self._facilities is None:
            self._facilities = {}
            for facility in Facility.objects.all():
                for name in (facility.name, facility.name_en):
                    if name:
                        self._facilities[normalise_name(name)] = facility
        return self._facilities.get(normalise_name(text or ""))

    def case(self, reference: str):
        """The case if the actor sees it; None for out of scope exactly as for missing."""
        reference = (reference or "").strip().upper()
        if not reference:
            return None
        if reference in self._cases:
            return self._cases[reference]
        return (
            Case.objects.for_user(self.actor, "view")
            .select_related("child", "home_state")
            .filter(reference=reference)
            .first()
        )

    def known_name_keys(self) -> set[str]:
        """Name keys of the children the actor sees: rows sharing none need no look-up."""
        if self._known_keys is None:
            from homeward.matching.models import NameKey
            from homeward.people.models import Person

            visible = Person.objects.for_user(self.actor, "view").filter(kind="child")
            self._known_keys = set(
                NameKey.objects.filter(person__in=visible.values("pk"))
                .values_list("key", flat=True)
                .distinct()
            )
        return self._known_keys

    def first_seen(self, key, number: int) -> int | None:
        """The row that already had `key`, or None (and remember this row)."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = number
        return earlier

    # -- cell parsing ---------------------------------------------------------------------

    def date(self, result: RowResult, column: str, text: str, *, required=False, past=True):
        if not (text or "").strip():
            if required:
                result.error(column, gettext_noop("This column is required."))
            return None
        try:
            value = parse_date(text, self.date_order)
        except ReasonError as error:
            result.error(column, error.reason)
            return None
        if past and value.date > self.today:
            result.error(column, gettext_noop("This date is in the future."))
            return None
        return value

    def choice(self, result: RowResult, column: str, text: str, choices, *, default=None):
        """A TextChoices value from its code or its label in English or the active language."""
        value = (text or "").strip()
        if not value:
            if default is None:
                result.error(column, gettext_noop("This column is required."))
            return default
        wanted = normalise_header(value)
        for code, label in choices.choices:
            if wanted in {normalise_header(code), normalise_header(str(label))}:
                return code
        result.error(
            column,
            gettext_noop("“%(value)s” is not one of: %(allowed)s."),
            value=value,
            allowed=", ".join(choices.values),
        )
        return None


def iso(value) -> dict | None:
    return {"date": value.date.isoformat(), "precision": value.precision} if value else None


def from_iso(value: dict | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value["date"]) if value else None


class Kind:
    """One kind of import. Subclasses set the class attributes and `check` / `commit`."""

    code: str = ""
    label = gettext_lazy("")
    capability: str = ""  # imports.import_<code>
    needs: tuple[str, ...] = ()  # the capabilities of the services the commit calls
    columns: tuple[Column, ...] = ()
    mission_kind: bool = False  # a home-state mission imports it, for its own state only

    def may_import(self, user) -> bool:
        return all(user.has_capability(code) for code in (self.capability, *self.needs))

    def map_headers(self, headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
        """(column key -> index, unmapped headers, missing required column keys)."""
        lookup = {}
        for column in self.columns:
            for name in column.names():
                lookup.setdefault(name, column.key)
        mapping, unmapped = {}, []
        for index, header in enumerate(headers):
            key = lookup.get(normalise_header(header))
            if key and key not in mapping:
                mapping[key] = index
            elif header.strip():
                unmapped.append(header.strip())
        missing = [
            column.key for column in self.columns if column.required and column.key not in mapping
        ]
        return mapping, unmapped, missing

    def is_second_header(self, cells: list[str], mapping: dict[str, int]) -> bool:
        """The template's second header row (Arabic under English) is not data."""
        arabic = {column.key: normalise_header(column.ar) for column in self.columns}
        named = [
            normalise_header(cells[i]) == arabic.get(key)
            for key, i in mapping.items()
            if i < len(cells)
        ]
        return bool(named) and all(named)

    def date_texts(self, cells: dict[str, str]) -> Iterable[str]:
        return [cells.get(column.key, "") for column in self.columns if column.is_date]

    def check(self, number: int, cells: dict[str, str], ctx: Context) -> RowResult:
        raise NotImplementedError

    def commit(self, values: dict, ctx: Context, *, source: str) -> list:
        """Write (or stage, see `flush`) one checked row through the apps' services; returns
        the objects it creates."""
        raise NotImplementedError

    def prefetch(self, values: list[dict], ctx: Context) -> None:
        """Read in bulk what the next `commit` calls for these rows will look up."""

    def flush(self, ctx: Context) -> None:
        """Write what `commit` staged (kinds that write in bulk); the objects `commit`
        returned are saved afterwards. The default writes row by row and has nothing left."""
