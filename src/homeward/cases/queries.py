"""Dashboard figures, always counted within the viewer's own scope.

Everything starts from `Case.objects.for_user(user)`: a consul's dashboard is built from
their own nationals only, so no figure, row or total can reveal another state's children.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import IN_CUSTODY_STATES, RETURNED_STATES, SIDE_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.people.choices import LegalStatus, RelationshipType
from homeward.people.models import Relationship

__all__ = ["PHASES", "DashboardFigures", "dashboard_figures", "visible_cases"]

# Columns of the "in custody by nationality" table: the in-custody statuses, grouped.
PHASES = [
    ("registration", _("Registration"), [CaseStatus.REGISTERED, CaseStatus.PROFILED]),
    (
        "nationality",
        _("Nationality"),
        [
            CaseStatus.NATIONALITY_CLAIMED,
            CaseStatus.HOME_STATE_ENGAGED,
            CaseStatus.VERIFICATION,
            CaseStatus.NATIONALITY_CONFIRMED,
        ],
    ),
    (
        "preparation",
        _("Preparing return"),
        [CaseStatus.CARE_PLANNING, CaseStatus.CLEARANCE, CaseStatus.APPROVED, CaseStatus.SCHEDULED],
    ),
    ("held", _("On hold or blocked"), [s for s in SIDE_STATES if s in IN_CUSTODY_STATES]),
]
PHASE_OF = {status: key for key, _label, statuses in PHASES for status in statuses}


@dataclass
class NationalityRow:
    home_state: HomeState
    counts: dict[str, int]
    total: int

    @property
    def segments(self) -> list[tuple[str, str, int, float]]:
        """(phase key, label, count, percent of the row) for the stacked bar."""
        return [
            (key, label, self.counts.get(key, 0), 100 * self.counts.get(key, 0) / self.total)
            for key, label, _statuses in PHASES
            if self.counts.get(key, 0)
        ]

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(key, 0) for key, _label, _statuses in PHASES]


@dataclass
class DashboardFigures:
    total: int = 0
    in_custody: int = 0
    unaccompanied: int = 0
    mother_sentenced: int = 0
    returned: int = 0
    by_nationality: list[NationalityRow] = field(default_factory=list)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def phases(self):
        return [(key, label) for key, label, _statuses in PHASES]

    @property
    def phase_totals(self) -> list[int]:
        return [
            sum(row.counts.get(key, 0) for row in self.by_nationality)
            for key, _label, _statuses in PHASES
        ]


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.for_user(user, "view")


def _sentenced_mother():
    return Relationship.objects.filter(
        person=OuterRef("child"),
        relationship_type=RelationshipType.MOTHER,
        relative__legal_status__in=LegalStatus.sentenced(),
    )


def dashboard_figures(user) -> DashboardFigures:
    """Headline counts, custody by nationality and phase, and cases by status."""
    cases = visible_cases(user)
    in_custody = cases.filter(status__in=IN_CUSTODY_STATES)
    headline = cases.aggregate(
        total=Count("pk"),
        in_custody=Count("pk", filter=Q(status__in=IN_CUSTODY_STATES)),
        unaccompanied=Count(
            "pk", filter=Q(status__in=IN_CUSTODY_STATES, child__unaccompanied=True)
        ),
        returned=Count("pk", filter=Q(status__in=RETURNED_STATES)),
    )
    figures = DashboardFigures(**headline)
    figures.mother_sentenced = in_custody.filter(Exists(_sentenced_mother())).count()
    figures.by_nationality = _custody_by_nationality(in_custody)
    figures.by_status = _by_status(cases)
    return figures


def _custody_by_nationality(in_custody: QuerySet[Case]) -> list[NationalityRow]:
    counts: dict[str, dict[str, int]] = {}
    for row in in_custody.values("home_state", "status").annotate(n=Count("pk")).order_by():
        phase = PHASE_OF[row["status"]]
        state = counts.setdefault(row["home_state"], {})
        state[phase] = state.get(phase, 0) + row["n"]
    states = HomeState.objects.in_bulk(list(counts))
    rows = [
        NationalityRow(states[code], phases, sum(phases.values()))
        for code, phases in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.total, row.home_state.display_name))


def _by_status(cases: QuerySet[Case]) -> list[tuple[str, str, int]]:
    counts = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        (status.value, status.label, counts[status]) for status in CaseStatus if counts.get(status)
    ]
