"""The API answers a state with its own requests and its own nationals' adult cases only."""

from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.adults.models import AdultCase
from homeward.audit.models import AuditEvent
from homeward.judicial import events
from homeward.judicial.models import EvidenceRequest
from tests.adults.conftest import adult_pairs
from tests.judicial.conftest import judicial_pairs


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def test_a_consul_lists_and_reads_only_its_own(users, registry):
    adults = adult_pairs(users, registry)
    requests = judicial_pairs(users, adults[AdultCase])[EvidenceRequest]
    api = _api(users["consul.ru"])
    listed = api.get("/api/v1/evidence-requests/").json()
    assert listed["count"] == 1
    assert [row["their_reference"] for row in listed["results"]] == [requests[0].their_reference]
    assert listed["results"][0]["status"] == "granted"
    sent = listed["results"][0]["transmissions"][0]
    assert list(sent["document_hashes"].values()) == [
        requests[0].transmissions.get().documents.get().sha256
    ]
    assert api.get(f"/api/v1/evidence-requests/{requests[1].pk}/").status_code == 404
    cases = api.get("/api/v1/adult-cases/").json()
    assert [row["home_state"] for row in cases["results"]] == ["RU"]
    assert api.get(f"/api/v1/adult-cases/{adults[AdultCase][1].pk}/").status_code == 404
    event = AuditEvent.objects.filter(event_type=events.REQUESTS_LISTED).latest("seq")
    assert event.data["ids"] == [str(requests[0].pk)] and event.data["total"] == 1


def test_releases_due_by_a_date_through_the_api(users, registry):
    adults = adult_pairs(users, registry)[AdultCase]
    api = _api(users["mfa.officer"])
    due = adults[0].expected_release_on.isoformat()
    rows = api.get(f"/api/v1/adult-cases/?released_by={due}").json()["results"]
    assert sorted(row["reference"] for row in rows) == sorted(a.reference for a in adults)
    assert api.get("/api/v1/adult-cases/?released_by=2000-01-01").json()["count"] == 0
