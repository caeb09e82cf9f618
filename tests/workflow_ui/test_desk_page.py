"""The desk page: each user's queue, exact items, with the form that answers each one."""

import html
import re

import pytest
from django.urls import reverse

from homeward.evidence import services as ev
from homeward.evidence.models import Clearance
from tests.workflow.conftest import ago, at_status, fresh, walk

pytestmark = pytest.mark.django_db


def desk(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("workflow:desk"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def codes(text: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-code="([^"]+)"', text)


@pytest.fixture
def judicial_waiting(world):
    """The Russian child in CLEARANCE with a judicial clearance requested."""
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    return fresh(case)


def test_judge_desk_shows_exactly_the_judicial_clearance(client, world, judicial_waiting):
    # when the judge opens the desk
    text = desk(client, world["hjc.judge"])
    # then one item: the judicial clearance, with the form that decides it
    assert codes(text) == ["clearance.judicial"]
    assert reverse("evidence:clearance_decide_judicial", kwargs={"pk": judicial_waiting.pk}) in text
    assert judicial_waiting.reference in text


def test_officer_desk_asks_for_the_missing_clearances(client, world, judicial_waiting):
    # when the officer opens the desk
    text = desk(client, world["mfa.officer"])
    # then the officer is asked to request the three other clearances of the Russian child,
    # and to complete the profiles of the two registered children (brother, Tajik child)
    assert sorted(codes(text)) == [
        "clearance.medical",
        "clearance.ministry",
        "clearance.security",
        "profile.languages",
        "profile.languages",
        "profile.mother_linked",
        "profile.mother_linked",
    ]
    request_url = reverse("evidence:clearance_request", kwargs={"pk": judicial_waiting.pk})
    assert f"{request_url}?clearance_type=security" in text


def test_lab_desk_lists_the_samples_to_take(client, world):
    # given the Russian child registered without DNA samples
    # when the lab opens the desk
    text = desk(client, world["moh.lab"])
    # then the child's and the mother's samples are owed, for the Russian child (the Tajik
    # child has no linked mother, so only its own sample), and the brother's own sample
    assert sorted(codes(text)) == [
        "profile.child_sample",
        "profile.child_sample",
        "profile.child_sample",
        "profile.mother_sample",
    ]
    case = world["ru_child"].case
    assert reverse("evidence:dna_sample_create", kwargs={"pk": case.pk}) in text


def test_consul_desk_shows_only_its_nationals(client, world):
    # given a Tajik claim waiting 41 days and a Russian claim waiting
    tj = at_status(world["tj_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        tj,
        actor=world["mfa.officer"],
        claimed_state=tj.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(41),
        notification_reference="NV-41",
    )
    ru = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        ru,
        actor=world["mfa.officer"],
        claimed_state=ru.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(5),
        notification_reference="NV-5",
    )
    # when each consul opens the desk
    tj_text = desk(client, world["consul.tj"])
    ru_text = desk(client, world["consul.ru"])
    # then each sees its own national's acknowledgement, and nothing of the other
    assert codes(tj_text) == ["nationality.acknowledged", "nationality.consular_access"]
    assert (
        "Waiting for the home state's acknowledgement — Embassy of Tajikistan — 41 days" in tj_text
    )
    assert "Overdue" in tj_text
    assert ru.reference not in tj_text and tj.reference not in ru_text
    # oldest first: consular access is owed since the case was claimed (10 days), the
    # acknowledgement since the note verbale (5 days)
    assert codes(ru_text) == ["nationality.consular_access", "nationality.acknowledged"]
    assert reverse("evidence:claim_acknowledge", kwargs={"pk": ru.pk}) in ru_text


def test_judge_approves_the_judicial_clearance_from_the_desk(client, world, judicial_waiting):
    # given the judge's desk with the judicial clearance waiting
    text = desk(client, world["hjc.judge"])
    url = re.search(r'href="([^"]+/clearances/judicial/decide/)"', text).group(1)
    # when the judge opens the action and approves
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "approve", "reference": "HJC-CL-7"})
    # then the clearance is approved, the record shows it met, and the desk is empty
    assert response.status_code == 302
    clearance = Clearance.objects.get(case=judicial_waiting, clearance_type="judicial")
    assert (clearance.status, clearance.reference, clearance.decided_by) == (
        "approved",
        "HJC-CL-7",
        world["hjc.judge"],
    )
    record = client.get(response["Location"]).content.decode()
    assert 'data-code="clearance.judicial"' in record
    assert codes(desk(client, world["hjc.judge"])) == []


def test_supervisor_desk_lists_closure_requests(client, world):
    # given a closure requested by the officer
    from homeward.workflow import services as wf

    case = world["ru_child"].case
    wf.request_closure(
        case, actor=world["mfa.officer"], expected_version=case.version, reason="duplicate_merged"
    )
    # when the supervisor opens the desk
    text = desk(client, world["mfa.supervisor"])
    # then the request is there to decide
    assert reverse("workflow:closure_decide", kwargs={"pk": case.pk}) in text
