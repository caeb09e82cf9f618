"""Desks: what each agency owes, oldest first, overdue flagged, only within scope."""

import pytest

from homeward.evidence import services as ev
from homeward.workflow.queries import desk_for
from tests.workflow.conftest import ago, at_status, claim_and_engage, today, walk

pytestmark = pytest.mark.django_db


def test_judge_sees_the_judicial_clearance_waiting(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    desk = desk_for(world["hjc.judge"], today=today())
    assert [(item.case.reference, item.requirement.code) for item in desk.items] == [
        (case.reference, "clearance.judicial")
    ]


def test_consul_desk_shows_only_its_nationals_oldest_first_with_overdue(world):
    # given a Tajik claim waiting 41 days and a Russian one waiting 10 days
    tj = at_status(world["tj_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        tj,
        actor=world["mfa.officer"],
        claimed_state=tj.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(41),
        notification_reference="NV-41",
    )
    ru = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    claim_and_engage(world, ru)
    # when each consul opens the desk
    tj_desk = desk_for(world["consul.tj"], today=today())
    ru_desk = desk_for(world["consul.ru"], today=today())
    # then each sees its own nationals only, with who owes it and for how long
    assert [(i.case.reference, i.requirement.describe(), i.overdue) for i in tj_desk.items] == [
        (
            tj.reference,
            "Waiting for the home state's nationality confirmation"
            " — Embassy of Tajikistan — 41 days",
            True,
        ),
    ]
    assert {i.case.home_state_id for i in ru_desk.items} == {"RU"}
    assert [i.requirement.code for i in ru_desk.items] == [
        "nationality.confirmation",
        "nationality.home_court_decision",
    ]


def test_officer_desk_never_shows_a_dna_conclusion(world):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    lab = world["moh.lab"]
    samples = [
        ev.record_dna_sample(
            case, actor=lab, donor=d, sample_type="blood", collected_on=ago(3), collected_by="MoH"
        )
        for d in (case.child, world["ru_mother"])
    ]
    ev.record_dna_comparison(
        case,
        actor=lab,
        hypothesis="mother_child",
        samples=samples,
        lab="MoH",
        method="autosomal_str",
        reported_on=ago(1),
        conclusion="inconclusive",
    )
    for username in ("mfa.officer", "consul.ru"):
        lines = [i.requirement.describe() for i in desk_for(world[username], today=today()).items]
        assert all("nconclusive" not in line for line in lines)
    lab_lines = [i.requirement.describe() for i in desk_for(lab, today=today()).items]
    assert any("inconclusive" in line for line in lab_lines)
