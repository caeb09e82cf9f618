"""The JSON case file: what the requester may see, logged as a disclosure, scoped."""

import json

from homeward.audit.models import AuditEvent
from homeward.disclosures import events as disclosure_events
from homeward.disclosures.models import Disclosure

from .conftest import client_for

BODY = {
    "purpose": "Transfer of the child's file to the ministry at home",
    "legal_basis": "vital_interest",
    "approved_by": "admin",
}


def url(case) -> str:
    return f"/api/v1/cases/{case.pk}/file/"


def test_a_consul_takes_its_childs_file_and_the_disclosure_is_logged(users, registry):
    case = registry["ru_child"].case
    response = client_for(users["consul.ru"]).post(url(case), BODY, format="json")
    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "homeward.case_file/1"
    assert document["case"]["reference"] == case.reference
    assert document["child"]["id"] == str(registry["ru_child"].pk)
    assert str(registry["ru_mother"].pk) in json.dumps(document["child"]["relationships"])
    assert document["history"] == []
    assert document["nationality_claims"] == []
    # a consul holds no DNA-result, criminal-record or disclosure-log grant: those are left out
    assert "disclosures" in document["omitted"]
    assert "disclosures" not in document
    disclosure = Disclosure.objects.get()
    assert response["Homeward-Disclosure"] == document["disclosure"] == str(disclosure.pk)
    assert disclosure.case == case
    assert disclosure.recipient_kind == "embassy"
    assert disclosure.recipient == "Embassy of Russia"
    assert disclosure.recipient_state_id == "RU"
    assert disclosure.recorded_by == users["consul.ru"]
    assert disclosure.approved_by == users["admin"]
    assert "identity" in disclosure.categories and "case" in disclosure.categories
    event = AuditEvent.objects.get(event_type=disclosure_events.CASE_FILE_EXPORTED)
    assert event.case_id == case.pk
    assert "child" in event.data["sections"]
    assert AuditEvent.objects.filter(event_type=disclosure_events.DISCLOSURE_RECORDED).count() == 1


def test_another_states_case_file_is_404_and_nothing_is_logged(users, registry):
    response = client_for(users["consul.ru"]).post(
        url(registry["tj_child"].case), BODY, format="json"
    )
    assert response.status_code == 404
    assert response.json()["type"] == "urn:homeward:problem:not_found"
    assert "فاطمة" not in response.content.decode()
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(event_type=disclosure_events.CASE_FILE_EXPORTED).exists()


def test_the_file_never_names_the_other_states_child(users, registry):
    response = client_for(users["consul.ru"]).post(
        url(registry["ru_child"].case), BODY, format="json"
    )
    text = response.content.decode()
    tj = registry["tj_child"]
    assert str(tj.pk) not in text and tj.case.reference not in text
    assert "فاطمة رحيموفا" not in text


def test_the_approver_must_be_someone_else_who_may_approve(users, registry):
    client = client_for(users["consul.ru"])
    case = registry["ru_child"].case
    for approver in ("consul.ru", "moj.registrar", "nobody"):
        response = client.post(url(case), {**BODY, "approved_by": approver}, format="json")
        assert response.status_code == 400, approver
        assert list(response.json()["errors"]) == ["approved_by"]
    assert not Disclosure.objects.exists()


def test_a_bad_body_names_each_field_and_writes_nothing(users, registry):
    response = client_for(users["consul.ru"]).post(
        url(registry["ru_child"].case),
        {"purpose": "short", "legal_basis": "whim", "home_state": "TJ"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"home_state"}
    response = client_for(users["consul.ru"]).post(
        url(registry["ru_child"].case), {"purpose": "short", "legal_basis": "whim"}, format="json"
    )
    assert set(response.json()["errors"]) == {"purpose", "legal_basis", "approved_by"}
    assert not Disclosure.objects.exists()


def test_a_role_without_the_grant_is_403(users, registry):
    response = client_for(users["moj.registrar"]).post(
        url(registry["ru_child"].case), BODY, format="json"
    )
    assert response.status_code == 403
    assert not Disclosure.objects.exists()
