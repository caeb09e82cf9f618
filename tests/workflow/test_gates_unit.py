"""The gate rules as pure functions of hand-built facts: no database."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from homeward.workflow.facts import (
    CaseFacts,
    ClaimFact,
    ClearanceFact,
    ConsentFact,
    DeterminationFact,
    DNAFact,
)
from homeward.workflow.gates import evaluate, next_state, seal

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
RU = SimpleNamespace(
    requires_dna_mother_child=True,
    requires_kinship_dna_abroad=False,
    requires_home_court_decision=True,
    court_decision_only_if_born_abroad=True,
    requires_mother_consent=False,
    consent_substitute_allowed=True,
    requires_guardian_vetting=True,
    requires_assurances=True,
    assurance_items=["placement"],
    requires_bia=False,
    requires_fee=False,
    fee_amount=None,
    fee_currency="",
    requires_security_clearance=True,
    requires_medical_clearance=True,
)
TJ = SimpleNamespace(
    **{
        **vars(RU),
        "requires_dna_mother_child": False,
        "requires_home_court_decision": False,
        "requires_mother_consent": True,
        "consent_substitute_allowed": False,
        "requires_fee": True,
        "fee_amount": "400.00",
        "fee_currency": "USD",
    }
)


def facts(**overrides) -> CaseFacts:
    values = {
        "status": "VERIFICATION",
        "status_since": NOW - datetime.timedelta(days=41),
        "now": NOW,
        "home_state": "RU",
        "mission_label": "Embassy of Russia",
        "policy": RU,
        "mother_linked": True,
        "max_age": 6,
    }
    return CaseFacts(**{**values, **overrides})


def by_code(requirements):
    return {r.code: r.status for r in requirements}


def test_next_state_follows_the_main_path_and_the_remembered_state():
    assert next_state("CLEARANCE") == "APPROVED"
    assert next_state("ON_HOLD", "VERIFICATION") == "NATIONALITY_CONFIRMED"
    assert next_state("CLOSED") is None


def test_russia_needs_confirmation_dna_and_a_court_decision_for_a_child_born_abroad():
    assert by_code(evaluate(facts(), "NATIONALITY_CONFIRMED")) == {
        "nationality.confirmation": "waiting",
        "dna.mother_child": "missing",
        "nationality.home_court_decision": "missing",
    }


def test_no_court_decision_for_a_child_born_in_the_home_state():
    assert "nationality.home_court_decision" not in by_code(
        evaluate(facts(born_in_home_state=True), "NATIONALITY_CONFIRMED")
    )


def test_a_recognition_by_note_verbale_does_not_replace_the_court_decision():
    done = facts(
        determinations=[DeterminationFact("recognised", "note_verbale", NOW)],
        dna=[DNAFact("mother_child", "supported", NOW)],
    )
    assert by_code(evaluate(done, "NATIONALITY_CONFIRMED")) == {
        "nationality.confirmation": "met",
        "dna.mother_child": "met",
        "nationality.home_court_decision": "missing",
    }


def test_waiting_for_the_home_state_is_described_in_words_with_days():
    waiting = facts(
        policy=TJ,
        home_state="TJ",
        mission_label="Embassy of Tajikistan",
        claims=[ClaimFact(NOW, notified_on=datetime.date(2026, 4, 21))],
    )
    (confirmation,) = evaluate(waiting, "NATIONALITY_CONFIRMED")
    assert confirmation.describe() == (
        "Waiting for the home state's nationality confirmation — Embassy of Tajikistan — 41 days"
    )
    assert (confirmation.owed_by.kind, confirmation.days_waiting) == ("home_state_mission", 41)


def test_an_unaccompanied_child_always_needs_a_bia():
    assert "care.bia" in by_code(
        evaluate(facts(unaccompanied=True, mother_linked=False), "CLEARANCE")
    )
    assert "care.bia" not in by_code(evaluate(facts(), "CLEARANCE"))


def test_tajikistan_requires_the_mothers_own_consent():
    substituted = facts(
        policy=TJ,
        consents=[
            ConsentFact("judicial_substitute", "repatriation", datetime.date(2026, 5, 1), NOW)
        ],
    )
    assert by_code(evaluate(substituted, "CLEARANCE"))["care.consent"] == "blocked"
    given = facts(
        policy=TJ, consents=[ConsentFact("given", "repatriation", datetime.date(2026, 5, 1), NOW)]
    )
    assert by_code(evaluate(given, "CLEARANCE"))["care.consent"] == "met"


def test_no_consent_needed_when_the_mother_is_dead():
    assert "care.consent" not in by_code(
        evaluate(facts(policy=TJ, mother_alive=False), "CLEARANCE")
    )


def test_judicial_clearance_applies_from_age_nine():
    assert "clearance.judicial" not in by_code(evaluate(facts(max_age=8), "APPROVED"))
    assert by_code(evaluate(facts(max_age=9), "APPROVED"))["clearance.judicial"] == "missing"


def test_clearance_statuses_requested_rejected_expired():
    clearances = {
        "security": ClearanceFact("requested", NOW - datetime.timedelta(days=3)),
        "medical": ClearanceFact("approved", NOW, NOW, NOW - datetime.timedelta(seconds=1)),
        "ministry": ClearanceFact("rejected", NOW, NOW),
    }
    shown = evaluate(facts(clearances=clearances), "APPROVED")
    assert by_code(shown) == {
        "clearance.security": "waiting",
        "clearance.medical": "expired",
        "clearance.ministry": "blocked",
    }
    assert shown[0].describe() == "Waiting for: Security clearance — Security agencies — 3 days"


def test_fee_gate_names_the_amount():
    shown = {r.code: r for r in evaluate(facts(policy=TJ), "SCHEDULED")}
    assert shown["clearance.fee"].describe() == (
        "Missing: Fee paid (400.00 USD) — Ministry of Foreign Affairs — 41 days"
    )


def test_sealing_hides_the_dna_conclusion():
    excluded = facts(dna=[DNAFact("mother_child", "excluded", NOW)])
    (dna,) = [
        r for r in evaluate(excluded, "NATIONALITY_CONFIRMED") if r.code == "dna.mother_child"
    ]
    assert (
        dna.describe()
        == "Blocked: Mother-child DNA comparison (excluded) — MoH DNA laboratory — 0 days"
    )
    sealed = seal(dna, may_see_dna=False)
    assert sealed.status == "waiting"
    assert (
        sealed.describe() == "DNA comparison recorded (result sealed) — MoH DNA laboratory — 0 days"
    )
    assert seal(dna, may_see_dna=True) is dna


def test_days_waiting_counts_baghdad_calendar_days():
    # a wait that began at 02:50 Baghdad (23:50 UTC the day before) has waited 0 days at 03:10
    began = datetime.datetime(2026, 5, 31, 23, 50, tzinfo=datetime.UTC)
    now = timezone.make_aware(datetime.datetime(2026, 6, 1, 3, 10))
    (req,) = evaluate(facts(now=now, claims=[], status_since=began), "NATIONALITY_CONFIRMED")[:1]
    assert req.days_waiting == 0
    # one that began at 23:30 the evening before has waited 1 day at 00:30, whatever the hours
    began = timezone.make_aware(datetime.datetime(2026, 5, 31, 23, 30))
    now = timezone.make_aware(datetime.datetime(2026, 6, 1, 0, 30))
    (req,) = evaluate(facts(now=now, claims=[], status_since=began), "NATIONALITY_CONFIRMED")[:1]
    assert req.days_waiting == 1
