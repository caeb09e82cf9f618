"""The judge approves a sibling group that must travel together, from the case page."""

from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.people import services as people
from tests.workflow.conftest import at_status, clear_all, fresh, walk
from tests.workflow.test_transitions import _sibling_group


def _group_at_clearance(world):
    sister, brother = _sibling_group(world)
    people.link_relative(
        brother.child,
        actor=world["mfa.officer"],
        relative=world["ru_mother"],
        relationship_type="mother",
        basis="declared",
    )
    for case in (sister, brother):
        walk(world, at_status(case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"]), "CLEARANCE")
        clear_all(world, case)
    return fresh(sister), fresh(brother)


def test_judge_approves_the_whole_sibling_group_in_one_decision(client, world):
    # given two siblings at CLEARANCE who must travel together, every gate met
    sister, brother = _group_at_clearance(world)
    client.force_login(world["hjc.judge"])
    url = reverse("workflow:approve_group", kwargs={"pk": sister.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert sister.reference in page.content.decode() and brother.reference in page.content.decode()
    # when the judge submits the decision number with the versions shown
    response = client.post(
        url,
        {
            "decision_reference": "HJC-2026/77",
            "versions": page.context["form"].initial["versions"],
        },
    )
    # then both cases are approved, each with its audit event
    assert response.status_code == 302
    assert {c.status for c in Case.objects.filter(pk__in=[sister.pk, brother.pk])} == {"APPROVED"}
    assert AuditEvent.objects.filter(event_type="workflow.case.approved").count() == 2


def test_a_stale_page_approves_nobody(client, world):
    # given the judge's page, after which one sibling's case changed
    sister, brother = _group_at_clearance(world)
    client.force_login(world["hjc.judge"])
    url = reverse("workflow:approve_group", kwargs={"pk": sister.pk})
    versions = client.get(url).context["form"].initial["versions"]
    Case.objects.filter(pk=brother.pk).update(version=brother.version + 1)
    # when the judge submits
    response = client.post(url, {"decision_reference": "HJC-2026/78", "versions": versions})
    # then nothing is approved and the page says why
    assert response.status_code == 200
    assert {c.status for c in Case.objects.filter(pk__in=[sister.pk, brother.pk])} == {"CLEARANCE"}
    assert AuditEvent.objects.filter(event_type="workflow.case.approved").count() == 0


def test_a_child_without_siblings_has_nothing_to_approve_as_a_group(client, world):
    # given a child in no family group
    case = world["tj_child"].case
    client.force_login(world["hjc.judge"])
    # when the judge opens the group approval
    response = client.get(reverse("workflow:approve_group", kwargs={"pk": case.pk}))
    # then the page says there is nothing to approve and offers no decision
    assert response.status_code == 200
    assert "not in a sibling group waiting for approval" in response.content.decode()
