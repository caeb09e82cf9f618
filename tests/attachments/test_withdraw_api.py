"""Withdrawing a document over the API, through `services.withdraw_attachment` (issue 9)."""

import pytest

from homeward.accounts.models import Role, User
from homeward.attachments import events
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from tests.api.conftest import client_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _url(attachment) -> str:
    return f"/api/v1/attachments/{attachment.pk}/withdraw/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_an_officer_withdraws_a_document_with_the_reason(users, ru_court_decision):
    response = client_for(users["mfa.officer"]).post(
        _url(ru_court_decision), {"reason": "Attached to the wrong child"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == str(ru_court_decision.pk)
    stored = Attachment.objects.get(pk=ru_court_decision.pk)
    assert (stored.is_withdrawn, stored.withdrawn_by, stored.withdrawal_reason) == (
        True,
        users["mfa.officer"],
        "Attached to the wrong child",
    )
    event = AuditEvent.objects.get(event_type=events.ATTACHMENT_WITHDRAWN)
    assert (event.actor_username, event.data["reason"], event.data["kind"]) == (
        "mfa.officer",
        "Attached to the wrong child",
        "court_decision",
    )
    # withdrawn already: there is nothing left to withdraw
    again = client_for(users["mfa.officer"]).post(
        _url(ru_court_decision), {"reason": "Twice"}, format="json"
    )
    _problem(again, 404)


def test_withdraw_refusals_change_nothing(users, ru_court_decision):
    officer = client_for(users["mfa.officer"])
    assert _problem(officer.post(_url(ru_court_decision), {"reason": ""}, format="json"), 400)[
        "errors"
    ] == {"reason": ["This field may not be blank."]}
    _problem(
        client_for(users["consul.ru"]).post(
            _url(ru_court_decision), {"reason": "Wrong"}, format="json"
        ),
        403,
    )
    registrar_tj = User.objects.create_user("registrar.tj", password=PASSWORD)
    registrar_tj.home_states.set(HomeState.objects.filter(code="TJ"))
    registrar_tj.roles.add(Role.objects.get(code="moj_registrar"))
    registrar_tj = User.objects.get(pk=registrar_tj.pk)
    _problem(
        client_for(registrar_tj).post(_url(ru_court_decision), {"reason": "Wrong"}, format="json"),
        404,
    )
    assert Attachment.objects.get(pk=ru_court_decision.pk).is_withdrawn is False
    assert not AuditEvent.objects.filter(event_type=events.ATTACHMENT_WITHDRAWN).exists()
