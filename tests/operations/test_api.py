"""The operations API: the same services, scope and audit as the pages, step by step."""

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.operations.models import ManifestEntry, Operation
from tests.operations.conftest import FLIGHT, new_child, plan, ready
from tests.workflow.conftest import ago, fresh

pytestmark = pytest.mark.django_db


def post(client, name, body, **kwargs):
    return client.post(reverse(name, kwargs=kwargs), body, content_type="application/json")


def test_an_officer_runs_an_operation_over_the_api(client, world):
    officer, protocol = world["mfa.officer"], world["mfa.protocol"]
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    late = ready(world, new_child(world, "مريم").case, valid_until=ago(-10))
    client.force_login(officer)
    # propose
    response = post(
        client,
        "api:operation-list",
        {
            "home_state": "RU",
            "planned_date": FLIGHT.isoformat(),
            "carrier": "EMERCOM of Russia",
            "carrier_kind": "state_aircraft",
            "members": [{"role": "doctor", "side": "home", "name": "Dr Ivanova"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert (body["status"], body["version"], len(body["members"])) == ("proposed", 1, 1)
    # a refused child: 400 listing the reason, nothing written
    response = post(
        client,
        "api:operation-manifest",
        {"expected_version": 1, "cases": [late.reference, amina.reference]},
        pk=pk,
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]["refusals"]) == [late.reference]
    assert not ManifestEntry.objects.exists()
    # add, advance twice, freeze
    response = post(
        client,
        "api:operation-manifest",
        {"expected_version": 1, "cases": [amina.reference, yusuf.reference]},
        pk=pk,
    )
    assert response.status_code == 200, response.json()
    assert sorted(e["case"] for e in response.json()["entries"]) == sorted(
        [amina.reference, yusuf.reference]
    )
    for version in (2, 3):
        assert (
            post(client, "api:operation-advance", {"expected_version": version}, pk=pk).status_code
            == 200
        )
    stale = post(client, "api:operation-freeze", {"expected_version": 1}, pk=pk)
    assert stale.status_code == 409
    response = post(client, "api:operation-freeze", {"expected_version": 4}, pk=pk)
    assert response.json()["status"] == "manifest_frozen"
    # readiness at the planned date
    readiness = client.get(reverse("api:operation-readiness", kwargs={"pk": pk})).json()
    assert {r["case"]: r["ready"] for r in readiness} == {
        amina.reference: True,
        yusuf.reference: True,
    }
    # the day, by protocol
    client.force_login(protocol)
    assert post(client, "api:operation-start", {"expected_version": 5}, pk=pk).status_code == 200
    entries = {e.case_id: e for e in ManifestEntry.objects.filter(operation_id=pk)}
    response = post(
        client,
        "api:manifestentry-not-boarded",
        {"expected_version": 1, "reason": "illness", "note": "Fever"},
        pk=entries[yusuf.pk].pk,
    )
    assert response.status_code == 200, response.json()
    assert fresh(yusuf).status == "APPROVED"
    response = post(
        client,
        "api:operation-handover",
        {
            "expected_version": 6,
            "handed_over_at": timezone.now().isoformat(),
            "location": "Baghdad International Airport",
            "witnesses": [{"name": "M. Haddad", "organisation": "UNICEF"}],
            "items": [
                {
                    "entry": str(entries[amina.pk].pk),
                    "identity_checked_by": "Protocol",
                    "identity_method": "wristband",
                }
            ],
        },
        pk=pk,
    )
    assert response.status_code == 200, response.json()
    response = post(client, "api:operation-complete", {"expected_version": 7}, pk=pk)
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["actual_count"]) == ("completed", 1)
    assert fresh(amina).status == "HANDED_OVER"
    # the consul of Russia confirms the arrival; Tajikistan's cannot see it
    client.force_login(world["consul.tj"])
    assert client.get(reverse("api:operation-detail", kwargs={"pk": pk})).status_code == 404
    response = post(
        client,
        "api:arrival-list",
        {
            "case": amina.reference,
            "expected_version": fresh(amina).version,
            "arrived_on": timezone.localdate().isoformat(),
            "placement": "relatives",
        },
    )
    # the case is unknown to them: a 400 like any unknown reference, nothing written
    assert response.status_code == 400
    assert response.json()["errors"] == {"case": [f"Unknown cases: {amina.reference}"]}
    assert fresh(amina).status == "HANDED_OVER"
    client.force_login(world["consul.ru"])
    response = post(
        client,
        "api:arrival-list",
        {
            "case": amina.reference,
            "expected_version": fresh(amina).version,
            "arrived_on": timezone.localdate().isoformat(),
            "placement": "relatives",
        },
    )
    assert response.status_code == 201, response.json()
    assert fresh(amina).status == "RECEIVED"
    assert AuditEvent.objects.filter(event_type="operations.arrival.confirmed").count() == 1


def test_the_consul_of_another_state_is_told_404_and_lists_nothing(client, world):
    operation = plan(world)
    client.force_login(world["consul.tj"])
    url = reverse("api:operation-detail", kwargs={"pk": operation.pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:operation-list")).json()["count"] == 0
    client.force_login(world["consul.ru"])
    assert client.get(url).json()["reference"] == operation.reference


def test_a_reader_cannot_step_an_operation(client, world):
    operation = plan(world)
    client.force_login(world["unicef.officer"])
    response = post(client, "api:operation-advance", {"expected_version": 1}, pk=operation.pk)
    assert response.status_code == 403
    assert Operation.objects.get(pk=operation.pk).status == "proposed"
