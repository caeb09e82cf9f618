"""Focal points and a new policy version over the API, through the services (issue 9)."""

import pytest

from homeward.accounts.models import Role, User
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.diplomacy import events
from homeward.diplomacy.models import FocalPoint
from homeward.workflow.models import RequirementsPolicy
from tests.api.conftest import client_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROFILES = "/api/v1/home-state-profiles/"
CHANGED = ["fee_amount", "fee_currency", "requires_fee"]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def _officer_of(*states: str) -> User:
    user = User.objects.create_user("officer.tj", password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code__in=states))
    user.roles.add(Role.objects.get(code="mfa_case_officer"))
    return User.objects.get(pk=user.pk)


def test_an_officer_adds_corrects_and_removes_a_focal_point(users, pairs):
    officer = client_for(users["mfa.officer"])
    added = officer.post(
        f"{PROFILES}RU/focal-points/",
        {"name": "A. Petrov", "role": "Consul", "email": "consul@example.ru"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    point = FocalPoint.objects.get(pk=added.json()["id"])
    assert (point.profile_id, point.name, point.email) == ("RU", "A. Petrov", "consul@example.ru")
    assert AuditEvent.objects.filter(
        event_type=events.FOCAL_POINT_ADDED, object_id=str(point.pk)
    ).exists()
    changed = officer.patch(f"/api/v1/focal-points/{point.pk}/", {"phone": "+7 1"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["phone"] == "+7 1"
    event = AuditEvent.objects.get(event_type=events.FOCAL_POINT_CHANGED)
    assert event.data == {"changed": ["phone"]}
    removed = officer.delete(f"/api/v1/focal-points/{point.pk}/")
    assert removed.status_code == 204
    assert not FocalPoint.objects.filter(pk=point.pk).exists()
    assert AuditEvent.objects.get(event_type=events.FOCAL_POINT_REMOVED).data == {"id": point.pk}


def test_focal_point_refusals_change_nothing(users, pairs):
    ru_point = pairs[FocalPoint][0]
    count = FocalPoint.objects.count()
    officer = client_for(users["mfa.officer"])
    errors = _problem(
        officer.post(f"{PROFILES}RU/focal-points/", {"name": "", "email": "x"}, format="json"),
        400,
    )["errors"]
    assert set(errors) == {"name", "email"}
    consul = client_for(users["consul.ru"])
    _problem(consul.post(f"{PROFILES}RU/focal-points/", {"name": "Me"}, format="json"), 403)
    _problem(consul.delete(f"/api/v1/focal-points/{ru_point.pk}/"), 403)
    officer_tj = client_for(_officer_of("TJ"))
    _problem(officer_tj.post(f"{PROFILES}RU/focal-points/", {"name": "X"}, format="json"), 404)
    _problem(
        officer_tj.patch(f"/api/v1/focal-points/{ru_point.pk}/", {"name": "X"}, format="json"), 404
    )
    _problem(officer_tj.delete(f"/api/v1/focal-points/{ru_point.pk}/"), 404)
    assert FocalPoint.objects.count() == count
    assert FocalPoint.objects.get(pk=ru_point.pk).name == "Focal RU"


def test_a_supervisor_publishes_a_policy_version(world, pairs):
    before = RequirementsPolicy.objects.filter(home_state="RU").order_by("-version").first()
    response = client_for(world["mfa.supervisor"]).post(
        f"{PROFILES}RU/policies/",
        {
            "effective_from": "2026-04-01",
            "reason": "Note verbale 55/2026",
            "requires_fee": True,
            "fee_amount": "150.00",
            "fee_currency": "USD",
            "assurance_items": ["placement", "rights"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["home_state"], body["version"], body["requires_fee"], body["fee_currency"]) == (
        "RU",
        before.version + 1,
        True,
        "USD",
    )
    assert body["assurance_items"] == ["placement", "rights"]
    # rules not given carry over
    assert body["requires_mother_consent"] == before.requires_mother_consent
    event = AuditEvent.objects.filter(event_type="workflow.policy.published").latest("seq")
    assert event.data["changed"] == CHANGED


def test_policy_refusals_change_nothing(world, pairs):
    count = RequirementsPolicy.objects.count()
    body = {"effective_from": "2026-04-01", "reason": "R"}
    _problem(
        client_for(world["mfa.officer"]).post(f"{PROFILES}RU/policies/", body, format="json"), 403
    )
    supervisor = client_for(world["mfa.supervisor"])
    errors = _problem(
        supervisor.post(
            f"{PROFILES}RU/policies/",
            {"reason": "", "assurance_items": ["never"], "version": 9},
            format="json",
        ),
        400,
    )["errors"]
    assert errors == {"version": ["This field cannot be set here."]}
    errors = _problem(
        supervisor.post(
            f"{PROFILES}RU/policies/", {"reason": "", "assurance_items": ["never"]}, format="json"
        ),
        400,
    )["errors"]
    assert set(errors) == {"effective_from", "reason", "assurance_items"}
    assert RequirementsPolicy.objects.count() == count
