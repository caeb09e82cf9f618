"""Plain data the gate rules read: no ORM, so the rules are testable without a database.

`load_facts` (in `loader.py`) builds a CaseFacts from the database; unit tests build one
by hand. Sealed values (DNA conclusions) are present here because the gate must decide on
them; `gates.requirements_for(viewer=...)` decides what a viewer is shown.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AssessmentFact",
    "CaseFacts",
    "ClaimFact",
    "ClearanceFact",
    "ConsentFact",
    "DNAFact",
    "DeterminationFact",
    "GuardianFact",
]


@dataclass(frozen=True)
class ClaimFact:
    recorded_at: datetime.datetime
    notified_on: datetime.date | None = None
    acknowledged_on: datetime.date | None = None
    consular_access_on: datetime.date | None = None


@dataclass(frozen=True)
class DeterminationFact:
    decision: str
    instrument_type: str
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class DNAFact:
    hypothesis: str
    conclusion: str
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class ConsentFact:
    decision: str
    scope: str
    decided_on: datetime.date
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class GuardianFact:
    vetting: str
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class AssessmentFact:
    kind: str
    recommendation: str
    recorded_at: datetime.datetime
    separation_from_mother_ok: bool | None = None
    separation_from_siblings_ok: bool | None = None


@dataclass(frozen=True)
class ClearanceFact:
    status: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None


@dataclass
class CaseFacts:
    """Everything the gate rules need about one case, on one day."""

    status: str
    status_since: datetime.datetime
    now: datetime.datetime
    home_state: str
    mission_label: str
    policy: Any = None  # a RequirementsPolicy (or anything with its rule attributes), or None
    # the child
    dob_known: bool = True
    age_estimated: bool = False
    max_age: int | None = None  # the oldest the child can be, given the date's precision
    languages_known: bool = True
    unaccompanied: bool = False
    born_in_home_state: bool | None = None
    mother_linked: bool = False
    mother_alive: bool = True
    # evidence
    child_sample: bool = False
    mother_sample: bool = False
    claims: list[ClaimFact] = field(default_factory=list)
    determinations: list[DeterminationFact] = field(default_factory=list)
    dna: list[DNAFact] = field(default_factory=list)
    consents: list[ConsentFact] = field(default_factory=list)
    guardians: list[GuardianFact] = field(default_factory=list)
    assurance_items: set[str] = field(default_factory=set)
    assurance_since: datetime.datetime | None = None
    assessments: list[AssessmentFact] = field(default_factory=list)
    clearances: dict[str, ClearanceFact] = field(default_factory=dict)  # newest per type
    travel_documents_valid_until: list[datetime.date] = field(default_factory=list)
    exit_authorized: bool = False
    pending_court_cases: int = 0
    serving_sentences: int = 0
    has_court_cases: bool = False
    siblings_not_ready: int | None = None  # None: no sibling constraint applies

    @property
    def today(self) -> datetime.date:
        return self.now.date()

    def rule(self, name: str, default):
        """A policy rule's value, or the baseline default when no policy is published."""
        return getattr(self.policy, name, default) if self.policy is not None else default
