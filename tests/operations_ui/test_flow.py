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


def test_a_released_mother_is_offered_with_her_family_and_travels_with_it(client, world, flight):
    from homeward.people.models import Person
    from tests.operations.conftest import ready

    operation, mother = flight["operation"], world["ru_mother"]
    brother = ready(world, flight["brother"])
    client.force_login(world["mfa.officer"])
    key = f"{mother.pk}:{flight['sister'].pk}"
    # while she serves her sentence she is listed with the reason, and has no box to tick
    text = client.get(_url("manifest_plan", operation)).content.decode()
    assert f'data-adult="{mother.pk}"' in text
    assert "is not recorded as released" in text
    assert f'value="{key}"' not in text
    # once released she can be chosen with the Husseinov siblings
    Person.objects.filter(pk=mother.pk).update(legal_status="released")
    text = client.get(_url("manifest_plan", operation)).content.decode()
    assert f'value="{key}"' in text
    family = str(flight["sister"].family_group_id)
    # an adult posted without her family is refused, nothing written
    response = client.post(
        _url("manifest_plan", operation),
        {"family": [str(flight["amina"].pk)], "adult": [key], "expected_version": 1},
    )
    assert response.status_code == 400
    assert not operation.entries.exists()
    response = client.post(
        _url("manifest_plan", operation),
        {"family": [family], "adult": [key], "expected_version": operation.version},
    )
    assert response.status_code == 302
    rows = operation.entries.values_list("person_id", "case_id", "accompanies_id")
    assert sorted(rows, key=str) == sorted(
        [
            (flight["sister"].child_id, flight["sister"].pk, None),
            (brother.child_id, brother.pk, None),
            (mother.pk, None, flight["sister"].pk),
        ],
        key=str,
    )


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


def test_postponed_without_a_date_shows_the_date_to_be_agreed(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    response = client.post(
        _url("operation_postpone", operation),
        {"expected_version": operation.version, "new_date": "", "reason": "Flight permits"},
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert operation.status == "postponed"
    page = client.get(_url("operation_detail", operation)).content.decode()
    assert "date to be agreed" in page
    assert 'data-step="postpone"' in page  # a new date is given by postponing again


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
    # the child's page offers the operation's arrival form, the one way to RECEIVED
    page = client.get(reverse("people:person_detail", kwargs={"pk": amina.child_id}))
    assert page.content.decode().count(f'href="{arrival}"') == 1
    assert "confirm-arrival" not in page.content.decode()
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


def _edit_data(operation, **changes):
    data = {
        "expected_version": operation.version,
        "planned_date": operation.planned_date.isoformat(),
        "carrier": "EMERCOM of Russia",
        "carrier_kind": "state_aircraft",
        "aircraft": "Il-76MD",
        "route": "BGW → ZIA",
        "handover_location": "Baghdad International Airport",
        "fee_per_child": "",
        "fee_currency": "",
        "notes": "",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "2",
        "members-0-name": "Dr Ivanova",
        "members-0-role": "doctor",
        "members-0-side": "home",
        "members-0-organisation": "EMERCOM",
        "members-1-name": "M. Haddad",
        "members-1-role": "observer",
        "members-1-side": "observer",
        "members-1-organisation": "UNICEF",
        "members-1-DELETE": "on",
        "members-2-name": "L. Petrova",
        "members-2-role": "psychologist",
        "members-2-side": "home",
        "members-2-organisation": "",
    }
    data.update(changes)
    return data


def test_editing_details_and_team_replaces_the_team_and_is_audited(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    page = client.get(_url("operation_edit", operation)).content.decode()
    assert 'value="Dr Ivanova"' in page and 'value="M. Haddad"' in page
    response = client.post(
        _url("operation_edit", operation),
        _edit_data(operation, fee_per_child="150", fee_currency="usd"),
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert (operation.aircraft, f"{operation.fee_per_child} {operation.fee_currency}") == (
        "Il-76MD",
        "150.00 USD",
    )
    assert operation.version == 2
    team = sorted(operation.members.values_list("name", "role", "side"))
    assert team == [("Dr Ivanova", "doctor", "home"), ("L. Petrova", "psychologist", "home")]
    event = AuditEvent.objects.filter(event_type="operations.operation.updated").latest("seq")
    assert event.data["changed"] == ["aircraft", "fee_currency", "fee_per_child", "members"]


def test_a_stale_edit_or_a_moved_agreed_date_is_refused_and_nothing_changes(client, world, flight):
    operation = flight["operation"]
    client.force_login(world["mfa.officer"])
    stale = _edit_data(operation, expected_version=operation.version - 1)
    assert client.post(_url("operation_edit", operation), stale).status_code == 400
    officer = world["mfa.officer"]
    operation = ops.advance_operation(operation, actor=officer, expected_version=1)
    later = (operation.planned_date + timezone.timedelta(days=7)).isoformat()
    response = client.post(
        _url("operation_edit", operation), _edit_data(operation, planned_date=later)
    )
    assert response.status_code == 400
    assert "Postpone the operation to change an agreed date." in response.content.decode()
    operation.refresh_from_db()
    assert (operation.aircraft, operation.members.count(), operation.version) == ("Il-76", 2, 2)
    # a consul does not plan operations: refused before the record is looked up
    client.force_login(world["consul.ru"])
    assert client.get(_url("operation_edit", operation)).status_code == 403


def test_confirming_an_entry_with_medical_needs_and_escort(client, world, flight):
    operation = ops.add_to_manifest(
        flight["operation"], [flight["amina"]], actor=world["mfa.officer"], expected_version=1
    )
    entry = operation.entries.get()
    doctor = operation.members.get(role="doctor")
    client.force_login(world["mfa.officer"])
    detail = client.get(_url("operation_detail", operation)).content.decode()
    assert reverse("operations:entry_confirm", kwargs={"pk": entry.pk}) in detail
    url = reverse("operations:entry_confirm", kwargs={"pk": entry.pk})
    response = client.post(
        url,
        {"expected_version": entry.version, "medical_needs": "Asthma inhaler", "escort": doctor.pk},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.medical_needs, entry.escort_id) == (
        "confirmed",
        "Asthma inhaler",
        doctor.pk,
    )
    event = AuditEvent.objects.filter(event_type="operations.manifest_entry.confirmed").get()
    assert event.case_id == flight["amina"].pk
    # an escort from another operation is not a choice: the field refuses it
    other = ops.propose_operation(
        operation.home_state,
        actor=world["mfa.officer"],
        planned_date=operation.planned_date + timezone.timedelta(days=1),
        members=[{"role": "nurse", "side": "home", "name": "N. Other"}],
    ).members.get()
    response = client.post(url, {"expected_version": entry.version, "escort": other.pk})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.escort_id, entry.version) == (doctor.pk, 2)
