"""The "Case progress" card on a child's record: requirements in words, sealed DNA, actions."""

import html

import pytest
from django.urls import reverse

from homeward.evidence import services as ev
from tests.workflow.conftest import ago, at_status, walk

pytestmark = pytest.mark.django_db


def page_text(client, user, child) -> str:
    client.force_login(user)
    response = client.get(reverse("people:person_detail", kwargs={"pk": child.pk}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_case_page_says_what_is_waiting_who_owes_it_and_for_how_long(client, world):
    # given a Tajik case in VERIFICATION whose claim was notified 41 days ago
    case = at_status(world["tj_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(41),
        notification_reference="NV-41",
    )
    # when the officer opens the child's record
    text = page_text(client, world["mfa.officer"], world["tj_child"])
    # then the card says it in plain words, and flags it as overdue
    assert "Case progress" in text
    assert (
        "Waiting for the home state's nationality confirmation — Embassy of Tajikistan — 41 days"
        in text
    )
    assert 'data-code="nationality.confirmation"' in text
    assert "Overdue" in text


def _record_inconclusive_comparison(world, case):
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
        lab="MoH Baghdad",
        method="autosomal_str",
        reported_on=ago(1),
        conclusion="inconclusive",
        report_reference="DNA-SEALED-9",
    )


@pytest.mark.parametrize("username", ["moh.lab", "hjc.judge"])
def test_dna_conclusion_shows_to_holders_of_the_grant(client, world, username):
    # given a Russian case with an inconclusive mother-child comparison
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    _record_inconclusive_comparison(world, case)
    # when a holder of the DNA grant opens the record
    text = page_text(client, world[username], world["ru_child"])
    # then the conclusion is there
    assert "Inconclusive" in text


@pytest.mark.parametrize("username", ["mfa.officer", "consul.ru"])
def test_dna_conclusion_never_reaches_a_page_without_the_grant(client, world, username):
    # given the same comparison
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    _record_inconclusive_comparison(world, case)
    # when the officer or the consul opens the record
    text = page_text(client, world[username], world["ru_child"])
    # then they read that a result exists, never what it is
    assert "result sealed" in text
    assert "nconclusive" not in text
    assert "DNA-SEALED-9" not in text


def test_security_assessment_shows_only_to_the_security_grant(client, world):
    # given a decided security clearance with a sealed assessment
    case = at_status(world["ru_child"].case, "CLEARANCE", actor=world["mfa.officer"])
    clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="security")
    ev.decide_clearance(
        clearance,
        actor=world["security.liaison"],
        approve=True,
        reference="NSS-12",
        assessment="Father's network under watch.",
    )
    # when the liaison and the officer open the record
    liaison = page_text(client, world["security.liaison"], world["ru_child"])
    officer = page_text(client, world["mfa.officer"], world["ru_child"])
    # then only the liaison reads the assessment
    assert "Father's network under watch." in liaison
    assert "Father's network under watch." not in officer
    assert "NSS-12" in officer


def test_buttons_follow_the_viewers_capabilities(client, world):
    # given a Russian case in CLEARANCE
    case = at_status(world["ru_child"].case, "CLEARANCE", actor=world["mfa.officer"])
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    approve = reverse("workflow:approve", kwargs={"pk": case.pk})
    decide = reverse("evidence:clearance_decide_judicial", kwargs={"pk": case.pk})
    # when the judge and the consul open the record
    judge = page_text(client, world["hjc.judge"], world["ru_child"])
    consul = page_text(client, world["consul.ru"], world["ru_child"])
    # then the judge is offered the approval and the decision, the consul neither
    assert approve in judge and decide in judge
    assert approve not in consul and decide not in consul


def test_history_lists_each_status_change(client, world):
    # given a Russian case walked to VERIFICATION
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    walk(world, case, "VERIFICATION")
    # when the officer opens the record
    text = page_text(client, world["mfa.officer"], world["ru_child"])
    # then the status history shows the steps with their actor
    assert "Nationality claimed → Home state engaged" in text
    assert "Home state engaged → Verification" in text
