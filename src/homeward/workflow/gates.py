"""The gate engine: what a case still needs before its next main state, and who owes it.

The rules are pure functions of `CaseFacts` (no ORM): `evaluate(facts, target)` returns one
`Requirement` per item the home state's policy and the child's situation demand. Each has a
stable `code`, a plain-words `label`, a `status` (met / waiting / missing / expired /
blocked), who owes it, and since when it is waiting; `describe()` says it in one line:
"Waiting for the home state's nationality confirmation — Embassy of Tajikistan — 41 days".

`requirements_for(case, today=..., viewer=...)` loads the facts and evaluates them. DNA
requirements are *sealed*: a viewer without `evidence.view_dnaresult` is told that a
comparison is recorded, never whether it supported or excluded the hypothesis.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap
from homeward.accounts.choices import AgencyKind
from homeward.cases.choices import MAIN_STATES, SIDE_STATES, CaseStatus
from homeward.evidence.choices import (
    DECIDE_CAPABILITY,
    AssessmentKind,
    AssuranceItem,
    ClearanceStatus,
    ClearanceType,
    ConsentDecision,
    ConsentScope,
    DeterminationDecision,
    DNAConclusion,
    GuardianVetting,
    Hypothesis,
    InstrumentType,
    Recommendation,
)
from homeward.workflow.choices import RequirementStatus as S
from homeward.workflow.facts import CaseFacts

__all__ = ["Owner", "Requirement", "evaluate", "next_state", "requirements_for", "unmet"]

CRIMINAL_RESPONSIBILITY_AGE = 9


@dataclass(frozen=True)
class Owner:
    """Who owes a requirement: an agency kind, its name for people, and the capability that acts."""

    kind: str
    label: str
    capability: str

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Requirement:
    """One item a gate demands. `sealed` marks items whose detail is a sealed DNA result."""

    code: str
    label: str
    status: str
    owed_by: Owner | None
    waiting_since: datetime.datetime | None
    now: datetime.datetime
    waiting_label: str = ""
    detail: str = ""
    sealed: bool = False
    result_recorded: bool = False

    @property
    def is_met(self) -> bool:
        return self.status == S.MET

    @property
    def days_waiting(self) -> int | None:
        """Calendar days in Baghdad since the wait began: a note sent on the 1st has waited
        one day on the 2nd, whatever the hour."""
        if self.waiting_since is None or self.is_met:
            return None
        began = timezone.localtime(self.waiting_since).date()
        return max((timezone.localtime(self.now).date() - began).days, 0)

    def get_status_display(self) -> str:
        return str(S(self.status).label)

    def describe(self) -> str:
        """The requirement in one translated line, for pages, desks and refusals."""
        owner = str(self.owed_by) if self.owed_by else ""
        days = self.days_waiting
        days_text = (
            ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days is not None else ""
        )
        parts: list[str]
        if self.status == S.MET:
            return gettext("%(label)s — done") % {"label": self.label}
        if self.status == S.WAITING:
            parts = [
                str(self.waiting_label or gettext("Waiting for: %(label)s") % {"label": self.label})
            ]
        elif self.status == S.MISSING:
            parts = [gettext("Missing: %(label)s") % {"label": self.label}]
        elif self.status == S.EXPIRED:
            parts = [gettext("Expired: %(label)s") % {"label": self.label}]
        else:
            parts = [gettext("Blocked: %(label)s") % {"label": self.label}]
        if self.detail:
            parts[0] = f"{parts[0]} ({self.detail})"
        parts += [text for text in (owner, days_text) if text]
        return " — ".join(parts)


# -- who owes what ---------------------------------------------------------------------------

MFA = Owner(AgencyKind.COORDINATING_MINISTRY, _("Ministry of Foreign Affairs"), cap.MOVE_CASE)
FACILITY = Owner(AgencyKind.CORRECTIONS, _("Custodial facility"), cap.PROFILE_CASE)
LAB = Owner(AgencyKind.HEALTH, _("MoH DNA laboratory"), cap.ADD_DNA_SAMPLE)
LAB_RESULT = Owner(AgencyKind.HEALTH, _("MoH DNA laboratory"), cap.ADD_DNA_COMPARISON)
UNICEF = Owner(AgencyKind.HUMANITARIAN, _("UNICEF"), cap.ADD_BIA)
MOI = Owner(AgencyKind.INTERIOR, _("MoI residency directorate"), cap.ADD_EXIT_AUTHORIZATION)
JUDICIARY = Owner(AgencyKind.JUDICIARY, _("Higher Judicial Council"), cap.ADD_COURT_CASE)

CLEARANCE_DECIDERS = {
    ClearanceType.JUDICIAL: Owner(
        AgencyKind.JUDICIARY, _("Higher Judicial Council"), DECIDE_CAPABILITY["judicial"]
    ),
    ClearanceType.SECURITY: Owner(
        AgencyKind.INTERIOR, _("Security agencies"), DECIDE_CAPABILITY["security"]
    ),
    ClearanceType.MEDICAL: Owner(
        AgencyKind.CORRECTIONS, _("Facility doctor"), DECIDE_CAPABILITY["medical"]
    ),
    ClearanceType.MINISTRY: Owner(
        AgencyKind.COORDINATING_MINISTRY, _("MFA supervisor"), DECIDE_CAPABILITY["ministry"]
    ),
    ClearanceType.FEE: Owner(
        AgencyKind.COORDINATING_MINISTRY, _("Ministry of Foreign Affairs"), DECIDE_CAPABILITY["fee"]
    ),
}
MFA_REQUEST = Owner(
    AgencyKind.COORDINATING_MINISTRY, _("Ministry of Foreign Affairs"), cap.REQUEST_CLEARANCE
)


def mission(facts: CaseFacts, capability: str) -> Owner:
    return Owner(AgencyKind.HOME_STATE_MISSION, facts.mission_label, capability)


def _at(day: datetime.date | None, facts: CaseFacts) -> datetime.datetime | None:
    """A date as a moment in the facts' time zone (noon), for days-waiting arithmetic."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=facts.now.tzinfo)


def req(facts: CaseFacts, code: str, label, status: str, owner: Owner | None, since=None, **extra):
    """A Requirement; a missing item waits since the case entered its current state."""
    if status in (S.MISSING, S.EXPIRED) and since is None:
        since = facts.status_since
    return Requirement(code, label, status, owner, since, facts.now, **extra)


# -- rules: one function per requirement, None when it does not apply -------------------------

Rule = Callable[[CaseFacts], Requirement | None]


def age_estimate(f: CaseFacts):
    return req(
        f,
        "profile.age_estimate",
        _("Date of birth or age estimate"),
        S.MET if f.dob_known else S.MISSING,
        FACILITY,
    )


def languages(f: CaseFacts):
    return req(
        f,
        "profile.languages",
        _("Languages the child speaks"),
        S.MET if f.languages_known else S.MISSING,
        FACILITY,
    )


def mother_linked(f: CaseFacts):
    if f.unaccompanied:
        return None
    return req(
        f,
        "profile.mother_linked",
        _("Mother or caregiver linked"),
        S.MET if f.mother_linked else S.MISSING,
        FACILITY,
    )


def child_sample(f: CaseFacts):
    return req(
        f,
        "profile.child_sample",
        _("The child's DNA sample"),
        S.MET if f.child_sample else S.MISSING,
        LAB,
    )


def mother_sample(f: CaseFacts):
    if f.unaccompanied or not (f.mother_linked and f.mother_alive):
        return None
    return req(
        f,
        "profile.mother_sample",
        _("The mother's DNA sample"),
        S.MET if f.mother_sample else S.MISSING,
        LAB,
    )


def claim_recorded(f: CaseFacts):
    return req(
        f,
        "nationality.claim",
        _("Nationality claim and its basis"),
        S.MET if f.claims else S.MISSING,
        Owner(MFA.kind, MFA.label, cap.ADD_NATIONALITY_CLAIM),
    )


def home_state_notified(f: CaseFacts):
    notified = any(c.notified_on for c in f.claims)
    return req(
        f,
        "nationality.notified",
        _("Note verbale notifying the home state"),
        S.MET if notified else S.MISSING,
        Owner(MFA.kind, MFA.label, cap.ADD_NATIONALITY_CLAIM),
    )


def home_state_acknowledged(f: CaseFacts):
    owner = mission(f, cap.ACKNOWLEDGE_CLAIM)
    label = _("Home state's acknowledgement and focal point")
    if any(c.acknowledged_on for c in f.claims):
        return req(f, "nationality.acknowledged", label, S.MET, owner)
    notified = sorted(c.notified_on for c in f.claims if c.notified_on)
    if notified:
        return req(
            f,
            "nationality.acknowledged",
            label,
            S.WAITING,
            owner,
            _at(notified[0], f),
            waiting_label=_("Waiting for the home state's acknowledgement"),
        )
    return req(f, "nationality.acknowledged", label, S.MISSING, owner)


def consular_access(f: CaseFacts):
    owner = mission(f, cap.ACKNOWLEDGE_CLAIM)
    label = _("Consular access or visit")
    if any(c.consular_access_on for c in f.claims):
        return req(f, "nationality.consular_access", label, S.MET, owner)
    acknowledged = sorted(c.acknowledged_on for c in f.claims if c.acknowledged_on)
    since = _at(acknowledged[0], f) if acknowledged else f.status_since
    return req(
        f,
        "nationality.consular_access",
        label,
        S.WAITING,
        owner,
        since,
        waiting_label=_("Waiting for consular access"),
    )


def _waiting_on_home_state_since(f: CaseFacts) -> datetime.datetime:
    days = sorted(
        c.acknowledged_on or c.notified_on for c in f.claims if c.acknowledged_on or c.notified_on
    )
    return _at(days[0], f) if days else f.status_since


def nationality_confirmation(f: CaseFacts):
    owner = mission(f, cap.ADD_DETERMINATION)
    label = _("Home state's confirmation of nationality")
    decisions = {d.decision for d in f.determinations}
    if DeterminationDecision.RECOGNISED in decisions:
        return req(f, "nationality.confirmation", label, S.MET, owner)
    if DeterminationDecision.NOT_RECOGNISED in decisions:
        return req(
            f,
            "nationality.confirmation",
            label,
            S.BLOCKED,
            owner,
            detail=_("the home state does not recognise the child"),
        )
    return req(
        f,
        "nationality.confirmation",
        label,
        S.WAITING,
        owner,
        _waiting_on_home_state_since(f),
        waiting_label=_("Waiting for the home state's nationality confirmation"),
    )


def _dna_requirement(f: CaseFacts, code: str, hypothesis: str, label, samples_ready: bool):
    results = sorted((d for d in f.dna if d.hypothesis == hypothesis), key=lambda d: d.recorded_at)
    extra = {"sealed": True, "result_recorded": bool(results)}
    if any(d.conclusion == DNAConclusion.SUPPORTED for d in results):
        return req(f, code, label, S.MET, LAB_RESULT, **extra)
    if results and results[-1].conclusion == DNAConclusion.EXCLUDED:
        return req(
            f,
            code,
            label,
            S.BLOCKED,
            LAB_RESULT,
            results[-1].recorded_at,
            detail=_("excluded"),
            **extra,
        )
    if results:
        return req(
            f,
            code,
            label,
            S.MISSING,
            LAB_RESULT,
            results[-1].recorded_at,
            detail=_("inconclusive: a new comparison is needed"),
            **extra,
        )
    if samples_ready:
        return req(
            f,
            code,
            label,
            S.WAITING,
            LAB_RESULT,
            f.status_since,
            waiting_label=_("Waiting for the DNA comparison"),
            **extra,
        )
    return req(f, code, label, S.MISSING, LAB, **extra)


def dna_mother_child(f: CaseFacts):
    if not (f.rule("requires_dna_mother_child", False) and f.mother_linked):
        return None
    return _dna_requirement(
        f,
        "dna.mother_child",
        Hypothesis.MOTHER_CHILD,
        _("Mother-child DNA comparison"),
        f.child_sample and f.mother_sample,
    )


def dna_kinship(f: CaseFacts):
    no_mother_to_test = f.rule("requires_dna_mother_child", False) and not f.mother_linked
    if not (f.rule("requires_kinship_dna_abroad", False) or no_mother_to_test):
        return None
    return _dna_requirement(
        f,
        "dna.kinship_abroad",
        Hypothesis.KINSHIP_ABROAD,
        _("Kinship DNA comparison with relatives in the home state"),
        f.child_sample,
    )


def home_court_decision(f: CaseFacts):
    if not f.rule("requires_home_court_decision", False):
        return None
    if f.rule("court_decision_only_if_born_abroad", True) and f.born_in_home_state is True:
        return None
    owner = mission(f, cap.ADD_DETERMINATION)
    label = _("Home-state court decision on birth and parentage")
    if any(
        d.decision == DeterminationDecision.RECOGNISED
        and d.instrument_type == InstrumentType.COURT_DECISION
        for d in f.determinations
    ):
        return req(f, "nationality.home_court_decision", label, S.MET, owner)
    pending = [d for d in f.determinations if d.decision == DeterminationDecision.PENDING_COURT]
    if pending:
        return req(
            f,
            "nationality.home_court_decision",
            label,
            S.WAITING,
            owner,
            pending[0].recorded_at,
            waiting_label=_("Waiting for the home-state court's decision"),
        )
    return req(f, "nationality.home_court_decision", label, S.MISSING, owner)


def guardian(f: CaseFacts):
    if not f.rule("requires_guardian_vetting", True):
        return None
    label = _("Guardian vetted by the home state")
    if any(g.vetting == GuardianVetting.APPROVED for g in f.guardians):
        return req(f, "care.guardian", label, S.MET, mission(f, cap.VET_GUARDIAN))
    pending = sorted(g.recorded_at for g in f.guardians if g.vetting == GuardianVetting.PENDING)
    if pending:
        return req(
            f,
            "care.guardian",
            label,
            S.WAITING,
            mission(f, cap.VET_GUARDIAN),
            pending[0],
            waiting_label=_("Waiting for the home state's vetting of the guardian"),
        )
    return req(f, "care.guardian", label, S.MISSING, mission(f, cap.ADD_GUARDIAN))


def assurances(f: CaseFacts):
    if not f.rule("requires_assurances", True):
        return None
    owner = mission(f, cap.ADD_ASSURANCE)
    label = _("Legal assurances from the home state")
    required = set(f.rule("assurance_items", []) or [])
    if not f.assurance_items:
        return req(f, "care.assurances", label, S.MISSING, owner)
    lacking = sorted(required - f.assurance_items)
    if lacking:
        detail = "; ".join(str(AssuranceItem(item).label) for item in lacking)
        return req(
            f,
            "care.assurances",
            label,
            S.MISSING,
            owner,
            f.assurance_since,
            detail=gettext("not yet given: %(items)s") % {"items": detail},
        )
    return req(f, "care.assurances", label, S.MET, owner)


def _latest_consent(f: CaseFacts):
    relevant = [
        c for c in f.consents if c.scope in (ConsentScope.REPATRIATION, ConsentScope.SEPARATION)
    ]
    return max(relevant, key=lambda c: (c.decided_on, c.recorded_at)) if relevant else None


def _mother_opposed(f: CaseFacts) -> bool:
    return any(
        c.decision in (ConsentDecision.REFUSED, ConsentDecision.WITHDRAWN) for c in f.consents
    )


def consent(f: CaseFacts):
    if not (f.rule("requires_mother_consent", False) and f.mother_linked and f.mother_alive):
        return None
    owner = Owner(MFA.kind, MFA.label, cap.ADD_CONSENT)
    label = _("Mother's consent, or a judicial decision in its place")
    latest = _latest_consent(f)
    if latest is None:
        return req(f, "care.consent", label, S.MISSING, owner)
    if latest.decision == ConsentDecision.GIVEN:
        return req(f, "care.consent", label, S.MET, owner)
    if latest.decision == ConsentDecision.JUDICIAL_SUBSTITUTE:
        if f.rule("consent_substitute_allowed", True):
            return req(f, "care.consent", label, S.MET, owner)
        return req(
            f,
            "care.consent",
            label,
            S.BLOCKED,
            owner,
            latest.recorded_at,
            detail=_("this home state requires the mother's own consent"),
        )
    if f.rule("consent_substitute_allowed", True):
        judge = Owner(
            AgencyKind.JUDICIARY, _("Higher Judicial Council"), cap.DECIDE_CONSENT_SUBSTITUTE
        )
        return req(
            f,
            "care.consent",
            label,
            S.WAITING,
            judge,
            latest.recorded_at,
            waiting_label=_("Consent refused: waiting for a judicial decision in its place"),
        )
    return req(
        f,
        "care.consent",
        label,
        S.BLOCKED,
        owner,
        latest.recorded_at,
        detail=_("the mother refused or withdrew consent"),
    )


def bia(f: CaseFacts):
    if not (f.rule("requires_bia", False) or f.unaccompanied):
        return None
    label = _("Best-interests assessment")
    done = sorted(f.assessments, key=lambda a: a.recorded_at)
    if not done:
        return req(f, "care.bia", label, S.MISSING, UNICEF)
    if done[-1].recommendation == Recommendation.DO_NOT_RETURN:
        return req(
            f,
            "care.bia",
            label,
            S.BLOCKED,
            UNICEF,
            done[-1].recorded_at,
            detail=_("return is not recommended"),
        )
    return req(f, "care.bia", label, S.MET, UNICEF)


def bid_separation_from_mother(f: CaseFacts):
    """Separation against the mother's will needs a formal determination (domain.md §2.6)."""
    if not (f.mother_linked and f.mother_alive and _mother_opposed(f)):
        return None
    label = _("Formal best-interests determination on separation from the mother")
    bids = sorted(
        (a for a in f.assessments if a.kind == AssessmentKind.BID), key=lambda a: a.recorded_at
    )
    if not bids:
        return req(f, "care.bid", label, S.MISSING, UNICEF)
    if bids[-1].separation_from_mother_ok:
        return req(f, "care.bid", label, S.MET, UNICEF)
    return req(
        f,
        "care.bid",
        label,
        S.BLOCKED,
        UNICEF,
        bids[-1].recorded_at,
        detail=_("separation is not in the child's best interests"),
    )


def _clearance(f: CaseFacts, kind: str, label, *, renewals_only: bool = False):
    found = f.clearances.get(kind)
    code = f"clearance.{kind}"
    if found is None:
        return None if renewals_only else req(f, code, label, S.MISSING, MFA_REQUEST)
    if found.status == ClearanceStatus.REQUESTED:
        return req(
            f,
            code,
            label,
            S.WAITING,
            CLEARANCE_DECIDERS[kind],
            found.requested_at,
            waiting_label=gettext("Waiting for: %(label)s") % {"label": label},
        )
    if found.status == ClearanceStatus.REJECTED:
        return req(
            f,
            code,
            label,
            S.BLOCKED,
            CLEARANCE_DECIDERS[kind],
            found.decided_at,
            detail=_("rejected"),
        )
    if found.expires_at is not None and found.expires_at <= f.now:
        return req(
            f, code, label, S.EXPIRED, MFA_REQUEST, found.expires_at, detail=_("request it again")
        )
    return req(f, code, label, S.MET, CLEARANCE_DECIDERS[kind])


def _judicial_applies(f: CaseFacts) -> bool:
    return f.has_court_cases or f.max_age is None or f.max_age >= CRIMINAL_RESPONSIBILITY_AGE


def judicial_clearance(f: CaseFacts, renewals_only: bool = False):
    if not _judicial_applies(f):
        return None
    return _clearance(
        f,
        ClearanceType.JUDICIAL,
        _("Judicial clearance (no pending case against the child)"),
        renewals_only=renewals_only,
    )


def security_clearance(f: CaseFacts, renewals_only: bool = False):
    if not f.rule("requires_security_clearance", True):
        return None
    return _clearance(
        f, ClearanceType.SECURITY, _("Security clearance"), renewals_only=renewals_only
    )


def medical_clearance(f: CaseFacts, renewals_only: bool = False):
    if not f.rule("requires_medical_clearance", True):
        return None
    return _clearance(
        f, ClearanceType.MEDICAL, _("Medical fitness to travel"), renewals_only=renewals_only
    )


def ministry_clearance(f: CaseFacts, renewals_only: bool = False):
    return _clearance(
        f, ClearanceType.MINISTRY, _("Ministry sign-off"), renewals_only=renewals_only
    )


def juvenile_track(f: CaseFacts):
    """The child's own proceedings block approval until the sentence is completed."""
    if not f.has_court_cases:
        return None
    label = _("No pending proceedings against the child, or sentence completed")
    if f.pending_court_cases:
        return req(
            f, "judicial.child_track", label, S.BLOCKED, JUDICIARY, detail=_("proceedings pending")
        )
    if f.serving_sentences:
        return req(
            f, "judicial.child_track", label, S.BLOCKED, JUDICIARY, detail=_("serving a sentence")
        )
    return req(f, "judicial.child_track", label, S.MET, JUDICIARY)


def siblings(f: CaseFacts):
    if f.siblings_not_ready is None:
        return None
    label = _("Siblings ready to be approved together")
    if f.siblings_not_ready == 0:
        return req(f, "family.siblings", label, S.MET, MFA)
    detail = ngettext(
        "%(n)d sibling is not ready", "%(n)d siblings are not ready", f.siblings_not_ready
    ) % {"n": f.siblings_not_ready}
    return req(
        f,
        "family.siblings",
        label,
        S.WAITING,
        MFA,
        f.status_since,
        waiting_label=_("Waiting for the siblings' cases"),
        detail=detail,
    )


def fee(f: CaseFacts):
    if not f.rule("requires_fee", False):
        return None
    amount = f"{f.rule('fee_amount', '')} {f.rule('fee_currency', '')}".strip()
    label = gettext("Fee paid (%(amount)s)") % {"amount": amount}
    return _clearance(f, ClearanceType.FEE, label)


def travel_document(f: CaseFacts):
    owner = mission(f, cap.ADD_TRAVEL_DOCUMENT)
    label = _("Travel document issued by the home state")
    if any(valid >= f.today for valid in f.travel_documents_valid_until):
        return req(f, "logistics.travel_document", label, S.MET, owner)
    if f.travel_documents_valid_until:
        expired_on = max(f.travel_documents_valid_until)
        return req(f, "logistics.travel_document", label, S.EXPIRED, owner, _at(expired_on, f))
    return req(f, "logistics.travel_document", label, S.MISSING, owner)


def exit_authorization(f: CaseFacts):
    return req(
        f,
        "logistics.exit_authorization",
        _("Exit authorisation"),
        S.MET if f.exit_authorized else S.MISSING,
        MOI,
    )


def _renewal(rule) -> Rule:
    """An approval gate's clearance, checked again later: only an expiry or rejection shows."""
    return lambda f: rule(f, renewals_only=True)


# Target main state -> the rules of its gate.
GATES: dict[str, list[Rule]] = {
    CaseStatus.PROFILED: [age_estimate, languages, mother_linked, child_sample, mother_sample],
    CaseStatus.NATIONALITY_CLAIMED: [claim_recorded, home_state_notified],
    CaseStatus.HOME_STATE_ENGAGED: [home_state_acknowledged, consular_access],
    CaseStatus.VERIFICATION: [],
    CaseStatus.NATIONALITY_CONFIRMED: [
        nationality_confirmation,
        dna_mother_child,
        dna_kinship,
        home_court_decision,
    ],
    CaseStatus.CARE_PLANNING: [],
    CaseStatus.CLEARANCE: [guardian, assurances, consent, bia, bid_separation_from_mother],
    CaseStatus.APPROVED: [
        judicial_clearance,
        security_clearance,
        medical_clearance,
        ministry_clearance,
        juvenile_track,
        siblings,
    ],
    CaseStatus.SCHEDULED: [
        _renewal(judicial_clearance),
        _renewal(security_clearance),
        _renewal(medical_clearance),
        _renewal(ministry_clearance),
        fee,
        travel_document,
        exit_authorization,
    ],
    CaseStatus.HANDED_OVER: [travel_document],
    CaseStatus.RECEIVED: [],
    CaseStatus.FOLLOW_UP: [],
    CaseStatus.CLOSED: [],
}


def next_state(status: str, return_status: str = "") -> str | None:
    """The main state after `status` (after the remembered state, in a side state)."""
    current = return_status if status in SIDE_STATES else status
    if current not in MAIN_STATES or current == CaseStatus.CLOSED:
        return None
    return MAIN_STATES[MAIN_STATES.index(current) + 1]


def evaluate(facts: CaseFacts, target: str) -> list[Requirement]:
    """Every requirement of `target`'s gate that applies to this case, in a stable order."""
    found = (rule(facts) for rule in GATES.get(target, []))
    return [requirement for requirement in found if requirement is not None]


def seal(requirement: Requirement, *, may_see_dna: bool) -> Requirement:
    """What a viewer without the DNA grant is shown: that a result exists, not what it says."""
    if not requirement.sealed or may_see_dna or requirement.status == S.MET:
        return requirement
    if requirement.result_recorded:
        return replace(
            requirement,
            status=S.WAITING,
            detail="",
            waiting_label=_("DNA comparison recorded (result sealed)"),
        )
    return replace(requirement, detail="")


def unmet(requirements: list[Requirement]) -> list[Requirement]:
    return [requirement for requirement in requirements if not requirement.is_met]


# Cases whose facts are loaded together: a fixed number of queries per batch, bounded memory.
FACTS_BATCH = 500


def requirements_for_many(cases, *, today: datetime.date | None = None, viewer=None) -> dict:
    """`requirements_for` of many cases, by case id, their facts loaded a batch at a time.

    `cases` must come with `child` and `home_state` loaded (select_related).
    """
    from homeward.workflow.loader import load_facts_many

    cases = list(cases)
    found = {}
    for start in range(0, len(cases), FACTS_BATCH):
        batch = cases[start : start + FACTS_BATCH]
        facts = load_facts_many(batch, today=today)
        for case in batch:
            found[case.pk] = requirements_for(
                case, today=today, viewer=viewer, facts=facts[case.pk]
            )
    return found


def requirements_for(
    case,
    *,
    today: datetime.date | None = None,
    viewer=None,
    target: str | None = None,
    facts: CaseFacts | None = None,
):
    """The requirements of `case`'s next main state (or `target`), as `viewer` may see them.

    `viewer=None` is the system: nothing is sealed. Anyone else without
    `evidence.view_dnaresult` sees DNA requirements without their conclusion. `facts`, when
    given, were loaded for many cases at once (`load_facts_many`).
    """
    from homeward.workflow.loader import load_facts

    target = target or next_state(case.status, case.return_status)
    if target is None:
        return []
    facts = facts or load_facts(case, today=today)
    requirements = evaluate(facts, target)
    if viewer is None:
        return requirements
    may_see = viewer.has_capability(cap.VIEW_DNA_RESULT)
    return [seal(requirement, may_see_dna=may_see) for requirement in requirements]
