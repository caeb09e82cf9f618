"""The web flow: a request recorded, decided, documents prepared and approved by someone else."""

from django.utils import timezone

from homeward.disclosures.models import Disclosure
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from tests.exports.conftest import make_supervisor
from tests.judicial.conftest import verdict_of

TODAY = timezone.localdate


def test_the_verdict_is_requested_decided_prepared_and_approved_through_the_pages(
    client, users, adults
):
    officer, judge = users["mfa.officer"], users["hjc.judge"]
    supervisor = make_supervisor("mfa.supervisor")
    adult = adults["ru"]
    verdict = verdict_of(adult.person, officer)
    client.force_login(officer)
    response = client.post(
        "/judicial/requests/new/",
        {
            "home_state": "RU",
            "subject": str(adult.person.pk),
            "their_reference": "RU-GP-81",
            "channel": "justice_ministry",
            "received_on": TODAY().isoformat(),
            "legal_basis": "treaty",
            "items": ["verdict", "case_file"],
            "authority": "hjc",
        },
    )
    request = EvidenceRequest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/judicial/requests/{request.pk}/"
    )
    client.force_login(judge)
    client.post(
        f"/judicial/requests/{request.pk}/decide/",
        {
            "expected_version": 1,
            "decision": "partly_granted",
            "decided_on": TODAY().isoformat(),
            "reason": "The case file is sealed by the court",
        },
    )
    request.refresh_from_db()
    assert request.status == "partly_granted"
    client.force_login(officer)
    client.post(
        f"/judicial/requests/{request.pk}/send/",
        {"documents": [str(verdict.pk)], "recipient": "Embassy of Russia", "sent_on": TODAY()},
    )
    sent = EvidenceTransmission.objects.get()
    # the preparer may not even open the approval page; the supervisor approves
    assert client.get(f"/judicial/sent/{sent.pk}/decide/").status_code == 403
    client.force_login(supervisor)
    assert client.post(f"/judicial/sent/{sent.pk}/decide/", {"note": "OK"}).status_code == 302
    sent.refresh_from_db()
    assert sent.state == "approved" and Disclosure.objects.get() == sent.disclosure
    # the consul of Russia sees the status and the hash of what was sent
    client.force_login(users["consul.ru"])
    page = client.get(f"/judicial/requests/{request.pk}/").content.decode()
    assert "Partly granted" in page and verdict.sha256 in page


def test_a_refusal_without_reason_is_shown_at_its_field_and_writes_nothing(client, users, adults):
    from homeward.judicial import services

    request = services.record_evidence_request(
        adults["ru"].home_state,
        actor=users["mfa.officer"],
        subject=adults["ru"].person,
        their_reference="RU-1",
        channel="mission",
        received_on=TODAY(),
        legal_basis="reciprocity",
        items=["verdict"],
        authority="court",
    )
    client.force_login(users["hjc.judge"])
    response = client.post(
        f"/judicial/requests/{request.pk}/decide/",
        {"expected_version": 1, "decision": "refused", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "A refusal or a partial grant gives its reason." in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.version) == ("received", 1)
