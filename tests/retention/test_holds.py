"""Placing and releasing legal holds: supervisors only, in scope, with a reason and an event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.retention import events
from homeward.retention.models import LegalHold
from homeward.retention.services import place_legal_hold, release_legal_hold

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def test_a_supervisor_places_a_hold_with_its_event(supervisor, registry):
    # given
    case = registry["ru_child"].case
    # when
    hold = place_legal_hold(case, actor=supervisor, reason="  Court inquiry  ")
    # then
    stored = LegalHold.objects.get()
    assert (stored.pk, stored.case_id, stored.reason, stored.placed_by_id, stored.is_active) == (
        hold.pk,
        case.pk,
        "Court inquiry",
        supervisor.pk,
        True,
    )
    event = last_event()
    assert (event.event_type, event.object_id, event.case_id, event.home_state, event.data) == (
        events.HOLD_PLACED,
        str(hold.pk),
        case.pk,
        "RU",
        {},
    )


def test_release_records_who_when_why(supervisor, registry):
    # given
    hold = place_legal_hold(registry["ru_child"].case, actor=supervisor, reason="Inquiry")
    # when
    release_legal_hold(hold, actor=supervisor, reason="Inquiry closed")
    # then
    stored = LegalHold.objects.get()
    assert (stored.is_active, stored.released_by_id, stored.release_reason) == (
        False,
        supervisor.pk,
        "Inquiry closed",
    )
    assert last_event().event_type == events.HOLD_RELEASED
    with pytest.raises(ValidationError):
        release_legal_hold(hold, actor=supervisor, reason="Again")


@pytest.mark.parametrize("username", ["mfa.officer", "auditor", "consul.ru"])
def test_others_cannot_place_a_hold(users, registry, username):
    # given
    before = AuditEvent.objects.count()
    # when / then
    with pytest.raises(PermissionDenied):
        place_legal_hold(registry["ru_child"].case, actor=users[username], reason="x")
    assert (LegalHold.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_a_hold_needs_a_reason(supervisor, registry):
    with pytest.raises(ValidationError) as caught:
        place_legal_hold(registry["ru_child"].case, actor=supervisor, reason="   ")
    assert caught.value.message_dict == {"reason": ["Say why the case is held."]}
    assert LegalHold.objects.count() == 0


def test_a_case_out_of_scope_cannot_be_held(supervisor, registry):
    # given a supervisor limited to Russia
    supervisor.all_home_states = False
    supervisor.save(update_fields=["all_home_states"])
    supervisor.home_states.add("RU")
    user = type(supervisor).objects.get(pk=supervisor.pk)
    # when / then
    with pytest.raises(Case.DoesNotExist):
        place_legal_hold(registry["tj_child"].case, actor=user, reason="x")
    assert LegalHold.objects.count() == 0


def test_holds_page_places_and_releases(client, supervisor, registry):
    # given
    case = registry["ru_child"].case
    client.force_login(supervisor)
    page = reverse("retention:case_holds", args=[case.pk])
    # when the page is opened (audited) and a hold placed
    assert client.get(page).status_code == 200
    assert last_event().event_type == events.HOLDS_VIEWED
    response = client.post(page, {"reason": "Family request pending"})
    # then
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.reason == "Family request pending"
    assert "Family request pending" in client.get(page).content.decode()
    # and it is released from its own page
    release = reverse("retention:hold_release", args=[hold.pk])
    assert client.get(release).status_code == 200
    response = client.post(release, {"release_reason": "Request answered"})
    assert response.status_code == 302
    assert LegalHold.objects.get().is_active is False


def test_holds_page_refuses_a_consul_and_changes_nothing(client, users, registry):
    # given
    client.force_login(users["consul.ru"])
    page = reverse("retention:case_holds", args=[registry["ru_child"].case.pk])
    # when / then
    assert client.post(page, {"reason": "x"}).status_code == 403
    assert LegalHold.objects.count() == 0


def test_empty_reason_is_shown_on_the_form(client, supervisor, registry):
    client.force_login(supervisor)
    page = reverse("retention:case_holds", args=[registry["ru_child"].case.pk])
    response = client.post(page, {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert LegalHold.objects.count() == 0
