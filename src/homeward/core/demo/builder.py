"""Plan the demo data set: pure data, no database, the same plan for the same seed.

`build_plan(random.Random(seed), n)` returns a `Plan`; `homeward.core.demo.writer` writes it
through the services. The plan reproduces Iraq's published return series (domain.md §0.3,
§0.4) exactly when n ≥ FULL_SERIES_MINIMUM (the default 1,200 does):

| as of        | cumulative | batch that made it                    | here                         |
|--------------|-----------:|---------------------------------------|------------------------------|
| 30 Dec 2018  |         30 | Russia, first EMERCOM flight          | RU 30 (published)            |
| 10 Feb 2019  |            | Russia, 39 planned, 27 flown          | RU 27 (published)            |
| 30 Apr 2019  |            | Tajikistan, FlyErbil charter          | TJ 84 (published)            |
| 29 May 2019  |            | Türkiye, Baghdad airport with UNICEF  | TR 188 (published)           |
| 10 Jul 2019  |            | Russia, 34 planned, 33 flew           | RU 33 (published)            |
| 15 Jul 2019  |        473 | MFA statement (S1, S2)                | + synthetic AZ, TR, UA, DE,  |
|              |            |                                       |   GE, FR, BY, FI batches     |
| 15 Oct 2019  |        537 | 64 Uzbek children (Mehr-2)            | UZ 64 (published)            |
| 18 Nov 2019  |            | Russia's last flight, 122 in total    | RU 32 (published)            |
| Nov 2019     |            | Kazakhstan, 14 from Rusafa prison     | KZ 14 (day synthetic)        |
| 18 Dec 2019  |        598 | Sweden, Algeria added                 | + synthetic TJ, SE, DZ       |
| 4 Mar 2020   |        828 | 82 Azerbaijani children               | AZ 82 (published) + synthetic|
|              |            |                                       |   TR, KZ, UZ, TJ, KG, GE, UA |
| 2020 [U]     |        940 | 112 Azerbaijani (248 in all)          | AZ 112 (day synthetic)       |

Synthetic batches fill the gaps so that every published cumulative figure comes out exact,
with Russia's total at 122, Türkiye's near the "about 250" reported, and Azerbaijan's at
248. The series stops at 940: the later returns (Kyrgyzstan's 79 in March 2021,
Azerbaijan's 38 in October 2021) are left as the pending workload, so the default data set
has 940 returned children and 260 still in Iraqi custody, in every pre-handover state and
the side states. With fewer children every batch is scaled down (the totals then no longer
match the published figures) and the pending share shrinks with it.

Everything else is shaped like domain.md §1.2 and §5: most children live with mothers in
the Rusafa women's prison after a 2017 stay at Tal Kayf or Hammam al-Alil; boys (and a few
girls) aged 9 or over at arrest are in juvenile reform; unaccompanied children are in MOLSA
orphanages; about 5% of the pending children are foundlings known only by a name the
orphanage gave them; sibling groups of 2–5 share a mother, some with different fathers
(half-siblings on the mother's side) and some co-wives' children share a father; fathers
are often known only by a kunya; dates of birth are mostly estimates.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from homeward.cases.choices import IN_CUSTODY_STATES, MAIN_STATES, SIDE_STATES, CaseStatus
from homeward.core.demo import names as pools
from homeward.people.choices import (
    DobPrecision,
    DobSource,
    LegalStatus,
    NameType,
    OrphanStatus,
    RelationshipBasis,
    RelationshipType,
)

__all__ = ["BATCHES", "DEFAULT_CHILDREN", "DEFAULT_SEED", "SNAPSHOT", "Batch", "Plan", "build_plan"]

DEFAULT_CHILDREN = 1200
DEFAULT_SEED = 20190710
SNAPSHOT = datetime.date(2025, 10, 1)  # the data set's "today": every date is on or before it


@dataclass(frozen=True)
class Batch:
    """One handover at Baghdad airport: its date, state and number of children."""

    handed_over_on: datetime.date
    state: str
    children: int
    published: bool  # date and count as reported; False = synthetic filler
    note: str = ""


D = datetime.date
BATCHES: tuple[Batch, ...] = (
    Batch(D(2018, 12, 30), "RU", 30, True, "Russia's first flight (S8, S13)"),
    Batch(D(2019, 1, 24), "AZ", 30, False),
    Batch(D(2019, 2, 10), "RU", 27, True, "39 planned, 27 flown (S9)"),
    Batch(D(2019, 3, 12), "TR", 20, False),
    Batch(D(2019, 3, 27), "UA", 10, False),
    Batch(D(2019, 4, 8), "DE", 9, False),
    Batch(D(2019, 4, 17), "GE", 4, False),
    Batch(D(2019, 4, 30), "TJ", 84, True, "FlyErbil charter (S32)"),
    Batch(D(2019, 5, 14), "FR", 5, False),
    Batch(D(2019, 5, 29), "TR", 188, True, "Baghdad airport, with UNICEF (S41, S43)"),
    Batch(D(2019, 6, 12), "BY", 6, False),
    Batch(D(2019, 6, 19), "AZ", 24, False),
    Batch(D(2019, 6, 26), "FI", 3, False),
    Batch(D(2019, 7, 10), "RU", 33, True, "34 planned, 33 flew; 473 by 15 Jul 2019 (S1, S2, S6)"),
    Batch(D(2019, 10, 15), "UZ", 64, True, "Mehr-2 with UNICEF; 537 (S34, S35)"),
    Batch(D(2019, 11, 18), "RU", 32, True, "Russia's last flight, 122 in total (S10, S11)"),
    Batch(
        D(2019, 11, 28), "KZ", 14, False, "14 from Rusafa prison, Nov 2019 (S103); day synthetic"
    ),
    Batch(D(2019, 12, 4), "TJ", 8, False),
    Batch(D(2019, 12, 10), "SE", 3, False),
    Batch(D(2019, 12, 16), "DZ", 4, False, "598 by 18 Dec 2019 (S36)"),
    Batch(D(2020, 1, 14), "TR", 42, False),
    Batch(D(2020, 1, 22), "KZ", 30, False),
    Batch(D(2020, 1, 29), "UZ", 25, False),
    Batch(D(2020, 2, 5), "TJ", 20, False),
    Batch(D(2020, 2, 12), "KG", 16, False),
    Batch(D(2020, 2, 19), "GE", 5, False),
    Batch(D(2020, 2, 24), "UA", 10, False),
    Batch(D(2020, 3, 4), "AZ", 82, True, "828 (S37)"),
    Batch(D(2020, 10, 21), "AZ", 112, False, "940, 248 Azerbaijani (S38); day synthetic [U]"),
)
RETURNED_TOTAL = sum(batch.children for batch in BATCHES)  # 940
FULL_SERIES_MINIMUM = RETURNED_TOTAL + 60  # below this, batches are scaled down

# Children still in Iraqi custody, by home state (relative weights; scaled to n − returned).
PENDING_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("KG", 60),
    ("AZ", 40),
    ("TR", 30),
    ("UZ", 25),
    ("KZ", 15),
    ("TJ", 11),
    ("FR", 10),
    ("RU", 8),
    ("DE", 8),
    ("UA", 6),
    ("DZ", 5),
    ("GE", 4),
    ("BY", 3),
    ("SE", 3),
    ("FI", 2),
)

PENDING_STATUS_WEIGHTS: tuple[tuple[str, int], ...] = (
    (CaseStatus.REGISTERED, 3),
    (CaseStatus.PROFILED, 6),
    (CaseStatus.NATIONALITY_CLAIMED, 10),
    (CaseStatus.HOME_STATE_ENGAGED, 12),
    (CaseStatus.VERIFICATION, 14),
    (CaseStatus.NATIONALITY_CONFIRMED, 10),
    (CaseStatus.CARE_PLANNING, 9),
    (CaseStatus.CLEARANCE, 7),
    (CaseStatus.APPROVED, 5),
    (CaseStatus.ON_HOLD, 3),
    (CaseStatus.HOME_STATE_UNRESPONSIVE, 6),
    (CaseStatus.NATIONALITY_DISPUTED, 2),
    (CaseStatus.TRANSFERRED_OUT, 1),
    (CaseStatus.IRAQI_NATIONAL_REFERRAL, 1),
)
# France returned children case by case (domain.md §1.2): refusals and holds dominate.
STATE_STATUS_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "FR": (
        (CaseStatus.HOME_STATE_REFUSED, 6),
        (CaseStatus.ON_HOLD, 4),
        (CaseStatus.HOME_STATE_ENGAGED, 3),
        (CaseStatus.VERIFICATION, 2),
    ),
}
# The first pending family of these states, and the first pending families overall, show
# one each of these situations, so that every seed demonstrates them.
FIRST_STATUS_BY_STATE: dict[str, str] = {
    "RU": CaseStatus.WITHDRAWN_FROM_OPERATION,  # the one of 34 who did not board on 10 July 2019
    "FR": CaseStatus.HOME_STATE_REFUSED,
}
SHOWCASE_STATUSES: tuple[str, ...] = (
    CaseStatus.HOME_STATE_UNRESPONSIVE,
    CaseStatus.NATIONALITY_DISPUTED,
    CaseStatus.ON_HOLD,
    CaseStatus.TRANSFERRED_OUT,
    CaseStatus.IRAQI_NATIONAL_REFERRAL,
    CaseStatus.APPROVED,
    CaseStatus.SCHEDULED,  # siblings on a planned flight
    CaseStatus.STATELESSNESS_REVIEW,
    CaseStatus.DECEASED,  # a child who died in hospital while the case was open
    CaseStatus.CLEARANCE,
)
SIDE_RETURNS: dict[str, str] = {
    CaseStatus.HOME_STATE_UNRESPONSIVE: CaseStatus.NATIONALITY_CLAIMED,
    CaseStatus.HOME_STATE_REFUSED: CaseStatus.HOME_STATE_ENGAGED,
    CaseStatus.NATIONALITY_DISPUTED: CaseStatus.VERIFICATION,
    CaseStatus.STATELESSNESS_REVIEW: CaseStatus.VERIFICATION,
    CaseStatus.TRANSFERRED_OUT: CaseStatus.PROFILED,
    CaseStatus.IRAQI_NATIONAL_REFERRAL: CaseStatus.PROFILED,
    CaseStatus.WITHDRAWN_FROM_OPERATION: CaseStatus.APPROVED,
}
CUSTODY_END_REASONS: dict[str, str] = {
    CaseStatus.TRANSFERRED_OUT: "Transferred to Kurdistan Region custody (Erbil)",
    CaseStatus.IRAQI_NATIONAL_REFERRAL: "Released to Iraqi paternal relatives",
    CaseStatus.AGED_OUT: "Reached 18: no longer held as a child",
    CaseStatus.DECEASED: "Died in hospital",
}
RETURNED_FINAL = (
    (CaseStatus.CLOSED, 45),
    (CaseStatus.FOLLOW_UP, 30),
    (CaseStatus.RECEIVED, 18),
    (CaseStatus.HANDED_OVER, 7),
)
FAMILY_SIZES = ((1, 44), (2, 27), (3, 16), (4, 9), (5, 4))
MOTHER_STATUSES = (
    (LegalStatus.SENTENCED, 48),
    (LegalStatus.SENTENCED_LIFE, 27),
    (LegalStatus.SENTENCED_DEATH, 11),
    (LegalStatus.AWAITING_TRIAL, 4),
)

FACILITIES: dict[str, dict] = {
    "rusafa": {
        "name": "سجن الرصافة للنساء",
        "name_en": "Rusafa Women's Prison",
        "facility_type": "women_prison",
        "authority": "moj_ics",
        "governorate": "Baghdad",
        "capacity": 1500,
    },
    "tasfirat": {
        "name": "دائرة إصلاح الأحداث – التسفيرات",
        "name_en": "Tasfirat Juvenile Reform Facility",
        "facility_type": "juvenile_reform",
        "authority": "moj_jrd",
        "governorate": "Baghdad",
        "capacity": 400,
    },
    "hanan": {
        "name": "دار الحنان للأيتام",
        "name_en": "Dar al-Hanan Orphanage",
        "facility_type": "orphanage",
        "authority": "molsa",
        "governorate": "Baghdad",
        "capacity": 120,
    },
    "rahma": {
        "name": "دار الرحمة لرعاية الأطفال – الكرخ",
        "name_en": "Dar al-Rahma Children's Home, Karkh",
        "facility_type": "orphanage",
        "authority": "molsa",
        "governorate": "Baghdad",
        "capacity": 80,
    },
    "talkayf": {
        "name": "موقع احتجاز تلكيف",
        "name_en": "Tal Kayf detention site",
        "facility_type": "detention_site",
        "authority": "moi",
        "governorate": "Nineveh",
        "is_active": False,
    },
    "hammam": {
        "name": "موقع تدقيق حمام العليل",
        "name_en": "Hammam al-Alil screening site",
        "facility_type": "detention_site",
        "authority": "moi",
        "governorate": "Nineveh",
        "is_active": False,
    },
    "hospital": {
        "name": "مستشفى بغداد التعليمي للأطفال",
        "name_en": "Baghdad Paediatric Teaching Hospital",
        "facility_type": "hospital",
        "authority": "moh",
        "governorate": "Baghdad",
    },
}
FACILITY_ACTORS = {"hanan": "molsa.carer", "rahma": "molsa.carer", "hospital": "molsa.carer"}
ISIS_BIRTHPLACES = (
    ("IQ", "Mosul"),
    ("IQ", "Tal Afar"),
    ("IQ", "Hawija"),
    ("IQ", "al-Qaim"),
    ("SY", "Raqqa"),
    ("SY", "Deir ez-Zor"),
)
ASSIGNED_GIVEN = (
    ("male", "عبد الله"),
    ("male", "محمد"),
    ("male", "علي"),
    ("male", "عمر"),
    ("female", "أمل"),
    ("female", "نور"),
    ("female", "هدى"),
    ("female", "رحمة"),
)
ASSIGNED_FATHER = ("عبد الله", "عبد الرحمن", "عبد الكريم")
ASSIGNED_FAMILY = ("العراقي", "البغدادي", "الموصلي")


# -- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePlan:
    full_text: str
    name_type: str
    script: str
    language: str = ""
    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    source: str = ""
    is_primary: bool = False

    def as_fields(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PersonPlan:
    key: str
    fields: dict  # Person fields; place_of_birth_country is an ISO code
    names: tuple[NamePlan, ...]
    actor: str


@dataclass(frozen=True)
class Placement:
    facility: str  # key of FACILITIES
    started_on: datetime.date
    with_mother: bool
    legal_basis: str
    reason: str
    actor: str


@dataclass(frozen=True)
class StatusStep:
    status: str
    on: datetime.date
    return_status: str = ""


@dataclass(frozen=True)
class CustodyEnd:
    ended_on: datetime.date
    reason: str
    actor: str


@dataclass(frozen=True)
class ChildPlan:
    person: PersonPlan
    home_state: str
    mother: str | None
    placements: tuple[Placement, ...]
    statuses: tuple[StatusStep, ...]
    custody_end: CustodyEnd | None
    handed_over_on: datetime.date | None
    juvenile: bool

    @property
    def key(self) -> str:
        return self.person.key

    @property
    def status(self) -> str:
        return self.statuses[-1].status if self.statuses else CaseStatus.REGISTERED


@dataclass(frozen=True)
class LinkPlan:
    person: str
    relative: str
    relationship_type: str
    basis: str
    verified_by: str = ""
    verified_on: datetime.date | None = None
    actor: str = "moj.registrar"


@dataclass(frozen=True)
class GroupPlan:
    label: str
    children: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    children_requested: int
    batches: tuple[Batch, ...]
    adults: tuple[PersonPlan, ...]
    children: tuple[ChildPlan, ...]
    links: tuple[LinkPlan, ...]
    groups: tuple[GroupPlan, ...]

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted({child.home_state for child in self.children}))

    def returned_by(self, day: datetime.date) -> int:
        return sum(1 for c in self.children if c.handed_over_on and c.handed_over_on <= day)

    def handed_over_on(self, day: datetime.date) -> dict[str, int]:
        counts: dict[str, int] = {}
        for child in self.children:
            if child.handed_over_on == day:
                counts[child.home_state] = counts.get(child.home_state, 0) + 1
        return counts


# -- cohorts: who is returned when, and who is still waiting ------------------------------


@dataclass(frozen=True)
class Cohort:
    state: str
    children: int
    batch: Batch | None  # None: still in custody


def scaled_batches(n: int) -> tuple[Batch, ...]:
    """The batch table, exact when n is large enough, otherwise scaled down to about n·940/1200."""
    if n >= FULL_SERIES_MINIMUM:
        return BATCHES
    factor = n / DEFAULT_CHILDREN
    scaled = (
        Batch(b.handed_over_on, b.state, round(b.children * factor), False, b.note) for b in BATCHES
    )
    return tuple(batch for batch in scaled if batch.children > 0)


def allocate(total: int, weights: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Split `total` by weight (largest remainder), keeping the order of `weights`."""
    weight_sum = sum(weight for _code, weight in weights)
    exact = [(code, total * weight / weight_sum) for code, weight in weights]
    counts = {code: int(share) for code, share in exact}
    leftovers = sorted(exact, key=lambda item: (-(item[1] - int(item[1])), item[0]))
    for code, _share in leftovers[: total - sum(counts.values())]:
        counts[code] += 1
    return [(code, counts[code]) for code, _weight in weights if counts[code]]


def plan_cohorts(n: int) -> list[Cohort]:
    batches = scaled_batches(n)
    returned = [Cohort(batch.state, batch.children, batch) for batch in batches]
    pending_total = max(n - sum(batch.children for batch in batches), 0)
    pending = [
        Cohort(code, count, None) for code, count in allocate(pending_total, PENDING_WEIGHTS)
    ]
    return returned + pending


# -- random helpers ------------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[tuple]) -> object:
    values = [option[0] for option in options]
    return rng.choices(values, weights=[option[1] for option in options])[0]


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _birthday(born: datetime.date, years: int) -> datetime.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, month=3, day=1)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# -- families ------------------------------------------------------------------------------


@dataclass
class Father:
    given: tuple[str, str]  # (native, arabic)
    surname: tuple[str, str]
    kunya: str
    kunya_only: bool
    dead: bool  # most fathers were killed; the rest are missing or unknown
    key: str | None = None  # set when registered as an adult
    children: list[str] = field(default_factory=list)


@dataclass
class Family:
    """Working state while one family of one cohort is generated."""

    nationality: pools.Nationality
    group: pools.Group
    cohort: Cohort
    kind: str  # "mother", "bereaved", "orphanage" or "foundling"
    arrested_on: datetime.date
    transferred_on: datetime.date
    left_home: datetime.date
    from_syria: bool
    juvenile_case: bool
    status: str = CaseStatus.REGISTERED
    return_status: str = ""
    status_on: datetime.date | None = None
    mother: PersonPlan | None = None
    mother_surname: tuple[str, str] = ("", "")
    mother_year: int = 0
    mother_died_on: datetime.date | None = None
    fathers: list[Father] = field(default_factory=list)
    children: list[ChildPlan] = field(default_factory=list)
    child_fathers: list[Father] = field(default_factory=list)

    @property
    def returned(self) -> bool:
        return self.cohort.batch is not None

    @property
    def handover(self) -> datetime.date | None:
        return self.cohort.batch.handed_over_on if self.cohort.batch else None

    @property
    def stage(self) -> int:
        """How far the family's case has gone: an index into the main states."""
        if self.returned:
            return MAIN_STATES.index(CaseStatus.HANDED_OVER)
        status = self.return_status if self.status in SIDE_STATES else self.status
        return MAIN_STATES.index(status)

    @property
    def latest(self) -> datetime.date:
        """The last day custody can still change: the handover, or the snapshot."""
        return (self.handover - _days(30)) if self.handover else SNAPSHOT - _days(60)


class PlanBuilder:
    """Accumulates people, links and groups while cohorts are filled, family by family."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.adults: list[PersonPlan] = []
        self.children: list[ChildPlan] = []
        self.links: list[LinkPlan] = []
        self.groups: list[GroupPlan] = []
        self.counters: dict[str, int] = {}
        self.last_father: dict[str, Father] = {}
        self.firsts = dict(FIRST_STATUS_BY_STATE)
        self.showcase = list(SHOWCASE_STATUSES)
        self.trial_shown = False

    def next_key(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]:04d}"

    # -- cohorts ---------------------------------------------------------------------------

    def fill(self, cohort: Cohort) -> None:
        remaining = cohort.children
        while remaining > 0:
            family = self.new_family(cohort, remaining)
            remaining -= len(family.children)

    def new_family(self, cohort: Cohort, remaining: int) -> Family:
        family = self.start_family(cohort)
        self.choose_status(family)
        size = min(int(_weighted(self.rng, FAMILY_SIZES)), remaining)
        if (
            family.kind == "foundling"
            or family.juvenile_case
            or family.status in (CaseStatus.WITHDRAWN_FROM_OPERATION, CaseStatus.DECEASED)
        ):
            size = 1
        births = self.birth_dates(family, size)
        self.add_parents(family, births)
        for born, father in zip(births, family.child_fathers, strict=True):
            self.add_child(family, born, father)
        self.link_family(family)
        return family

    def start_family(self, cohort: Cohort) -> Family:
        rng = self.rng
        nationality = pools.NATIONALITIES[cohort.state]
        group = _weighted(rng, [(g, g.weight) for g in nationality.groups])
        kind = _weighted(rng, (("mother", 84), ("bereaved", 5), ("orphanage", 11)))
        if cohort.batch is None and rng.random() < 0.09:
            kind = "foundling"
        # A boy of 9 or more transferred in 2019 is still a juvenile in custody today.
        juvenile_case = cohort.batch is None and kind == "mother" and rng.random() < 0.07
        late = 8 if cohort.batch else 15  # the 2019 transfers are mostly still waiting
        wave = (
            "syria"
            if juvenile_case
            else _weighted(rng, (("2017", 92 - late), ("later", 8), ("syria", late)))
        )
        if wave == "2017":  # Tal Afar and Mosul, then Baghdad in November 2017 (domain.md §1.1)
            arrested = _between(rng, D(2017, 7, 10), D(2017, 9, 30))
            transferred = _between(rng, D(2017, 11, 1), D(2017, 11, 30))
        else:
            window = (
                (D(2017, 10, 1), D(2018, 6, 30))
                if wave == "later"
                else (D(2019, 1, 15), D(2019, 9, 30))
            )
            arrested = _between(rng, *window)
            transferred = arrested + _days(rng.randint(30, 90))
        if cohort.batch is not None:
            limit = cohort.batch.handed_over_on - _days(150)
            arrested, transferred = min(arrested, limit - _days(60)), min(transferred, limit)
        left_home = _between(rng, D(2013, 6, 1), D(2015, 12, 31))
        return Family(
            nationality,
            group,
            cohort,
            kind,
            arrested,
            transferred,
            left_home,
            wave == "syria",
            juvenile_case,
        )

    # -- dates of birth --------------------------------------------------------------------

    def birth_dates(self, family: Family, size: int) -> list[datetime.date]:
        """Birth dates, eldest first: the youngest near the arrest, elder ones 1–3 years apart."""
        rng = self.rng
        young_russians = family.cohort.state == "RU"  # Russia's flights: aged 1–9 (S10, S14)
        earliest = D(2010, 1, 1) if young_russians else D(2005, 1, 1)
        with_mother = family.kind in ("mother", "bereaved")
        latest = (
            min(family.arrested_on + _days(250), D(2019, 12, 31))
            if with_mother
            else family.arrested_on - _days(30)
        )
        if family.handover:
            latest = min(latest, family.handover - _days(150))
        if family.kind == "foundling":
            youngest = _between(rng, D(2015, 6, 1), min(D(2017, 12, 31), latest))
        elif family.juvenile_case:
            youngest = _between(rng, D(2008, 1, 1), family.arrested_on - _days(9 * 366))
        elif rng.random() < 0.1 and not young_russians:  # an older child on their own
            oldest = D(2008, 1, 1) if family.from_syria else D(2005, 1, 1)
            youngest = _between(rng, oldest, D(2010, 12, 31))
        else:
            youngest = _between(rng, D(2014, 6, 1), latest)
        births = [youngest]
        while len(births) < size:
            elder = births[-1] - _days(rng.randint(12 * 30, 30 * 30))
            if elder < earliest:
                break
            births.append(elder)
        return births[::-1]

    def dob_fields(self, family: Family, born: datetime.date) -> dict:
        """Date of birth with its precision and source, normalised the way Person.clean does."""
        rng = self.rng
        if family.kind == "foundling":
            return _range_dob(
                rng, born, rng.choice([DobSource.FACILITY_ESTIMATE, DobSource.MEDICAL_ESTIMATE])
            )
        if born >= family.arrested_on:
            return _exact_dob(born, DobSource.IRAQI_DOCUMENT)
        confirmed = family.stage >= MAIN_STATES.index(CaseStatus.NATIONALITY_CONFIRMED)
        if born < family.left_home:
            if rng.random() < (0.5 if confirmed else 0.25):
                return _exact_dob(born, DobSource.HOME_STATE_DOCUMENT)
            return _year_dob(born, DobSource.DECLARED_BY_MOTHER)
        if confirmed and rng.random() < 0.12:  # a home-state court established the birth
            return _exact_dob(born, DobSource.HOME_STATE_DOCUMENT)
        return self.estimated_dob(family, born)

    def estimated_dob(self, family: Family, born: datetime.date) -> dict:
        rng = self.rng
        choice = _weighted(rng, (("year", 50), ("range", 30), ("month", 13), ("day", 7)))
        if choice == "year" and born.year < family.arrested_on.year:
            source = (
                DobSource.DECLARED_BY_MOTHER
                if family.kind != "orphanage"
                else DobSource.FACILITY_ESTIMATE
            )
            return _year_dob(born, source)
        if choice == "range" and born < family.arrested_on - _days(300):
            return _range_dob(rng, born, DobSource.MEDICAL_ESTIMATE, latest=family.arrested_on)
        if choice == "day" or born.replace(day=15) >= family.arrested_on:
            return _exact_dob(born, DobSource.ISIS_DOCUMENT)
        return {
            "date_of_birth": born.replace(day=15),
            "dob_precision": DobPrecision.MONTH,
            "dob_source": DobSource.ISIS_DOCUMENT
            if choice != "year"
            else DobSource.DECLARED_BY_MOTHER,
        }

    def birthplace(self, family: Family, born: datetime.date) -> dict:
        if family.kind == "foundling":
            return {
                "place_of_birth_country": None,
                "place_of_birth_locality": "",
                "born_in_isis_territory": None,
            }
        if born >= family.arrested_on:
            locality = "Baghdad" if born >= family.transferred_on else "Tal Kayf"
            return {
                "place_of_birth_country": "IQ",
                "place_of_birth_locality": locality,
                "born_in_isis_territory": False,
            }
        if born < family.left_home:
            locality = self.rng.choice(family.group.birthplaces)
            return {
                "place_of_birth_country": family.cohort.state,
                "place_of_birth_locality": locality,
                "born_in_isis_territory": False,
            }
        country, locality = self.rng.choice(ISIS_BIRTHPLACES)
        return {
            "place_of_birth_country": country,
            "place_of_birth_locality": locality,
            "born_in_isis_territory": True,
        }

    # -- status ----------------------------------------------------------------------------

    def choose_status(self, family: Family) -> None:
        rng = self.rng
        if family.returned:
            family.status = str(_weighted(rng, RETURNED_FINAL))
            return
        first = self.firsts.pop(family.cohort.state, None)
        if first == CaseStatus.WITHDRAWN_FROM_OPERATION:
            family.status, family.status_on = first, D(2019, 7, 10)
            family.return_status = CaseStatus.APPROVED
            return
        if first:
            options = ((first, 1),)
        elif family.kind != "foundling" and self.showcase:
            options = ((self.showcase.pop(0), 1),)
        elif family.kind == "foundling":
            options = (
                (CaseStatus.STATELESSNESS_REVIEW, 35),
                (CaseStatus.NATIONALITY_DISPUTED, 15),
                (CaseStatus.VERIFICATION, 30),
                (CaseStatus.HOME_STATE_ENGAGED, 20),
            )
        else:
            options = STATE_STATUS_WEIGHTS.get(family.cohort.state, PENDING_STATUS_WEIGHTS)
        family.status = str(_weighted(rng, options))
        if family.status in SIDE_STATES:
            family.return_status = SIDE_RETURNS.get(family.status) or rng.choice(
                MAIN_STATES[
                    MAIN_STATES.index(CaseStatus.PROFILED) : MAIN_STATES.index(CaseStatus.APPROVED)
                ]
            )
        family.status_on = _between(rng, D(2019, 9, 1), SNAPSHOT - _days(14))

    def child_statuses(
        self, family: Family, fields: dict, juvenile: bool, legal: str
    ) -> tuple[StatusStep, ...]:
        if family.returned:
            return self.returned_statuses(family)
        born = fields["date_of_birth"]
        adult_on = _birthday(born, 18)
        family_main = family.return_status or family.status
        if adult_on <= SNAPSHOT:
            return (StatusStep(CaseStatus.AGED_OUT, adult_on, family_main),)
        if juvenile and legal in (LegalStatus.SENTENCED, LegalStatus.AWAITING_TRIAL):
            status = (
                CaseStatus.SERVING_SENTENCE
                if legal == LegalStatus.SENTENCED
                else CaseStatus.IN_JUDICIAL_PROCEEDINGS
            )
            charged = _between(
                self.rng, family.transferred_on, min(family.transferred_on + _days(400), SNAPSHOT)
            )
            return (StatusStep(status, charged, family_main),)
        if family.status == CaseStatus.REGISTERED:
            return ()
        return (StatusStep(family.status, family.status_on, family.return_status),)

    def returned_statuses(self, family: Family) -> tuple[StatusStep, ...]:
        handover = family.handover
        steps = [StatusStep(CaseStatus.HANDED_OVER, handover)]
        later = {
            CaseStatus.RECEIVED: handover + _days(1),
            CaseStatus.FOLLOW_UP: handover + _days(45),
            CaseStatus.CLOSED: min(handover + _days(540), SNAPSHOT),
        }
        if family.status in later:
            steps.append(StatusStep(family.status, later[family.status]))
        return tuple(steps)

    # -- parents ---------------------------------------------------------------------------

    def add_parents(self, family: Family, births: list[datetime.date]) -> None:
        rng = self.rng
        first = self.father_for(family)
        second = self.new_father(family) if len(births) > 1 and rng.random() < 0.12 else None
        switch = rng.randint(1, len(births) - 1) if second else len(births)
        family.child_fathers = [first if index < switch else second for index in range(len(births))]
        family.fathers = [first] + ([second] if second else [])
        if family.kind in ("mother", "bereaved"):
            self.add_mother(family, births[0])
        for father in family.fathers:
            wanted = rng.random() < (0.7 if father.kunya_only else 0.1)
            if family.kind != "foundling" and wanted and father.key is None:
                self.register_father(family, father)

    def father_for(self, family: Family) -> Father:
        """A new father, or (co-wives) the father of the previous family of the same state."""
        previous = self.last_father.get(family.cohort.state)
        if previous is not None and family.kind == "mother" and self.rng.random() < 0.06:
            del self.last_father[family.cohort.state]  # two wives at most in the demo
            return previous
        father = self.new_father(family)
        self.last_father[family.cohort.state] = father
        return father

    def new_father(self, family: Family) -> Father:
        rng = self.rng
        given = rng.choice(family.nationality.male)
        surname = rng.choice(family.group.surnames)
        name_for_kunya = rng.choice(family.nationality.male)[1]
        kunya = pools.kunya(name_for_kunya, family.group.nisba)
        return Father(given, surname, kunya, rng.random() < 0.35, rng.random() < 0.65)

    def add_mother(self, family: Family, eldest_born: datetime.date) -> None:
        rng = self.rng
        nat, group = family.nationality, family.group
        family.mother_year = max(eldest_born.year - rng.randint(17, 32), 1972)
        family.mother_surname = rng.choice(group.surnames)
        given, her_father = rng.choice(nat.female), rng.choice(nat.male)
        status = (
            LegalStatus.DECEASED if family.kind == "bereaved" else _weighted(rng, MOTHER_STATUSES)
        )
        fields = {
            "sex": "female",
            "date_of_birth": D(family.mother_year, 7, 1),
            "dob_precision": DobPrecision.YEAR,
            "dob_source": DobSource.HOME_STATE_DOCUMENT
            if rng.random() < 0.6
            else DobSource.UNKNOWN,
            "place_of_birth_country": family.cohort.state,
            "place_of_birth_locality": rng.choice(group.birthplaces),
            "languages": list(group.languages),
            "legal_status": status,
        }
        if family.kind == "bereaved":
            family.mother_died_on = _between(
                rng, family.transferred_on + _days(60), min(D(2020, 12, 31), family.latest)
            )
            fields["date_of_death"] = family.mother_died_on
        family.mother = PersonPlan(
            self.next_key("m"),
            fields,
            self.mother_names(family, given, her_father),
            "moj.registrar",
        )
        self.adults.append(family.mother)

    def mother_names(
        self, family: Family, given: tuple[str, str], her_father: tuple[str, str]
    ) -> tuple:
        nat = family.nationality
        surname = _gendered(nat, family.mother_surname, "female")
        court = NamePlan(
            f"{given[1]} {her_father[1]} {surname[1]}",
            NameType.COURT_RECORD,
            "Arab",
            "ar",
            given=given[1],
            father=her_father[1],
            family=surname[1],
            source="Central Criminal Court, Rusafa — judgment",
            is_primary=True,
        )
        names = [
            court,
            *_home_names(
                nat, given, her_father[0], surname, "female", "Passport (copy held by the embassy)"
            ),
        ]
        if self.rng.random() < 0.25:
            umm = pools.kunya(self.rng.choice(nat.male)[1], family.group.nisba, female=True)
            names.append(
                NamePlan(umm, NameType.KUNYA, "Arab", "ar", source="Prison register (alias)")
            )
        return tuple(names)

    def register_father(self, family: Family, father: Father) -> None:
        rng = self.rng
        nat = family.nationality
        names = [
            NamePlan(
                father.kunya,
                NameType.KUNYA,
                "Arab",
                "ar",
                source="Mother's statement to the investigating judge",
                is_primary=father.kunya_only,
            )
        ]
        fields = {
            "sex": "male",
            "legal_status": LegalStatus.DECEASED if father.dead else LegalStatus.UNKNOWN,
        }
        if not father.kunya_only:
            grandfather = rng.choice(nat.male)
            names.insert(
                0,
                NamePlan(
                    f"{father.given[1]} {grandfather[1]} {father.surname[1]}",
                    NameType.COURT_RECORD,
                    "Arab",
                    "ar",
                    given=father.given[1],
                    father=grandfather[1],
                    family=father.surname[1],
                    source="Central Investigation Court file",
                    is_primary=True,
                ),
            )
            names.extend(
                _home_names(
                    nat, father.given, grandfather[0], father.surname, "male", "Home-state records"
                )
            )
            year = (
                max(family.mother_year, 1975) - rng.randint(0, 10)
                if family.mother_year
                else rng.randint(1972, 1990)
            )
            fields.update(
                {
                    "date_of_birth": D(year, 7, 1),
                    "dob_precision": DobPrecision.YEAR,
                    "dob_source": DobSource.DECLARED_BY_MOTHER,
                    "place_of_birth_country": family.cohort.state,
                }
            )
        father.key = self.next_key("f")
        self.adults.append(PersonPlan(father.key, fields, tuple(names), "moj.registrar"))

    # -- children --------------------------------------------------------------------------

    def add_child(self, family: Family, born: datetime.date, father: Father) -> None:
        rng = self.rng
        sex = (
            "male"
            if family.juvenile_case and rng.random() < 0.85
            else rng.choice(["female", "male"])
        )
        fields = {"sex": sex, **self.dob_fields(family, born), **self.birthplace(family, born)}
        dob = fields["date_of_birth"]
        age_at_arrest = _age(dob, family.arrested_on)
        chance = 1 if family.juvenile_case else 0.7 if sex == "male" else 0.2
        juvenile = age_at_arrest >= 9 and family.kind == "mother" and rng.random() < chance
        legal = self.child_legal_status(juvenile, pending=not family.returned)
        fields.update(
            {
                "languages": self.child_languages(family, age_at_arrest),
                "unaccompanied": family.kind in ("orphanage", "foundling", "bereaved"),
                "orphan_status": _orphan_status(family, father),
                "legal_status": legal,
            }
        )
        placements = self.placements(family, dob, juvenile)
        statuses = self.child_statuses(family, fields, juvenile, legal)
        key = self.next_key("c")
        person = PersonPlan(
            key, fields, self.child_names(family, father, fields, placements), placements[0].actor
        )
        child = ChildPlan(
            person,
            family.cohort.state,
            family.mother.key if family.mother else None,
            placements,
            statuses,
            self.custody_end(family, statuses, placements),
            family.handover,
            juvenile,
        )
        father.children.append(key)
        family.children.append(child)
        self.children.append(child)

    def child_legal_status(self, juvenile: bool, pending: bool = False) -> str:
        if not juvenile:
            return LegalStatus.UNKNOWN
        legal = str(
            _weighted(
                self.rng,
                (
                    (LegalStatus.SENTENCED, 70),
                    (LegalStatus.AWAITING_TRIAL, 10),
                    (LegalStatus.RELEASED, 20),
                ),
            )
        )
        # The first juvenile still held is on trial, so that every seed shows the state.
        if pending and not self.trial_shown:
            self.trial_shown = True
            legal = LegalStatus.AWAITING_TRIAL
        return legal

    def child_languages(self, family: Family, age_at_arrest: int) -> list[str]:
        """Small children grew up in Arabic-speaking custody; older ones kept home languages."""
        if family.kind == "foundling":
            return []
        if age_at_arrest < 2:
            return ["ar"]
        spoken = family.group.languages[:1] if age_at_arrest < 6 else family.group.languages
        return sorted({*spoken, "ar"})

    # -- custody ---------------------------------------------------------------------------

    def placements(
        self, family: Family, dob: datetime.date, juvenile: bool
    ) -> tuple[Placement, ...]:
        if family.kind in ("orphanage", "foundling"):
            steps = self.orphanage_steps(family, dob)
        else:
            steps = self.prison_steps(family, juvenile)
        kept = [step for step in steps if step.started_on >= dob]
        earlier = [step for step in steps if step.started_on < dob]
        if earlier:  # born in custody: the first placement starts at birth, where the mother was
            where = earlier[-1]
            kept.insert(
                0,
                Placement(
                    where.facility, dob, where.with_mother, "Born in custody", "Birth", where.actor
                ),
            )
        return tuple(kept)

    def prison_steps(self, family: Family, juvenile: bool) -> list[Placement]:
        rng = self.rng
        site = "talkayf" if family.arrested_on < D(2017, 10, 1) and rng.random() < 0.6 else "hammam"
        reason = (
            "Transferred from north-east Syria"
            if family.from_syria
            else "Detained after the fall of Tal Afar and Mosul"
        )
        steps = [
            Placement(
                site, family.arrested_on, True, "Arrested with the mother", reason, "moj.registrar"
            )
        ]
        if juvenile:
            steps.append(
                Placement(
                    "tasfirat",
                    family.transferred_on,
                    False,
                    "Central Investigation Court, Rusafa — juvenile detention order",
                    "Aged 9 or over at arrest: held in juvenile reform",
                    "moj.registrar",
                )
            )
        else:
            steps.append(
                Placement(
                    "rusafa",
                    family.transferred_on,
                    True,
                    "Placed with the detained mother",
                    "Transfer of foreign women and children to Baghdad",
                    "moj.registrar",
                )
            )
        if family.mother_died_on and not juvenile:
            moved = family.mother_died_on + _days(rng.randint(3, 20))
            steps.append(
                Placement(
                    rng.choice(["hanan", "rahma"]),
                    moved,
                    False,
                    "Juvenile Court placement order",
                    "Mother died in custody",
                    "molsa.carer",
                )
            )
        return steps

    def orphanage_steps(self, family: Family, dob: datetime.date) -> list[Placement]:
        rng = self.rng
        found = family.arrested_on
        steps = [
            Placement(
                "hammam",
                found,
                False,
                "Found unaccompanied during the Nineveh operations",
                "Unaccompanied child",
                "molsa.carer",
            )
        ]
        placed = found + _days(rng.randint(20, 70))
        if _age(dob, found) < 2 and rng.random() < 0.6:
            steps.append(
                Placement(
                    "hospital",
                    found + _days(rng.randint(2, 10)),
                    False,
                    "Medical referral",
                    "Malnutrition and dehydration",
                    "molsa.carer",
                )
            )
        steps.append(
            Placement(
                "hanan",
                placed,
                False,
                "Juvenile Court placement order",
                "Placed in state care",
                "molsa.carer",
            )
        )
        earliest, latest = (
            max(D(2019, 1, 1), placed + _days(60)),
            min(D(2020, 12, 31), family.latest),
        )
        if rng.random() < 0.25 and earliest < latest:
            steps.append(
                Placement(
                    "rahma",
                    _between(rng, earliest, latest),
                    False,
                    "MOLSA transfer decision",
                    "Transferred on capacity grounds",
                    "molsa.carer",
                )
            )
        return steps

    def custody_end(
        self, family: Family, statuses: tuple[StatusStep, ...], placements
    ) -> CustodyEnd | None:
        actor = FACILITY_ACTORS.get(placements[-1].facility, "moj.registrar")
        if family.returned:
            country = family.nationality.country
            return CustodyEnd(
                family.handover, f"Handed over to {country} at Baghdad International Airport", actor
            )
        last = statuses[-1] if statuses else None
        if last is None or last.status in IN_CUSTODY_STATES:
            return None
        ended_on = max(last.on, placements[-1].started_on)
        return CustodyEnd(ended_on, CUSTODY_END_REASONS.get(last.status, "Left custody"), actor)

    # -- names -----------------------------------------------------------------------------

    def child_names(
        self, family: Family, father: Father, fields: dict, placements
    ) -> tuple[NamePlan, ...]:
        if family.kind == "foundling":
            return (self.assigned_name(fields["sex"], primary=True),)
        nat, rng, sex = family.nationality, self.rng, fields["sex"]
        given = rng.choice(nat.female if sex == "female" else nat.male)
        names = [self.register_name(family, father, given, sex, placements)]
        if rng.random() < 0.2:
            register = names[0]
            variant = pools.arabic_variant(register.full_text)
            if variant != register.full_text:
                names.append(
                    NamePlan(
                        variant,
                        NameType.COURT_RECORD,
                        "Arab",
                        "ar",
                        given=pools.arabic_variant(register.given),
                        father=pools.arabic_variant(register.father),
                        grandfather=pools.arabic_variant(register.grandfather),
                        family=pools.arabic_variant(register.family),
                        source="Central Investigation Court, Rusafa",
                    )
                )
        if family.kind == "orphanage" and rng.random() < 0.3:
            names.append(self.assigned_name(sex))
        names.extend(self.home_state_names(family, father, given, sex, fields))
        return tuple(names)

    def register_name(
        self, family: Family, father: Father, given, sex: str, placements
    ) -> NamePlan:
        """The child's name as an Iraqi register wrote it: triple name, nasab, kunya or nisba."""
        rng = self.rng
        if any(placement.facility == "tasfirat" for placement in placements):
            name_type, source = NameType.COURT_RECORD, "Juvenile Court, Rusafa — juvenile file"
        elif family.kind in ("mother", "bereaved"):
            name_type, source = NameType.PRISON_REGISTER, "Rusafa women's prison register"
        else:
            name_type, source = NameType.COURT_RECORD, "Juvenile Court placement order"
        link = "بنت" if sex == "female" else "بن"
        nisba = family.group.nisba + ("ة" if sex == "female" else "")
        if father.kunya_only:
            dad, last = father.kunya.rsplit(" ", 1)
            text = (
                f"{given[1]} {link} {dad} {last}"
                if rng.random() < 0.4
                else f"{given[1]} {dad} {last}"
            )
            return NamePlan(
                text,
                name_type,
                "Arab",
                "ar",
                given=given[1],
                father=dad,
                family=last,
                source=source,
                is_primary=True,
            )
        surname = _gendered(family.nationality, father.surname, sex)[1]
        style = _weighted(rng, (("triple", 50), ("nasab", 20), ("chain", 15), ("nisba", 15)))
        grandfather = rng.choice(family.nationality.male)[1] if style == "chain" else ""
        last = {"triple": surname, "nasab": surname, "chain": "", "nisba": nisba}[style]
        parts = [given[1], link if style == "nasab" else "", father.given[1], grandfather, last]
        return NamePlan(
            " ".join(p for p in parts if p),
            name_type,
            "Arab",
            "ar",
            given=given[1],
            father=father.given[1],
            grandfather=grandfather,
            family=last,
            source=source,
            is_primary=True,
        )

    def home_state_names(
        self, family: Family, father: Father, given, sex: str, fields: dict
    ) -> list[NamePlan]:
        rng = self.rng
        nat = family.nationality
        confirmed = family.stage >= MAIN_STATES.index(CaseStatus.NATIONALITY_CONFIRMED)
        documented = confirmed or fields["dob_source"] == DobSource.HOME_STATE_DOCUMENT
        if not documented and rng.random() < 0.4:
            return []
        surname_source = (
            family.mother_surname if father.kunya_only and family.mother else father.surname
        )
        surname = _gendered(nat, surname_source, sex)
        father_native = "" if father.kunya_only else father.given[0]
        if documented:
            source = (
                "Birth certificate"
                if fields["place_of_birth_country"] == family.cohort.state
                else ("Home-state court decision establishing the birth")
            )
            names = _home_names(nat, given, father_native, surname, sex, source)
            latin_wanted = family.returned or family.stage >= MAIN_STATES.index(
                CaseStatus.CLEARANCE
            )
            if not latin_wanted and rng.random() < 0.7:
                names = [name for name in names if name.script == _home_script(nat)]
            return names
        full = _home_full(nat, given, father_native, surname, sex)
        return [
            NamePlan(
                full,
                NameType.DECLARED_BY_MOTHER,
                _home_script(nat),
                nat.language,
                given=_home_given(nat, given),
                family=_home_given(nat, surname),
                source="Mother's declaration to the embassy",
            )
        ]

    def assigned_name(self, sex: str, primary: bool = False) -> NamePlan:
        rng = self.rng
        given = rng.choice([name for s, name in ASSIGNED_GIVEN if s == sex])
        father, family = rng.choice(ASSIGNED_FATHER), rng.choice(ASSIGNED_FAMILY)
        return NamePlan(
            f"{given} {father} {family}",
            NameType.ASSIGNED_BY_FACILITY,
            "Arab",
            "ar",
            given=given,
            father=father,
            family=family,
            source="Dar al-Hanan Orphanage",
            is_primary=primary,
        )

    # -- relationships and groups ----------------------------------------------------------

    def link_family(self, family: Family) -> None:
        basis, verified_by, verified_on = self.mother_basis(family)
        kids = family.children
        if family.mother:
            for child in kids:
                self.links.append(
                    LinkPlan(
                        child.key,
                        family.mother.key,
                        RelationshipType.MOTHER,
                        basis,
                        verified_by,
                        verified_on,
                        _link_actor(basis),
                    )
                )
        for child, father in zip(kids, family.child_fathers, strict=True):
            if father.key:
                self.links.append(
                    LinkPlan(
                        child.key, father.key, RelationshipType.FATHER, RelationshipBasis.DECLARED
                    )
                )
        self.link_siblings(family, basis, verified_by, verified_on)
        self.link_half_siblings_paternal(family)
        if family.kind in ("mother", "bereaved") and self.rng.random() < 0.13:
            self.add_grandparent(family)
        if len(kids) > 1:
            self.groups.append(
                GroupPlan(self.group_label(family), tuple(child.key for child in kids))
            )

    def mother_basis(self, family: Family) -> tuple[str, str, datetime.date | None]:
        rng = self.rng
        lab = "MoH DNA laboratory, Baghdad"
        if family.returned:
            if rng.random() < 0.85:
                verified = _between(
                    rng, family.transferred_on + _days(30), family.handover - _days(30)
                )
                return RelationshipBasis.DNA_CONFIRMED, lab, verified
            return RelationshipBasis.DOCUMENTARY, "", None
        if family.stage >= MAIN_STATES.index(CaseStatus.NATIONALITY_CONFIRMED) or (
            family.stage == MAIN_STATES.index(CaseStatus.VERIFICATION) and rng.random() < 0.5
        ):
            return (
                RelationshipBasis.DNA_CONFIRMED,
                lab,
                _between(rng, D(2019, 6, 1), SNAPSHOT - _days(30)),
            )
        return RelationshipBasis.DECLARED, "", None

    def link_siblings(self, family: Family, basis: str, verified_by: str, verified_on) -> None:
        kids, fathers = family.children, family.child_fathers
        sibling_basis = (
            basis if basis == RelationshipBasis.DNA_CONFIRMED else RelationshipBasis.DECLARED
        )
        for i, elder in enumerate(kids):
            for j in range(i + 1, len(kids)):
                same_father = fathers[i] is fathers[j]
                kind = (
                    RelationshipType.FULL_SIBLING
                    if same_father
                    else RelationshipType.HALF_SIBLING_MATERNAL
                )
                self.links.append(
                    LinkPlan(
                        kids[j].key,
                        elder.key,
                        kind,
                        sibling_basis,
                        verified_by if sibling_basis == basis else "",
                        verified_on if sibling_basis == basis else None,
                        _link_actor(sibling_basis),
                    )
                )

    def link_half_siblings_paternal(self, family: Family) -> None:
        """Co-wives' children: the same father, different mothers."""
        own = {child.key for child in family.children}
        for child, father in zip(family.children, family.child_fathers, strict=True):
            for other in father.children:
                if other not in own:
                    self.links.append(
                        LinkPlan(
                            child.key,
                            other,
                            RelationshipType.HALF_SIBLING_PATERNAL,
                            RelationshipBasis.DECLARED,
                        )
                    )

    def add_grandparent(self, family: Family) -> None:
        rng = self.rng
        nat = family.nationality
        maternal = rng.random() < 0.6 or not family.fathers[0].surname
        sex = rng.choice(["female", "female", "male"])
        surname = family.mother_surname if maternal else family.fathers[0].surname
        given, own_father = (
            rng.choice(nat.female if sex == "female" else nat.male),
            rng.choice(nat.male),
        )
        year = family.mother_year - rng.randint(20, 30)
        fields = {
            "sex": sex,
            "date_of_birth": D(year, 7, 1),
            "dob_precision": DobPrecision.YEAR,
            "dob_source": DobSource.HOME_STATE_DOCUMENT,
            "place_of_birth_country": family.cohort.state,
            "place_of_birth_locality": rng.choice(family.group.birthplaces),
            "languages": list(family.group.languages),
            "legal_status": LegalStatus.NOT_DETAINED,
        }
        home = _home_names(
            nat,
            given,
            own_father[0],
            _gendered(nat, surname, sex),
            sex,
            "Tracing request via the ICRC",
        )
        names = tuple(
            NamePlan(**{**name.as_fields(), "is_primary": index == 0})
            for index, name in enumerate(home)
        )
        key = self.next_key("g")
        self.adults.append(PersonPlan(key, fields, names, "mfa.officer"))
        kind = (
            RelationshipType.GRANDPARENT_MATERNAL
            if maternal
            else RelationshipType.GRANDPARENT_PATERNAL
        )
        if family.returned:
            basis, by = RelationshipBasis.DNA_CONFIRMED, f"Forensic centre, {nat.country}"
            on = family.handover - _days(rng.randint(20, 90))
        elif family.cohort.state == "RU":
            basis, by, on = (
                RelationshipBasis.VISUAL_IDENTIFICATION,
                "Relatives, from photographs",
                None,
            )
        else:
            basis, by, on = RelationshipBasis.DECLARED, "", None
        for child in family.children:
            self.links.append(LinkPlan(child.key, key, kind, basis, by, on, "mfa.officer"))

    def group_label(self, family: Family) -> str:
        count, state = len(family.children), family.cohort.state
        if not family.mother:
            return f"Unaccompanied siblings found {family.arrested_on:%b %Y} ({count}, {state})"
        nat = family.nationality
        surname = _gendered(nat, family.mother_surname, "female")[0]
        latin = pools.latin_variants(surname, nat) if nat.script != "Arab" else []
        return f"Children of {(latin or [surname])[0]} ({count}, {state})"

    def plan(self, n: int, batches: tuple[Batch, ...]) -> Plan:
        return Plan(
            n,
            batches,
            tuple(self.adults),
            tuple(self.children),
            tuple(self.links),
            tuple(self.groups),
        )


# -- small pure helpers --------------------------------------------------------------------


def _exact_dob(born: datetime.date, source: str) -> dict:
    return {"date_of_birth": born, "dob_precision": DobPrecision.DAY, "dob_source": source}


def _year_dob(born: datetime.date, source: str) -> dict:
    return {
        "date_of_birth": D(born.year, 7, 1),
        "dob_precision": DobPrecision.YEAR,
        "dob_source": source,
    }


def _range_dob(
    rng: random.Random, born: datetime.date, source: str, latest: datetime.date = SNAPSHOT
) -> dict:
    earliest = born - _days(rng.randint(120, 300))
    last = min(born + _days(rng.randint(120, 300)), latest)
    middle = earliest + _days((last - earliest).days // 2)
    return {
        "date_of_birth": middle,
        "dob_precision": DobPrecision.RANGE,
        "dob_earliest": earliest,
        "dob_latest": last,
        "dob_source": source,
    }


def _orphan_status(family: Family, father: Father) -> str:
    if family.kind == "bereaved":
        return OrphanStatus.BOTH_DEAD if father.dead else OrphanStatus.MOTHER_DEAD
    if family.kind == "foundling":
        return OrphanStatus.UNKNOWN
    if family.kind == "orphanage":
        return OrphanStatus.BOTH_DEAD if father.dead else OrphanStatus.UNKNOWN
    return OrphanStatus.FATHER_DEAD if father.dead else OrphanStatus.UNKNOWN


def _gendered(nat: pools.Nationality, surname: tuple[str, str], sex: str) -> tuple[str, str]:
    if sex == "female" and nat.gendered_surnames:
        return pools.feminine_surname(*surname)
    return surname


def _home_script(nat: pools.Nationality) -> str:
    return "Arab" if nat.script == "Arab" else nat.script


def _home_given(nat: pools.Nationality, pair: tuple[str, str]) -> str:
    return pair[1] if nat.script == "Arab" else pair[0]


def _home_full(nat, given, father_native: str, surname, sex: str) -> str:
    """The name in the home state's own script and order (surname first in ex-Soviet records)."""
    if nat.script == "Arab":
        return f"{given[1]} {surname[1]}"
    second = pools.patronymic(father_native, sex, nat.patronymic) if father_native else ""
    if nat.script == "Cyrl" or nat.code == "AZ":
        return " ".join(part for part in (surname[0], given[0], second) if part)
    return f"{given[0]} {surname[0]}"


def _home_names(nat, given, father_native: str, surname, sex: str, source: str) -> list[NamePlan]:
    """The legal name in the home state's script, then its Latin (passport) spellings."""
    second = pools.patronymic(father_native, sex, nat.patronymic) if father_native else ""
    legal = NamePlan(
        _home_full(nat, given, father_native, surname, sex),
        NameType.LEGAL_HOME_STATE,
        _home_script(nat),
        nat.language,
        given=_home_given(nat, given),
        father=second if nat.script != "Arab" else "",
        family=_home_given(nat, surname),
        source=source,
    )
    latin_source = f"{given[0]} {surname[0]}"
    variants = [latin_source] if nat.script == "Arab" else pools.latin_variants(latin_source, nat)
    passport = [
        NamePlan(
            text,
            NameType.LEGAL_HOME_STATE if index == 0 else NameType.ALIAS,
            "Latn",
            "",
            given=text.split(" ", 1)[0],
            family=text.split(" ", 1)[-1],
            source="Passport (Latin transliteration)"
            if index == 0
            else "Older document or press spelling",
        )
        for index, text in enumerate(variants)
    ]
    return [legal, *passport]


def _link_actor(basis: str) -> str:
    return "mfa.officer" if basis == RelationshipBasis.DNA_CONFIRMED else "moj.registrar"


def build_plan(rng: random.Random, n: int = DEFAULT_CHILDREN) -> Plan:
    """The whole data set as data: `n` children in returned batches and pending cohorts."""
    if n < 1:
        raise ValueError("The demo needs at least one child.")
    builder = PlanBuilder(rng)
    for cohort in plan_cohorts(n):
        builder.fill(cohort)
    return builder.plan(n, scaled_batches(n))
