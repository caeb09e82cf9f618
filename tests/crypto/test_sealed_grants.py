"""Criminal records and health notes are shown only to the roles granted them (issue 8)."""

from rest_framework.test import APIClient

from homeward.accounts import capabilities as cap
from homeward.accounts.roles import WORKFLOW_GRANTS
from homeward.audit.models import AuditEvent
from homeward.evidence.events import EVIDENCE_VIEWED
from tests.crypto.conftest import canary, make_sealed_records


def api_get(user, url):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_new_grants_go_to_the_roles_that_need_them():
    holders = {
        capability: sorted(role for role, grants in WORKFLOW_GRANTS.items() if capability in grants)
        for capability in (cap.VIEW_CRIMINAL_RECORD, cap.VIEW_HEALTH)
    }
    assert holders == {
        cap.VIEW_CRIMINAL_RECORD: ["hjc_judge", "moj_registrar"],
        cap.VIEW_HEALTH: ["mfa_case_officer", "moj_registrar", "molsa_carer", "unicef_officer"],
    }


def test_charges_are_shown_only_with_the_criminal_record_grant(registry, users):
    court_case = make_sealed_records(registry["ru_child"])["court_case"]
    url = f"/api/v1/court-cases/{court_case.pk}/"
    assert api_get(users["hjc.judge"], url)["charges"] == [canary("charge")]
    # the sealed read is audited, without the value
    read = AuditEvent.objects.filter(event_type=EVIDENCE_VIEWED, object_id=str(court_case.pk))
    assert read.filter(actor=users["hjc.judge"]).count() == 1
    assert "CNRY" not in str(list(read.values_list("data", flat=True)))
    assert api_get(users["moj.registrar"], url)["charges"] == [canary("charge")]
    for name in ("mfa.officer", "consul.ru", "unicef.officer"):
        body = api_get(users[name], url)
        assert body["charges"] is None, name
        assert body["case_number"] == court_case.case_number  # the rest stays visible
        assert "CNRY" not in str(body)


def test_medical_notes_are_shown_only_with_the_health_grant(registry, users):
    medical = make_sealed_records(registry["ru_child"])["medical"]
    url = f"/api/v1/clearances/{medical.pk}/"
    body = api_get(users["unicef.officer"], url)
    assert (body["conditions"], body["comments"]) == (
        canary("medconditions"),
        canary("medcomments"),
    )
    for name in ("consul.ru", "security.liaison", "hjc.judge"):
        body = api_get(users[name], url)
        assert (body["conditions"], body["comments"]) == (None, None), name
        assert body["clearance_type"] == "medical"


def test_the_case_page_seals_medical_notes_without_the_grant(client, registry, users):
    child = registry["ru_child"]
    make_sealed_records(child)
    url = f"/people/{child.pk}/"
    client.force_login(users["mfa.officer"])
    assert canary("medconditions") in client.get(url).content.decode()
    client.force_login(users["consul.ru"])
    page = client.get(url).content.decode()
    assert "Health notes sealed" in page
    assert canary("medconditions") not in page
    assert canary("medcomments") not in page
