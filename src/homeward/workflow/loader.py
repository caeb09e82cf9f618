"""Builds CaseFacts from the database: the only part of the gate engine that queries.

`load_facts_many` reads every kind of record once for a whole set of cases, so a desk of
hundreds of cases costs a fixed number of queries; `load_facts` is the one-case form.
"""

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext

from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case, FamilyGroup
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

__all__ = ["load_facts", "load_facts_many", "mission_label", "moment"]

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


def _by(rows, key) -> dict:
    """Group `rows` into lists by `key(row)`, keeping their order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _covering(model, case_ids) -> dict:
    """Records of a many-to-many `covered_cases` model, grouped by each case they cover."""
    through = model.covered_cases.through
    records = {r.pk: r for r in model.objects.filter(covered_cases__in=case_ids).distinct()}
    grouped = defaultdict(list)
    links = through.objects.filter(case_id__in=case_ids).values_list(
        "case_id", f"{model._meta.model_name}_id"
    )
    order = {pk: position for position, pk in enumerate(records)}
    for case_id, record_id in sorted(links, key=lambda link: order.get(link[1], 0)):
        if record_id in records:
            grouped[case_id].append(records[record_id])
    return grouped


class _Evidence:
    """Every row the gate reads for a set of cases, fetched with a fixed number of queries.

    One query per kind of record whatever the number of cases, so a desk of hundreds of
    cases costs the same ~20 queries as a single case page.
    """

    def __init__(self, cases: list[Case], on: datetime.date):
        ids = [case.pk for case in cases]
        child_ids = [case.child_id for case in cases]
        states = {case.home_state_id for case in cases}
        self.mothers = {}
        for link in Relationship.objects.filter(
            person_id__in=child_ids, relationship_type=RelationshipType.MOTHER
        ).select_related("relative"):
            self.mothers.setdefault(link.person_id, link.relative)
        self.donors = _by(
            DNASample.objects.filter(case__in=ids).values_list("case_id", "donor_id"),
            lambda row: row[0],
        )
        self.claims = _by(
            NationalityClaim.objects.filter(case__in=ids).exclude(status=ClaimStatus.WITHDRAWN),
            lambda claim: claim.case_id,
        )
        self.determinations = _by(
            NationalityDetermination.objects.filter(
                claim__in=[c.pk for claims in self.claims.values() for c in claims]
            ),
            lambda determination: determination.claim_id,
        )
        self.dna = _by(
            DNAResult.objects.filter(comparison__case__in=ids).values_list(
                "comparison__case_id",
                "pk",
                "comparison__hypothesis",
                "conclusion",
                "comparison__recorded_at",
            ),
            lambda row: row[0],
        )
        self.assurances = _covering(Assurance, ids)
        self.consents = _covering(Consent, ids)
        self.guardians = _by(GuardianCandidate.objects.filter(case__in=ids), lambda g: g.case_id)
        self.assessments = _by(
            BestInterestsAssessment.objects.filter(case__in=ids), lambda a: a.case_id
        )
        self.clearances = _by(
            Clearance.objects.filter(case__in=ids).order_by("requested_at"), lambda c: c.case_id
        )
        self.travel_documents = _by(
            TravelDocument.objects.filter(case__in=ids).values_list("case_id", "valid_until"),
            lambda row: row[0],
        )
        self.exit_authorized = set(
            ExitAuthorization.objects.filter(case__in=ids).values_list("case_id", flat=True)
        )
        self.courts = _by(
            CourtCase.objects.filter(defendant_id__in=child_ids), lambda c: c.defendant_id
        )
        self.serving = _by(
            Sentence.objects.filter(court_case__defendant_id__in=child_ids)
            .exclude(status__in=[*SentenceStatus.ended(), SentenceStatus.EXECUTED])
            .values_list("court_case__defendant_id", flat=True),
            lambda defendant_id: defendant_id,
        )
        self.policies = {state: policy_in_force(state, on) for state in states}
        self.missions = {
            state.pk: mission_label(state) for state in {case.home_state for case in cases}
        }

    def child_facts(self, case: Case, now: datetime.datetime) -> dict:
        child = case.child
        mother = self.mothers.get(child.pk)
        donors = {donor_id for _case, donor_id in self.donors.get(case.pk, [])}
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

    def nationality_facts(self, case: Case) -> dict:
        claims = [
            c for c in self.claims.get(case.pk, []) if c.claimed_state_id == case.home_state_id
        ]
        return {
            "claims": [
                ClaimFact(c.recorded_at, c.notified_on, c.acknowledged_on, c.consular_access_on)
                for c in claims
            ],
            "determinations": [
                DeterminationFact(d.decision, d.instrument_type, d.recorded_at)
                for c in claims
                for d in self.determinations.get(c.pk, [])
            ],
            "dna": [
                DNAFact(hypothesis, open_sealed(DNAResult, "conclusion", sealed, pk), recorded_at)
                for _case, pk, hypothesis, sealed, recorded_at in self.dna.get(case.pk, [])
            ],
        }

    def care_facts(self, case: Case) -> dict:
        assurances = self.assurances.get(case.pk, [])
        return {
            "consents": [
                ConsentFact(c.decision, c.scope, c.decided_on, c.recorded_at)
                for c in self.consents.get(case.pk, [])
            ],
            "guardians": [
                GuardianFact(g.vetting, g.recorded_at) for g in self.guardians.get(case.pk, [])
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
                for a in self.assessments.get(case.pk, [])
            ],
        }

    def clearance_facts(self, case: Case) -> dict:
        newest: dict[str, ClearanceFact] = {}
        for c in self.clearances.get(case.pk, []):
            newest[c.clearance_type] = ClearanceFact(
                c.status, c.requested_at, c.decided_at, c.expires_at
            )
        courts = self.courts.get(case.child_id, [])
        return {
            "clearances": newest,
            "travel_documents_valid_until": [
                valid_until for _case, valid_until in self.travel_documents.get(case.pk, [])
            ],
            "exit_authorized": case.pk in self.exit_authorized,
            "has_court_cases": bool(courts),
            "pending_court_cases": sum(1 for c in courts if c.is_pending),
            "serving_sentences": len(self.serving.get(case.child_id, [])),
        }

    def facts(self, case: Case, now: datetime.datetime) -> CaseFacts:
        return CaseFacts(
            status=case.status,
            status_since=case.status_changed_at,
            now=now,
            home_state=case.home_state_id,
            mission_label=self.missions[case.home_state_id],
            policy=self.policies[case.home_state_id],
            **self.child_facts(case, now),
            **self.nationality_facts(case),
            **self.care_facts(case),
            **self.clearance_facts(case),
        )


def _sibling_groups(cases: list[Case]) -> dict:
    """For each case whose siblings must travel with it: those siblings still in custody."""
    together = set(
        FamilyGroup.objects.filter(
            pk__in={case.family_group_id for case in cases if case.family_group_id},
            must_travel_together=True,
        ).values_list("pk", flat=True)
    )
    members = _by(
        Case.objects.filter(family_group_id__in=together)
        .exclude(status__in=LEFT_THE_GROUP)
        .select_related("child", "home_state"),
        lambda sibling: sibling.family_group_id,
    )
    return {
        case.pk: [s for s in members.get(case.family_group_id, []) if s.pk != case.pk]
        for case in cases
        if case.family_group_id in together
    }


def _siblings_not_ready(cases: list[Case], facts: dict, today: datetime.date) -> None:
    """Count, on each case's facts, the siblings who must travel with it but are not ready.

    Left as None when the child is not in a group that travels together, or when a
    best-interests decision allows the child to go separately.
    """
    from homeward.workflow.gates import evaluate, unmet

    siblings = _sibling_groups(cases)
    in_clearance = {
        sibling.pk: sibling
        for group in siblings.values()
        for sibling in group
        if sibling.status == CaseStatus.CLEARANCE
    }
    ready = {
        pk: not unmet(evaluate(sibling_facts, CaseStatus.APPROVED))
        for pk, sibling_facts in load_facts_many(
            list(in_clearance.values()), today=today, include_siblings=False
        ).items()
    }
    for case in cases:
        if case.pk not in siblings:
            continue
        if any(a.separation_from_siblings_ok for a in facts[case.pk].assessments):
            continue
        facts[case.pk].siblings_not_ready = sum(
            1
            for sibling in siblings[case.pk]
            if sibling.status not in APPROVED_OR_LATER and not ready.get(sibling.pk, False)
        )


def load_facts_many(
    cases, *, today: datetime.date | None = None, include_siblings: bool = True
) -> dict[int, CaseFacts]:
    """The facts of many cases at once, by case id, with a fixed number of queries.

    `cases` must come with `child` loaded (select_related) to stay within that budget.
    """
    cases = list(cases)
    if not cases:
        return {}
    now = moment(today)
    evidence = _Evidence(cases, now.date())
    facts = {case.pk: evidence.facts(case, now) for case in cases}
    if include_siblings:
        _siblings_not_ready(cases, facts, now.date())
    return facts


def load_facts(
    case: Case, *, today: datetime.date | None = None, include_siblings: bool = True
) -> CaseFacts:
    """Everything the gate needs about `case` on `today` (default: now)."""
    case = Case.objects.select_related("child", "home_state", "family_group").get(pk=case.pk)
    return load_facts_many([case], today=today, include_siblings=include_siblings)[case.pk]
