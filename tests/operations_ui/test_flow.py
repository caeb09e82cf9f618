"""The pages of an operation's life, through their forms: plan, freeze, the day, after."""

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.operations import services as ops
from tests.operations_ui.conftest import completed_with, frozen_with
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db


def _url(name, obj):
    return reverse(f"operations:{name}", kwargs={"pk": obj.pk})


def test_plan_page_lists_families_with_refusals_in_words(client, world, flight):
    client.force_login(world["mfa.officer"])
    response = client.get(_url("manifest_plan", flight["operation"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert flight["amina"].reference in text
    assert (
        f"Sibling {flight['brother'].reference} is not ready to travel, and siblings travel "
        "together." in text
    )
    assert "The travel document expires on" in text
    # only ready families have a box to tick
    assert f'value="{flight["amina"].pk}"' in text
    assert f'value="{flight["mariam"].pk}"' not in text


def test_adding_ready_families_in_one_submission(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    response = client.post(
        _url("manifest_plan", operation),
        {
            "family": [str(flight["amina"].pk), str(flight["yusuf"].pk)],
            "expected_version": operation.version,
        },
    )
    assert response.status_code == 302
    assert sorted(operation.entries.values_list("case__reference", flat=True)) == sorted(
        [flight["amina"].reference, flight["yusuf"].reference]
    )
    added = AuditEvent.objects.filter(event_type="operations.manifest_entry.added")
    assert sorted(e.case_id for e in added) == sorted([flight["amina"].pk, flight["yusuf"].pk])


def test_a_stale_plan_is_refused_and_nothing_written(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    response = client.post(
        _url("manifest_plan", operation),
        {"family": [str(flight["amina"].pk)], "expected_version": operation.version - 1},
    )
    assert response.status_code == 400
    assert "changed" in response.content.decode().lower()
    assert not operation.entries.exists()


def test_a_family_not_offered_cannot_be_posted(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    # Mariam's family is listed (refused), but a hand-made post of it is refused by the service
    response = client.post(
        _url("manifest_plan", operation),
        {"family": [str(flight["mariam"].pk)], "expected_version": operation.version},
    )
    assert response.status_code == 400
    assert "The travel document expires on" in response.content.decode()
    assert not operation.entries.exists()


def test_steps_show_only_what_the_viewer_may_do(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    page = client.get(_url("operation_detail", operation)).content.decode()
    assert 'data-step="negotiate"' in page and 'data-step="cancel"' in page
    assert 'data-step="freeze"' not in page  # not from PROPOSED
    client.force_login(world["hjc.judge"])
    page = client.get(_url("operation_detail", operation)).content.decode()
    assert "data-step=" not in page


def test_freeze_through_the_step_page_schedules_the_children(client, world, flight):
    officer = world["mfa.officer"]
    operation = ops.add_to_manifest(
        flight["operation"], [flight["amina"]], actor=officer, expected_version=1
    )
    client.force_login(officer)
    for step in ("negotiate", "confirm", "freeze"):
        operation.refresh_from_db()
        response = client.post(
            _url(f"operation_{step}", operation), {"expected_version": operation.version}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    operation.refresh_from_db()
    assert (operation.status, operation.planned_count) == ("manifest_frozen", 1)
    assert fresh(flight["amina"]).status == "SCHEDULED"
    assert AuditEvent.objects.filter(event_type="operations.manifest.frozen").count() == 1


def test_postpone_to_an_earlier_date_is_refused_at_the_field(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    response = client.post(
        _url("operation_postpone", operation),
        {
            "expected_version": operation.version,
            "new_date": "2020-01-01",
            "reason": "Weather",
        },
    )
    assert response.status_code == 200
    assert "A postponement moves the date later." in response.content.decode()
    operation.refresh_from_db()
    assert not operation.date_changes.exists()


def test_the_day_one_child_not_boarded_the_other_handed_over(client, world, flight):
    protocol = world["mfa.protocol"]
    operation = frozen_with(world, flight["operation"], [flight["amina"], flight["yusuf"]])
    entries = {e.case_id: e for e in operation.entries.all()}
    client.force_login(protocol)
    # start
    response = client.post(
        _url("operation_start", operation), {"expected_version": operation.version}
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    # Yusuf: not boarded without a reason is refused at the field, nothing written
    yusuf = entries[flight["yusuf"].pk]
    prefix = f"e{yusuf.pk.hex[:8]}"
    response = client.post(
        _url("entry_handover", yusuf),
        {"expected_version": yusuf.version, f"{prefix}-outcome": "not_boarded"},
    )
    assert response.status_code == 400
    assert "Choose why the child did not board." in response.content.decode()
    assert fresh(flight["yusuf"]).status == "SCHEDULED"
    response = client.post(
        _url("entry_handover", yusuf),
        {
            "expected_version": yusuf.version,
            f"{prefix}-outcome": "not_boarded",
            f"{prefix}-not_boarded_reason": "illness",
            f"{prefix}-not_boarded_note": "Fever",
        },
    )
    assert response.status_code == 302
    assert fresh(flight["yusuf"]).status == "APPROVED"
    # the handover itself
    response = client.post(
        _url("handover_day", operation),
        {
            "expected_version": operation.version,
            "handed_over_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "location": "Baghdad International Airport",
            "host_officials": "A. Kareem; Protocol; MFA",
            "receiving_officials": "I. Petrov; Consul; Embassy of Russia",
            "witnesses": "M. Haddad; Observer; UNICEF",
            "attested": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    handover = operation.handover
    assert handover.receiving_officials == [
        {"name": "I. Petrov", "role": "Consul", "organisation": "Embassy of Russia"}
    ]
    # Amina boards
    amina = entries[flight["amina"].pk]
    prefix = f"e{amina.pk.hex[:8]}"
    response = client.post(
        _url("entry_handover", amina),
        {
            "expected_version": amina.version,
            f"{prefix}-outcome": "boarded",
            f"{prefix}-identity_checked_by": "A. Kareem, protocol",
            f"{prefix}-identity_method": "document",
            f"{prefix}-documents_handed": "passport\nmedical summary",
            f"{prefix}-medical_summary_handed": "on",
            f"{prefix}-receiving_official": "I. Petrov",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-status="boarded"' in response.content.decode()
    amina.refresh_from_db()
    assert amina.handover_item.documents_handed == ["passport", "medical summary"]
    # complete
    operation.refresh_from_db()
    response = client.post(
        _url("operation_complete", operation), {"expected_version": operation.version}
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert (operation.status, operation.actual_count) == ("completed", 1)
    assert fresh(flight["amina"]).status == "HANDED_OVER"
    # reconcile: a difference needs an explanation
    client.force_login(world["mfa.officer"])
    response = client.post(
        _url("reconcile", operation), {"expected_version": operation.version, "explanation": ""}
    )
    assert "explain the difference" in response.content.decode()
    response = client.post(
        _url("reconcile", operation),
        {"expected_version": operation.version, "explanation": "Yusuf was ill."},
    )
    assert response.status_code == 302
    page = client.get(_url("operation_detail", operation)).content.decode()
    assert "Planned 2, returned 1." in page
    assert "Fever" in page
    # and the child's record links to the operation; the consul is offered the arrival
    client.force_login(world["consul.ru"])
    child = reverse("people:person_detail", kwargs={"pk": flight["amina"].child_id})
    page = client.get(child).content.decode()
    assert f'data-case-operation="{operation.reference}"' in page
    assert reverse("operations:arrival_confirm", kwargs={"pk": flight["amina"].pk}) in page


def test_after_return_arrival_then_follow_up_reports(client, world, flight):
    completed_with(world, flight["operation"], [flight["amina"]])
    amina = fresh(flight["amina"])
    consul = world["consul.ru"]
    client.force_login(consul)
    listing = client.get(reverse("operations:follow_up_list")).content.decode()
    assert f'data-awaiting="{amina.reference}"' in listing
    arrival = reverse("operations:arrival_confirm", kwargs={"pk": amina.pk})
    # a placement is required: the field says so and nothing is written
    response = client.post(
        arrival, {"expected_version": amina.version, "arrived_on": timezone.localdate()}
    )
    assert response.status_code == 200
    assert not hasattr(fresh(amina), "arrival")
    response = client.post(
        arrival,
        {
            "expected_version": amina.version,
            "arrived_on": timezone.localdate(),
            "placement": "relatives",
            "follow_up_every_months": 6,
            "follow_up_until": timezone.localdate().replace(year=timezone.localdate().year + 1),
        },
    )
    assert response.status_code == 302
    amina = fresh(amina)
    assert amina.status == "RECEIVED"
    assert amina.arrival.placement == "relatives"
    reports = list(amina.follow_up_reports.order_by("due_date"))
    assert len(reports) == 2
    listing = client.get(reverse("operations:follow_up_list")).content.decode()
    assert listing.count('data-report="due"') == 2
    response = client.post(
        reverse("operations:follow_up_receive", kwargs={"pk": reports[0].pk}),
        {
            "received_on": timezone.localdate(),
            "reporting_body": "Child welfare, Grozny",
            "placement_status": "relatives",
            "schooling": "Grade 2",
        },
    )
    assert response.status_code == 302
    reports[0].refresh_from_db()
    assert (reports[0].reporting_body, reports[0].schooling) == ("Child welfare, Grozny", "Grade 2")
    assert AuditEvent.objects.filter(event_type="operations.follow_up_report.recorded").exists()
    # another state's consul cannot open this child's arrival form
    client.force_login(world["consul.tj"])
    assert client.get(arrival).status_code == 404


def test_propose_an_operation_from_the_form(client, world):
    from homeward.operations.models import Operation

    client.force_login(world["mfa.officer"])
    url = reverse("operations:operation_create")
    # without a date: the field says so, nothing is written
    response = client.post(url, {"home_state": "RU", "carrier": "EMERCOM of Russia"})
    assert response.status_code == 200
    assert not Operation.objects.exists()
    response = client.post(
        url,
        {
            "home_state": "RU",
            "planned_date": "2027-03-01",
            "carrier": "EMERCOM of Russia",
            "carrier_kind": "state_aircraft",
            "route": "BGW → ZIA",
        },
    )
    operation = Operation.objects.get()
    assert response.status_code == 302
    assert (operation.reference, operation.status, operation.carrier) == (
        "RU-2027-03-01",
        "proposed",
        "EMERCOM of Russia",
    )
    assert AuditEvent.objects.filter(event_type="operations.operation.proposed").count() == 1
    # a consul may not propose one
    client.force_login(world["consul.ru"])
    assert client.get(url).status_code == 403
