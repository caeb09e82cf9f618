"""The list, the calendar and the operation page: who sees what, readiness, Arabic."""

import pytest
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.operations.models import ManifestEntry
from tests.operations.conftest import FLIGHT
from tests.operations_ui.conftest import tajik_operation
from tests.workflow.conftest import at_status

pytestmark = pytest.mark.django_db

LIST = reverse("operations:operation_list")


def _detail(operation):
    return reverse("operations:operation_detail", kwargs={"pk": operation.pk})


def test_officer_sees_every_state_in_the_list_and_the_calendar(client, world, flight):
    tajik = tajik_operation(world)
    client.force_login(world["mfa.officer"])
    response = client.get(LIST, {"month": f"{FLIGHT:%Y-%m}"})
    assert response.status_code == 200
    page = response.content.decode()
    russian = flight["operation"].reference
    assert f'data-upcoming="{russian}"' in page and f'data-upcoming="{tajik.reference}"' in page
    assert f'data-operation="{russian}"' in page  # on its day in the month grid
    assert f'data-month="{FLIGHT:%Y-%m}"' in page
    event = AuditEvent.objects.filter(event_type="operations.operation.listed").latest("seq")
    assert event.data["total"] == 2


def test_consul_sees_only_their_state_and_what_they_owe(client, world, flight):
    tajik = tajik_operation(world)
    operation = flight["operation"]
    # a child approved but without a travel document yet: the consul owes it
    waiting = at_status(world["ru_brother"].case, "APPROVED", actor=world["mfa.officer"])
    ManifestEntry.objects.create(operation=operation, person=waiting.child, case=waiting)
    client.force_login(world["consul.ru"])
    page = client.get(LIST, {"month": f"{FLIGHT:%Y-%m}"}).content.decode()
    assert operation.reference in page
    assert tajik.reference not in page
    assert 'data-owed="1"' in page
    assert "Your state still owes documents for 1 child on this manifest." in page


def test_filter_by_status_and_home_state(client, world, flight):
    tajik_operation(world)
    client.force_login(world["mfa.officer"])
    page = client.get(LIST, {"home_state": "TJ", "status": "proposed"}).content.decode()
    assert flight["operation"].reference not in page
    assert "TJ-" in page


def test_operation_page_shows_readiness_in_words_and_who_owes_it(client, world, flight):
    operation = flight["operation"]
    waiting = at_status(world["ru_brother"].case, "APPROVED", actor=world["mfa.officer"])
    ManifestEntry.objects.create(operation=operation, person=waiting.child, case=waiting)
    ManifestEntry.objects.create(
        operation=operation, person=flight["amina"].child, case=flight["amina"]
    )
    client.force_login(world["mfa.officer"])
    page = client.get(_detail(operation)).content.decode()
    assert f'data-entry="{operation.entries.get(case=flight["amina"]).pk}" data-ready="yes"' in page
    assert 'data-ready="no"' in page
    assert "Missing: Travel document issued by the home state — Embassy of Russia" in page
    assert "Dr Ivanova" in page and "UNICEF" in page  # escort team and observers
    assert AuditEvent.objects.filter(
        event_type="operations.operation.viewed", data__isnull=False
    ).exists()


def test_out_of_scope_consul_gets_404_and_no_capability_403(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["consul.tj"])
    assert client.get(_detail(operation)).status_code == 404
    client.force_login(world["molsa.carer"])
    assert client.get(_detail(operation)).status_code == 403
    assert client.get(LIST).status_code == 403
    client.force_login(world["consul.ru"])
    assert client.get(_detail(operation)).status_code == 200
    # a consul reads but plans nothing
    assert (
        client.get(reverse("operations:manifest_plan", kwargs={"pk": operation.pk})).status_code
        == 403
    )


def test_arabic_operation_page_is_right_to_left(client, world, flight):
    client.force_login(world["mfa.officer"])
    page = client.get(_detail(flight["operation"]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "الحالة" in page  # "Status", from the catalog
