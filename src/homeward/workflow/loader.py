"""Builds CaseFacts from the database: the only part of the gate engine that queries.

About a dozen queries per case; desks that evaluate many cases should page them.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.crypto.fields import open_sealed
from homeward.evidence.choices import ClaimStatus, SentenceStatus
from homeward.evidence.models import (
    Assurance,
    BestInterestsAssessment,
    Clearance,
    Consent,
    CourtCase,
    DNAResult,
    DNASample,
    ExitAuthorization,
    GuardianCandidate,
    NationalityClaim,
    NationalityDetermination,
    Sentence,
    TravelDocument,
)
from homeward.people.choices import DobPrecision, LegalStatus, RelationshipType
from homeward.people.models import Relationship, years_between
from homeward.workflow.facts import (
    AssessmentFact,
    CaseFacts,
    ClaimFact,
    ClearanceFact,
    ConsentFact,
    DeterminationFact,
    DNAFact,
    GuardianFact,
)
from homeward.workflow.policies import policy_in_force

__all__ = ["load_facts", "mission_label", "moment"]

# A sibling in one of these states no longer travels with the group.
LEFT_THE_GROUP = [
    CaseStatus.CLOSED,
    CaseStatus.DECEASED,
    CaseStatus.TRANSFERRED_OUT,
    CaseStatus.IRAQI_NATIONAL_REFERRAL,
    CaseStatus.AGED_OUT,
]
APPROVED_OR_LATER = [
    CaseStatus.APPROVED,
    CaseStatus.SCHEDULED,
    CaseStatus.HANDED_OVER,
    CaseStatus.RECEIVED,
    CaseStatus.FOLLOW_UP,
    CaseStatus.WITHDRAWN_FROM_OPERATION,
]


def moment(today: datetime.date | None) -> datetime.datetime:
    """Now, or noon (local time) on `today` when the caller fixes the day."""
    if today is None:
        return timezone.localtime()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 0)))


def mission_label(home_state) -> str:
    """The name of the state's mission ("Embassy of Tajikistan"), or a generic one."""
    name = (
        Agency.objects.filter(kind=AgencyKind.HOME_STATE_MISSION, country_id=home_state.pk)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    return name or gettext("Embassy of %(country)s") % {"country": home_state.display_name}


def _max_age(child, on: datetime.date) -> int | None:
    born = child.earliest_possible_birth
    return years_between(born, on) if born else None


def _child_facts(case: Case, now: datetime.datetime) -> dict:
    child = case.child
    mother_link = (
        Relationship.objects.filter(person=child, relationship_type=RelationshipType.MOTHER)
        .select_related("relative")
        .first()
    )
    mother = mother_link.relative if mother_link else None
    donors = set(DNASample.objects.filter(case=case).values_list("donor_id", flat=True))
    return {
        "dob_known": child.dob_precision != DobPrecision.UNKNOWN,
        "age_estimated": child.age_is_estimated,
        "max_age": _max_age(child, now.date()),
        "languages_known": bool(child.languages),
        "unaccompanied": child.unaccompanied,
        "born_in_home_state": (
            None
            if child.place_of_birth_country_id is None
            else child.place_of_birth_country_id == case.home_state_id
        ),
        "mother_linked": mother is not None,
        "mother_alive": mother is not None
        and mother.date_of_death is None
        and mother.legal_status != LegalStatus.DECEASED,
        "child_sample": child.pk in donors,
        "mother_sample": mother is not None and mother.pk in donors,
    }


def _nationality_facts(case: Case) -> dict:
    claims = list(
        NationalityClaim.objects.filter(case=case, claimed_state_id=case.home_state_id).exclude(
            status=ClaimStatus.WITHDRAWN
        )
    )
    determinations = NationalityDetermination.objects.filter(claim__in=claims)
    dna = DNAResult.objects.filter(comparison__case=case).values_list(
        "pk", "comparison__hypothesis", "conclusion", "comparison__recorded_at"
    )
    return {
        "claims": [
            ClaimFact(c.recorded_at, c.notified_on, c.acknowledged_on, c.consular_access_on)
            for c in claims
        ],
        "determinations": [
            DeterminationFact(d.decision, d.instrument_type, d.recorded_at) for d in determinations
        ],
        "dna": [
            DNAFact(hypothesis, open_sealed(DNAResult, "conclusion", sealed, pk), recorded_at)
            for pk, hypothesis, sealed, recorded_at in dna
        ],
    }


def _care_facts(case: Case) -> dict:
    assurances = list(Assurance.objects.filter(covered_cases=case))
    return {
        "consents": [
            ConsentFact(c.decision, c.scope, c.decided_on, c.recorded_at)
            for c in Consent.objects.filter(covered_cases=case)
        ],
        "guardians": [
            GuardianFact(g.vetting, g.recorded_at)
            for g in GuardianCandidate.objects.filter(case=case)
        ],
        "assurance_items": {item for a in assurances for item in a.items},
        "assurance_since": min((a.recorded_at for a in assurances), default=None),
        "assessments": [
            AssessmentFact(
                a.kind,
                a.recommendation,
                a.recorded_at,
                a.separation_from_mother_ok,
                a.separation_from_siblings_ok,
            )
            for a in BestInterestsAssessment.objects.filter(case=case)
        ],
    }


def _clearance_facts(case: Case) -> dict:
    newest: dict[str, ClearanceFact] = {}
    for c in Clearance.objects.filter(case=case).order_by("requested_at"):
        newest[c.clearance_type] = ClearanceFact(
            c.status, c.requested_at, c.decided_at, c.expires_at
        )
    courts = CourtCase.objects.filter(defendant_id=case.child_id)
    serving = Sentence.objects.filter(court_case__in=courts).exclude(
        status__in=[*SentenceStatus.ended(), SentenceStatus.EXECUTED]
    )
    return {
        "clearances": newest,
        "travel_documents_valid_until": list(
            TravelDocument.objects.filter(case=case).values_list("valid_until", flat=True)
        ),
        "exit_authorized": ExitAuthorization.objects.filter(case=case).exists(),
        "has_court_cases": courts.exists(),
        "pending_court_cases": sum(1 for c in courts if c.is_pending),
        "serving_sentences": serving.count(),
    }


def _siblings_not_ready(case: Case, facts: CaseFacts, today: datetime.date) -> int | None:
    """How many siblings who must travel with the child are not ready for approval."""
    from homeward.workflow.gates import evaluate, unmet

    group = case.family_group
    if group is None or not group.must_travel_together:
        return None
    if any(a.separation_from_siblings_ok for a in facts.assessments):
        return None  # a best-interests decision allows this child to go separately
    others = (
        Case.objects.filter(family_group=group)
        .exclude(pk=case.pk)
        .exclude(status__in=LEFT_THE_GROUP)
    )
    not_ready = 0
    for sibling in others.select_related("child", "home_state"):
        if sibling.status in APPROVED_OR_LATER:
            continue
        if sibling.status != CaseStatus.CLEARANCE:
            not_ready += 1
            continue
        sibling_facts = load_facts(sibling, today=today, include_siblings=False)
        if unmet(evaluate(sibling_facts, CaseStatus.APPROVED)):
            not_ready += 1
    return not_ready


def load_facts(
    case: Case, *, today: datetime.date | None = None, include_siblings: bool = True
) -> CaseFacts:
    """Everything the gate needs about `case` on `today` (default: now)."""
    now = moment(today)
    case = Case.objects.select_related("child", "home_state", "family_group").get(pk=case.pk)
    facts = CaseFacts(
        status=case.status,
        status_since=case.status_changed_at,
        now=now,
        home_state=case.home_state_id,
        mission_label=mission_label(case.home_state),
        policy=policy_in_force(case.home_state_id, now.date()),
        **_child_facts(case, now),
        **_nationality_facts(case),
        **_care_facts(case),
        **_clearance_facts(case),
    )
    if include_siblings:
        facts.siblings_not_ready = _siblings_not_ready(case, facts, now.date())
    return facts
