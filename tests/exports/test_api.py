"""Exports over the API: request, four-eyes, prepare, link, status."""

import pytest
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.exports import events
from homeward.exports.models import ExportRequest
from tests.exports.conftest import PURPOSE, decrypt

pytestmark = pytest.mark.django_db


def _request(client, **extra):
    return client.post(
        reverse("api:exportrequest-list"),
        {
            "dataset": "children",
            "file_format": "xlsx",
            "purpose_category": "home_state",
            "purpose": PURPOSE,
            **extra,
        },
        content_type="application/json",
    )


def test_the_api_journey(client, users, registry, supervisors):
    consul, supervisor = users["consul.ru"], supervisors["first"]
    # given consul.ru requests an export
    client.force_login(consul)
    created = _request(client)
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["row_count"], body["requester"]) == ("requested", 2, "consul.ru")
    pk = body["id"]
    # the consul holds no approval grant
    refused = client.post(reverse("api:exportrequest-approve", kwargs={"pk": pk}), {})
    assert refused.status_code == 403
    # when a supervisor approves it, and a second approval finds it decided
    client.force_login(supervisor)
    approve = reverse("api:exportrequest-approve", kwargs={"pk": pk})
    assert client.post(approve, {"note": "ok"}, content_type="application/json").status_code == 200
    again = client.post(approve, {}, content_type="application/json")
    assert again.status_code == 409
    # then the consul prepares the file and gets the passphrase and a link once
    client.force_login(consul)
    prepared = client.post(reverse("api:exportrequest-generate", kwargs={"pk": pk}))
    assert prepared.status_code == 200
    assert prepared["Cache-Control"] == "no-store"
    answer = prepared.json()
    assert answer["export"]["state"] == "generated"
    assert (
        "passphrase"
        not in client.get(reverse("api:exportrequest-detail", kwargs={"pk": pk})).json()
    )
    download = client.get(answer["download_url"])
    assert download.status_code == 200
    assert decrypt(download.content, answer["passphrase"]).startswith(b"PK")
    assert client.get(answer["download_url"]).status_code == 410
    # and a new link works once more
    link = client.post(reverse("api:exportrequest-link", kwargs={"pk": pk})).json()
    assert client.get(link["download_url"]).status_code == 200
    status = client.get(reverse("api:exportrequest-detail", kwargs={"pk": pk})).json()
    assert (status["state"], status["has_file"]) == ("downloaded", True)
    assert AuditEvent.objects.filter(event_type=events.EXPORT_DOWNLOADED).count() == 2


def test_self_approval_over_the_api_is_403_and_changes_nothing(
    client, users, registry, supervisors
):
    supervisor = supervisors["first"]
    client.force_login(supervisor)
    pk = _request(client).json()["id"]
    response = client.post(reverse("api:exportrequest-approve", kwargs={"pk": pk}), {})
    assert response.status_code == 403
    export = ExportRequest.objects.get(pk=pk)
    assert (export.state, export.decided_by) == ("requested", None)
    assert not AuditEvent.objects.filter(event_type=events.EXPORT_APPROVED).exists()


def test_a_consul_lists_only_its_own_exports(client, users, registry):
    client.force_login(users["consul.tj"])
    _request(client)
    client.force_login(users["consul.ru"])
    own = _request(client).json()["id"]
    listed = client.get(reverse("api:exportrequest-list")).json()
    assert [row["id"] for row in listed["results"]] == [own]


def test_a_consul_cannot_ask_for_another_state(client, users, registry):
    client.force_login(users["consul.ru"])
    response = _request(client, home_state="TJ")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["home_state"]
    assert ExportRequest.objects.count() == 0
