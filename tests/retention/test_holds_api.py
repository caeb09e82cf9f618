"""Legal holds over the API, through `retention.services` (issue 9)."""

import pytest

from homeward.audit.models import AuditEvent
from homeward.retention import events
from homeward.retention.models import LegalHold
from homeward.retention.services import place_legal_hold
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

HOLDS = "/api/v1/legal-holds/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def _limited_to_russia(supervisor):
    supervisor.all_home_states = False
    supervisor.save(update_fields=["all_home_states"])
    supervisor.home_states.add("RU")
    return type(supervisor).objects.get(pk=supervisor.pk)


def test_a_supervisor_places_and_releases_a_hold(supervisor, registry):
    case = registry["ru_child"].case
    client = client_for(supervisor)
    placed = client.post(HOLDS, {"case": str(case.pk), "reason": "Court inquiry"}, format="json")
    assert placed.status_code == 201, placed.json()
    body = placed.json()
    assert (body["case"], body["case_reference"], body["reason"], body["is_active"]) == (
        str(case.pk),
        case.reference,
        "Court inquiry",
        True,
    )
    assert body["placed_by"] == supervisor.username
    hold = LegalHold.objects.get(pk=body["id"])
    assert AuditEvent.objects.get(event_type=events.HOLD_PLACED).object_id == str(hold.pk)
    listed = client.get(HOLDS, {"case": str(case.pk)}).json()
    assert [row["id"] for row in listed["results"]] == [str(hold.pk)]
    released = client.post(
        f"{HOLDS}{hold.pk}/release/", {"reason": "Inquiry closed"}, format="json"
    )
    assert released.status_code == 200, released.json()
    assert (released.json()["is_active"], released.json()["release_reason"]) == (
        False,
        "Inquiry closed",
    )
    assert AuditEvent.objects.get(event_type=events.HOLD_RELEASED).actor_username == (
        supervisor.username
    )
    again = client.post(f"{HOLDS}{hold.pk}/release/", {"reason": "Twice"}, format="json")
    _problem(again, 400)


def test_hold_refusals_change_nothing(users, supervisor, registry):
    tj_case = registry["tj_child"].case
    tj_hold = place_legal_hold(tj_case, actor=supervisor, reason="Inquiry")
    body = {"case": str(tj_case.pk), "reason": "Another"}
    _problem(client_for(users["mfa.officer"]).post(HOLDS, body, format="json"), 403)
    _problem(client_for(users["mfa.officer"]).get(HOLDS), 403)
    russia_only = client_for(_limited_to_russia(supervisor))
    assert _problem(russia_only.post(HOLDS, body, format="json"), 400)["errors"] == {
        "case": ["Unknown case."]
    }
    _problem(russia_only.post(f"{HOLDS}{tj_hold.pk}/release/", {"reason": "x"}, format="json"), 404)
    assert _problem(
        client_for(supervisor).post(HOLDS, {"case": str(tj_case.pk), "reason": ""}, format="json"),
        400,
    )["errors"] == {"reason": ["This field may not be blank."]}
    assert list(LegalHold.objects.values_list("pk", "released_at")) == [(tj_hold.pk, None)]
