"""Fixtures for the workflow and evidence tests: default policies, a supervisor, helpers.

`walk` takes the Russian child of the shared registry along the main path with the right
user at each step, so each test can start where it needs to.
"""

import datetime

import pytest
from django.utils import timezone

from homeward.audit.models import AuditEvent, AuditHead
from homeward.cases.models import Case
from homeward.cases.services import record_historical_status
from homeward.evidence import services as ev
from homeward.evidence.models import Clearance
from homeward.workflow import services as wf
from homeward.workflow.policies import install_default_policies

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    """Today in Baghdad, asked each time: a run may cross midnight."""
    return timezone.localdate()


def ago(days: int) -> datetime.date:
    return today() - days * DAY


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def audit_head() -> tuple:
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, "")


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


@pytest.fixture
def policies(db):
    return {policy.home_state_id: policy for policy in install_default_policies()}


@pytest.fixture
def world(users, registry, policies, supervisor):
    """The shared registry and users, the default policies and the supervisor."""
    return {**users, **registry, "mfa.supervisor": supervisor}


def at_status(case: Case, status: str, *, actor) -> Case:
    """Seed history: put a case straight into `status` (as imported records would)."""
    return record_historical_status(case, actor=actor, status=status, at=ago(10))


def claim_and_engage(w, case: Case):
    claim = ev.record_nationality_claim(
        case,
        actor=w["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(60),
        notification_reference="NV-2026-114",
    )
    consul = w["consul.ru"] if case.home_state_id == "RU" else w["consul.tj"]
    ev.acknowledge_claim(
        claim,
        actor=consul,
        acknowledged_on=ago(50),
        focal_point="Consul A. Petrov",
        consular_access_on=ago(45),
    )
    return claim


def verify_ru(w, case: Case, claim, *, conclusion="supported"):
    lab = w["moh.lab"]
    child_sample = ev.record_dna_sample(
        case,
        actor=lab,
        donor=case.child,
        sample_type="buccal_swab",
        collected_on=ago(40),
        collected_by="MoH team 3",
    )
    mother_sample = ev.record_dna_sample(
        case,
        actor=lab,
        donor=w["ru_mother"],
        sample_type="blood",
        collected_on=ago(40),
        collected_by="MoH team 3",
    )
    ev.record_dna_comparison(
        case,
        actor=lab,
        hypothesis="mother_child",
        samples=[child_sample, mother_sample],
        lab="MoH Baghdad",
        method="autosomal_str",
        reported_on=ago(30),
        conclusion=conclusion,
        statistic_kind="likelihood_ratio",
        statistic=1.2e9,
        report_reference="DNA-77",
    )
    if conclusion == "supported":
        ev.record_home_state_determination(
            claim,
            actor=w["consul.ru"],
            decision="recognised",
            instrument_type="court_decision",
            instrument_reference="RU-2-145/2026",
            decided_on=ago(20),
            authority="Grozny court",
        )


def plan_care_ru(w, case: Case):
    consul = w["consul.ru"]
    candidate = ev.propose_guardian(
        case,
        actor=consul,
        institution="Grozny child-welfare centre",
        relationship_to_child="state institution",
    )
    ev.record_guardian_vetting(
        candidate,
        actor=consul,
        decision="approved",
        authority="Chechen guardianship authority",
        vetted_on=ago(12),
    )
    ev.record_assurance(
        case,
        actor=consul,
        reference="NV-RU-88",
        dated=ago(11),
        items=["placement", "rights"],
    )


CLEARANCE_DECIDERS = {
    "judicial": "hjc.judge",
    "security": "security.liaison",
    "medical": "moj.registrar",
    "ministry": "mfa.supervisor",
}


def clear_all(w, case: Case, *, expires_at=None) -> list[Clearance]:
    done = []
    for kind, decider in CLEARANCE_DECIDERS.items():
        clearance = ev.request_clearance(case, actor=w["mfa.officer"], clearance_type=kind)
        done.append(
            ev.decide_clearance(
                clearance,
                actor=w[decider],
                approve=True,
                reference=f"{kind.upper()}-1",
                assessment="No adverse record." if kind == "security" else "",
                expires_at=expires_at if kind == "medical" else None,
            )
        )
    return done


def walk(w, case: Case, until: str) -> Case:
    """Take `case` (Russian, in NATIONALITY_CLAIMED) along the main path up to `until`."""
    officer = w["mfa.officer"]
    steps = [
        (
            "HOME_STATE_ENGAGED",
            lambda c: wf.engage_home_state(c, actor=officer, expected_version=c.version),
        ),
        (
            "VERIFICATION",
            lambda c: wf.open_verification(c, actor=officer, expected_version=c.version),
        ),
        (
            "NATIONALITY_CONFIRMED",
            lambda c: wf.confirm_nationality(c, actor=officer, expected_version=c.version),
        ),
        (
            "CARE_PLANNING",
            lambda c: wf.start_care_planning(c, actor=officer, expected_version=c.version),
        ),
        (
            "CLEARANCE",
            lambda c: wf.complete_care_planning(c, actor=officer, expected_version=c.version),
        ),
    ]
    claim = claim_and_engage(w, case)
    for status, step in steps:
        if status == "NATIONALITY_CONFIRMED":
            verify_ru(w, case, claim)
        if status == "CLEARANCE":
            plan_care_ru(w, case)
        case = step(fresh(case))
        if status == until:
            return case
    raise AssertionError(f"walk() does not go to {until}")
