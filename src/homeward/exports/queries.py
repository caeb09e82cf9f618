"""What each dataset holds: the rows a requester may export, and their columns.

Every dataset reads through `.for_user(requester, "view")`, so a file never holds a row its
requester could not open on a page. Columns are chosen here and only here; sealed data (DNA
results, security assessments, court records, health) is never among them.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import Case
from homeward.exports.choices import Dataset
from homeward.exports.lists import list_dataset
from homeward.people.choices import DobPrecision, PersonKind, RelationshipType
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship

__all__ = [
    "COLUMNS",
    "candidates",
    "columns",
    "exportable_home_states",
    "exportable_operations",
    "rows",
]

ARABIC_SCRIPT = "Arab"

COLUMNS = {
    Dataset.CHILDREN: [
        ("reference", _("Case reference")),
        ("name_arabic", _("Name (Arabic script)")),
        ("name_home_script", _("Name (home-state script)")),
        ("sex", _("Sex")),
        ("birth", _("Date or year of birth")),
        ("home_state", _("Home state")),
        ("status", _("Case status")),
        ("facility", _("Current facility")),
        ("mother_name", _("Mother")),
        ("mother_id", _("Mother's record id")),
    ],
    Dataset.CASE_PROGRESS: [
        ("reference", _("Case reference")),
        ("home_state", _("Home state")),
        ("status", _("Case status")),
        ("status_since", _("Status since")),
        ("opened", _("Opened")),
        ("closed", _("Closed")),
    ],
    # What the receiving state is entitled to for the flight: who travels and with which
    # document. No custody, court, security or DNA data; medical needs only as a flag (the
    # detail goes to the escort doctor in person).
    Dataset.OPERATION_MANIFEST: [
        ("number", _("No.")),
        ("operation", _("Operation")),
        ("reference", _("Case reference")),
        ("name_arabic", _("Name (Arabic script)")),
        ("name_home_script", _("Name (home-state script)")),
        ("sex", _("Sex")),
        ("birth", _("Date or year of birth")),
        ("travel_document", _("Travel document number")),
        ("travel_document_valid_until", _("Travel document valid until")),
        ("travels_with", _("Travels with (case reference)")),
        ("escort", _("Escort")),
        ("medical_needs", _("Medical needs")),
    ],
}


def columns(user, dataset: str) -> list[tuple[str, object]]:
    """The (key, title) columns of `dataset` that `user` may see, in file order."""
    spec = list_dataset(dataset)
    return spec.columns_for(user) if spec is not None else COLUMNS[dataset]


def exportable_home_states(user):
    """The home states a requester may filter on: those in their scope."""
    from homeward.core.models import HomeState

    return HomeState.objects.for_user(user, "view").order_by("code")


def exportable_operations(user):
    """The operations whose manifest a requester may export: those in their scope."""
    from homeward.operations.models import Operation

    return Operation.objects.for_user(user, "view").order_by("-planned_date", "reference")


@dataclass
class _Viewer:
    """What the children list's filter set reads from its request: the user."""

    user: object


def _child_filterset(user, filters: dict):
    from homeward.people.forms import ChildListFilterSet
    from homeward.people.queries import children_for

    return ChildListFilterSet(filters, queryset=children_for(user), request=_Viewer(user))


def child_list_filters(user, raw: dict) -> dict:
    """The children list's filters (its querystring or saved search), checked."""
    from homeward.people.forms import ChildListFilterSet

    terms = {k: v for k, v in raw.items() if k in ChildListFilterSet.base_filters and v}
    if terms and not _child_filterset(user, terms).is_valid():
        raise ValidationError({"filters": [gettext_now("The list's filters are not valid.")]})
    return terms


def _cases(user, *, home_state=None, status: str = "") -> QuerySet[Case]:
    cases = Case.objects.for_user(user, "view").filter(child__merged_into__isnull=True)
    if home_state is not None:
        cases = cases.filter(home_state=home_state)
    if status:
        cases = cases.filter(status=status)
    return cases


def candidates(
    user, dataset: str, *, home_state=None, status: str = "", operation=None, filters=None
) -> list[str]:
    """The ids (as text) of the records an export would hold, in file order.

    Children: the child's person id; case progress: the case id; an operation manifest:
    its entries' ids (the persons still travelling); a list: its rows' ids under `filters`.
    """
    spec = list_dataset(dataset)
    if spec is not None:
        return spec.candidates(user, filters or {})
    if dataset == Dataset.OPERATION_MANIFEST:
        from homeward.operations.documents import manifest_entries_for_export

        return [str(pk) for pk in manifest_entries_for_export(user, operation)]
    cases = _cases(user, home_state=home_state, status=status).order_by("reference")
    if dataset == Dataset.CHILDREN and filters:
        # from the children list's Export button: the rows that list shows
        listed = _child_filterset(user, filters).qs.values("pk")
        cases = cases.filter(child__in=listed)
    field = "child_id" if dataset == Dataset.CHILDREN else "pk"
    return [str(pk) for pk in cases.values_list(field, flat=True)]


def rows(user, dataset: str, ids: list[str]) -> Iterator[dict]:
    """The rows for `ids` that `user` may still see, as {column key: text}, in reference order."""
    spec = list_dataset(dataset)
    if spec is not None:
        yield from spec.rows(user, ids)
    elif dataset == Dataset.CHILDREN:
        yield from _children_rows(user, ids)
    elif dataset == Dataset.OPERATION_MANIFEST:
        from homeward.operations.documents import manifest_export_rows

        yield from manifest_export_rows(user, ids)
    else:
        yield from _case_rows(user, ids)


def _birth(person: Person) -> str:
    dob = person.date_of_birth
    if person.dob_precision == DobPrecision.RANGE and person.dob_earliest and person.dob_latest:
        return f"{person.dob_earliest:%Y-%m}/{person.dob_latest:%Y-%m}"
    if dob is None or person.dob_precision == DobPrecision.UNKNOWN:
        return ""
    if person.dob_precision == DobPrecision.YEAR:
        return f"{dob:%Y}"
    if person.dob_precision == DobPrecision.MONTH:
        return f"{dob:%Y-%m}"
    return dob.isoformat()


def _name_in(names: list[PersonName], *, arabic: bool) -> str:
    for name in names:
        if (name.script == ARABIC_SCRIPT) == arabic and name.script:
            return name.full_text
    if arabic:  # a name whose script was not recorded: Arabic letters decide
        for name in names:
            if not name.script and any("\u0600" <= ch <= "\u06ff" for ch in name.full_text):
                return name.full_text
    return ""


@dataclass
class _Mother:
    name: str
    pk: str


def _mothers(user, children: list[Person]) -> dict:
    """child id -> the mother the user may see (recorded as "relative is the mother")."""
    visible = Person.objects.for_user(user, "view").filter(kind=PersonKind.ADULT).values("pk")
    links = (
        Relationship.objects.filter(
            person__in=[child.pk for child in children],
            relationship_type=RelationshipType.MOTHER,
            relative__in=visible,
        )
        .select_related("relative")
        .prefetch_related("relative__names")
        .order_by("created_at")
    )
    mothers: dict = {}
    for link in links:
        mothers.setdefault(
            link.person_id, _Mother(link.relative.display_name, str(link.relative.pk))
        )
    return mothers


CHUNK = 500


def _children_rows(user, ids: list[str]) -> Iterator[dict]:
    for start in range(0, len(ids), CHUNK):
        children = list(
            Person.objects.for_user(user, "view")
            .filter(pk__in=ids[start : start + CHUNK], kind=PersonKind.CHILD, case__isnull=False)
            .select_related("case", "case__home_state")
            .prefetch_related(
                Prefetch(
                    "names", queryset=PersonName.objects.order_by("-is_primary", "created_at")
                ),
                Prefetch(
                    "custody_episodes",
                    queryset=CustodyEpisode.objects.filter(ended_on__isnull=True).select_related(
                        "facility"
                    ),
                    to_attr="open_episodes",
                ),
            )
            .order_by("case__reference")
        )
        mothers = _mothers(user, children)
        for child in children:
            names = list(child.names.all())
            episode = child.open_episodes[0] if child.open_episodes else None
            mother = mothers.get(child.pk)
            yield {
                "reference": child.case.reference,
                "name_arabic": _name_in(names, arabic=True),
                "name_home_script": _name_in(names, arabic=False),
                "sex": str(child.get_sex_display()),
                "birth": _birth(child),
                "home_state": child.case.home_state_id,
                "status": str(child.case.get_status_display()),
                "facility": episode.facility.name if episode else "",
                "mother_name": mother.name if mother else "",
                "mother_id": mother.pk if mother else "",
            }


def _date(value) -> str:
    return value.date().isoformat() if value else ""


def _case_rows(user, ids: list[str]) -> Iterator[dict]:
    for start in range(0, len(ids), CHUNK):
        cases = (
            Case.objects.for_user(user, "view")
            .filter(pk__in=ids[start : start + CHUNK])
            .order_by("reference")
        )
        for case in cases:
            yield {
                "reference": case.reference,
                "home_state": case.home_state_id,
                "status": str(case.get_status_display()),
                "status_since": _date(case.status_changed_at),
                "opened": _date(case.opened_at),
                "closed": _date(case.closed_at),
            }
