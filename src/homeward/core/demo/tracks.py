"""Plan the evidence of the children still waiting: pure data, the same for the same plan.

For each child not yet handed over, a `TrackPlan` says how far the case got (its main state,
or the one a side state returns to), how much of the next gate is already under way, and
which showcase situation it demonstrates: a DNA exclusion that disputes nationality, a
mother's refusal that calls for a judicial substitute and a formal BID, an expired
clearance, a travel document about to expire, a death in hospital. The writer
(`homeward.core.demo.evidence`) fulfils each gate's requirements through the services.

Court cases are planned for the mothers of waiting children and for juveniles.
"""

import datetime
import random
from dataclasses import dataclass

from homeward.cases.choices import MAIN_STATES, SIDE_STATES, CaseStatus
from homeward.core.demo.builder import ChildPlan, Plan
from homeward.people.choices import LegalStatus

__all__ = ["CourtPlan", "TrackPlan", "plan_tracks"]

# Situations shown once each (the first child that fits).
DNA_EXCLUDED = "dna_excluded"
CLEARANCE_EXPIRED = "clearance_expired"
DOCUMENT_EXPIRING = "document_expiring"
DIED = "died"
# Situations shown by a share of the children that fit.
CONSENT_REFUSED = "consent_refused"
HOSPITALISED = "hospitalised"


@dataclass(frozen=True)
class TrackPlan:
    child: str  # plan key
    stage: str  # the main state reached
    progress: float  # share of the next gate's requirements already met
    started: float  # share of the rest under way (requested, proposed, sampled…)
    variants: tuple[str, ...] = ()
    seed: int = 0  # for the writer's per-requirement choices and waiting times

    @property
    def deferred(self) -> bool:
        """The final status comes from a real transition the evidence triggers."""
        return DNA_EXCLUDED in self.variants or DIED in self.variants


@dataclass(frozen=True)
class CourtPlan:
    defendant: str  # plan key of a mother or a juvenile
    juvenile: bool
    legal_status: str
    alleged_act_on: datetime.date
    serving: bool


def _stage(child: ChildPlan) -> str:
    step = child.statuses[-1] if child.statuses else None
    if step is None:
        return CaseStatus.REGISTERED
    return step.return_status if step.status in SIDE_STATES else step.status


def plan_tracks(plan: Plan) -> tuple[tuple[TrackPlan, ...], tuple[CourtPlan, ...]]:
    """The evidence plan for every child still waiting, and the court cases to record."""
    rng = random.Random(f"tracks-{plan.children_requested}")
    shown: set[str] = set()
    tracks, courts, mothers = [], [], {}
    for child in plan.children:
        if child.handed_over_on or child.status == CaseStatus.AGED_OUT:
            continue
        stage = _stage(child)
        variants = []
        status = child.status
        if status == CaseStatus.NATIONALITY_DISPUTED and child.mother and DNA_EXCLUDED not in shown:
            variants.append(DNA_EXCLUDED)
            shown.add(DNA_EXCLUDED)
        if status == CaseStatus.DECEASED:
            variants.append(DIED)
        if status == CaseStatus.APPROVED and CLEARANCE_EXPIRED not in shown:
            variants.append(CLEARANCE_EXPIRED)
            shown.add(CLEARANCE_EXPIRED)
        elif status == CaseStatus.SCHEDULED and DOCUMENT_EXPIRING not in shown:
            variants.append(DOCUMENT_EXPIRING)
            shown.add(DOCUMENT_EXPIRING)
        if stage == CaseStatus.CARE_PLANNING and child.mother and rng.random() < 0.35:
            variants.append(CONSENT_REFUSED)
        if rng.random() < 0.04:
            variants.append(HOSPITALISED)
        tracks.append(
            TrackPlan(
                child.key,
                stage,
                round(rng.uniform(0.2, 0.7), 2),
                round(rng.uniform(0.4, 0.9), 2),
                tuple(variants),
                rng.randrange(1 << 30),
            )
        )
        if child.juvenile and status in (
            CaseStatus.SERVING_SENTENCE,
            CaseStatus.IN_JUDICIAL_PROCEEDINGS,
        ):
            courts.append(
                CourtPlan(
                    child.key,
                    True,
                    str(child.person.fields.get("legal_status", "")),
                    child.placements[0].started_on,
                    status == CaseStatus.SERVING_SENTENCE,
                )
            )
        if child.mother and child.mother not in mothers:
            mothers[child.mother] = child.placements[0].started_on
    adults = {adult.key: adult for adult in plan.adults}
    for key, arrested in mothers.items():
        legal = str(adults[key].fields.get("legal_status", ""))
        if legal in (
            LegalStatus.SENTENCED,
            LegalStatus.SENTENCED_LIFE,
            LegalStatus.SENTENCED_DEATH,
            LegalStatus.AWAITING_TRIAL,
        ):
            courts.append(
                CourtPlan(key, False, legal, arrested, legal != LegalStatus.AWAITING_TRIAL)
            )
    return tuple(tracks), tuple(courts)


def gates_up_to(stage: str) -> list[str]:
    """The main states whose gates a case at `stage` has passed (PROFILED … stage)."""
    return list(MAIN_STATES[1 : MAIN_STATES.index(stage) + 1])
