"""Export pages: the whole journey, four-eyes on the page, single-use download, and refusals."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from homeward.accounts import events as account_events
from homeward.audit.models import AuditEvent
from homeward.exports import events
from homeward.exports.models import ExportRequest
from tests.exports.conftest import PURPOSE, decrypt, request

pytestmark = pytest.mark.django_db


def test_request_approve_prepare_and_download_once(client, users, registry, supervisors):
    consul, supervisor = users["consul.ru"], supervisors["first"]
    # given consul.ru asks for a CSV of its children on the request page
    client.force_login(consul)
    assert client.get(reverse("exports:create")).status_code == 200
    response = client.post(
        reverse("exports:create"),
        {
            "dataset": "children",
            "file_format": "csv",
            "home_state": "",
            "status": "",
            "purpose_category": "operation",
            "purpose": PURPOSE,
        },
    )
    export = ExportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", kwargs={"pk": export.pk})
    assert export.state == "requested"
    # when a supervisor sees it awaiting approval and approves it
    client.force_login(supervisor)
    listing = client.get(reverse("exports:list")).content.decode()
    assert reverse("exports:review", kwargs={"pk": export.pk}) in listing
    review = reverse("exports:review", kwargs={"pk": export.pk})
    assert PURPOSE in client.get(review).content.decode()
    assert client.post(review, {"decision": "approve", "note": ""}).status_code == 302
    # and the consul prepares the file
    client.force_login(consul)
    page = client.post(reverse("exports:detail", kwargs={"pk": export.pk}), {"do": "generate"})
    # then the passphrase and link are shown once, in a response nobody caches
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    passphrase = page.context["passphrase"]
    link = page.context["link"]
    assert passphrase in page.content.decode() and link in page.content.decode()
    assert (
        passphrase
        not in client.get(reverse("exports:detail", kwargs={"pk": export.pk})).content.decode()
    )
    # and the link gives the encrypted file once, then 410
    first = client.get(link)
    assert first.status_code == 200
    assert (
        first["Content-Disposition"]
        == f'attachment; filename="{ExportRequest.objects.get().download_name()}"'
    )
    assert first["Cache-Control"] == "no-store"
    text = decrypt(first.content, passphrase).decode("utf-8-sig")
    assert registry["ru_child"].case.reference in text
    assert registry["tj_child"].case.reference not in text
    second = client.get(link)
    assert second.status_code == 410
    assert ExportRequest.objects.get().state == "downloaded"
    assert [
        e
        for e in AuditEvent.objects.order_by("seq").values_list("event_type", flat=True)
        if e.startswith("exports.")
    ] == [
        events.EXPORT_REQUESTED,
        events.EXPORT_APPROVED,
        events.EXPORT_GENERATED,
        events.EXPORT_LINK_ISSUED,
        events.EXPORT_DOWNLOADED,
    ]


def test_self_approval_on_the_page_is_403_and_changes_nothing(client, users, registry, supervisors):
    # given a supervisor's own export
    supervisor = supervisors["first"]
    export = request(supervisor)
    client.force_login(supervisor)
    before = AuditEvent.objects.filter(event_type__startswith="exports.").count()
    # when the supervisor posts an approval of it
    response = client.post(
        reverse("exports:review", kwargs={"pk": export.pk}), {"decision": "approve", "note": ""}
    )
    # then 403, the export still waits, and only the refusal is written
    assert response.status_code == 403
    export.refresh_from_db()
    assert (export.state, export.decided_by) == ("requested", None)
    assert AuditEvent.objects.filter(event_type__startswith="exports.").count() == before
    denial = AuditEvent.objects.filter(event_type=account_events.ACCESS_DENIED).last()
    assert denial.data["reason"] == "rule"
    # and the review page tells the supervisor that someone else must decide
    page = client.get(reverse("exports:review", kwargs={"pk": export.pk})).content.decode()
    assert "another person must decide it" in page


def test_a_download_link_needs_its_own_requester(client, users, registry, supervisors):
    from homeward.exports import services

    export = services.approve_export(request(users["consul.ru"]), actor=supervisors["first"])
    prepared = services.generate_export(export, actor=users["consul.ru"])
    url = reverse("exports:download", kwargs={"token": prepared.token})
    # nobody signed in: to the sign-in page
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # another user (even the approver): the same 404 as an unknown token, and the link unspent
    client.force_login(supervisors["first"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("exports:download", kwargs={"token": "x" * 43})).status_code == 404
    assert ExportRequest.objects.get().state == "generated"
    assert not AuditEvent.objects.filter(event_type=events.EXPORT_DOWNLOADED).exists()


def test_someone_else_cannot_prepare_or_delete_an_export(client, users, registry, supervisors):
    from homeward.exports import services

    export = services.approve_export(request(users["consul.ru"]), actor=supervisors["first"])
    client.force_login(supervisors["first"])
    for step in ("generate", "delete"):
        response = client.post(reverse("exports:detail", kwargs={"pk": export.pk}), {"do": step})
        assert response.status_code == 403
    assert ExportRequest.objects.get().state == "approved"


def test_a_consul_cannot_open_another_consuls_export(client, users, registry):
    export = request(users["consul.tj"])
    client.force_login(users["consul.ru"])
    assert client.get(reverse("exports:detail", kwargs={"pk": export.pk})).status_code == 404
    assert client.get(reverse("exports:review", kwargs={"pk": export.pk})).status_code == 403
    assert str(export.pk) not in client.get(reverse("exports:list")).content.decode()


def test_the_request_form_offers_only_the_users_states(client, users, registry):
    client.force_login(users["consul.ru"])
    form = client.get(reverse("exports:create")).context["form"]
    assert list(form.fields["home_state"].queryset.values_list("code", flat=True)) == ["RU"]


def test_pages_render_in_arabic(client, users, registry, supervisors):
    export = request(users["consul.ru"])
    client.force_login(supervisors["first"])
    client.cookies["django_language"] = "ar"
    urls = [
        reverse("exports:list"),
        reverse("exports:create"),
        reverse("exports:detail", kwargs={"pk": export.pk}),
        reverse("exports:review", kwargs={"pk": export.pk}),
    ]
    # (the override restores the thread's language: the middleware leaves Arabic active)
    with translation.override(settings.LANGUAGE_CODE):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            assert 'dir="rtl"' in response.content.decode()
