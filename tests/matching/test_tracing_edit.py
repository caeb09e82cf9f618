"""Editing a tracing request: optimistic lock, audit, candidates refreshed, scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.models import HomeState
from homeward.matching import events
from homeward.matching.models import TracingMatch, TracingRole
from homeward.matching.services import update_tracing_request
from tests.matching.test_tracing import file_request


def _misspelt(users):
    """A request whose child's name was taken down wrongly: the registered child is missed."""
    return file_request(
        users["mfa.officer"],
        child_name="Иван Петров",
        child_sex="male",
        mother_name="",
        father_name="",
    )


def _snapshot(request):
    request.refresh_from_db()
    return (
        request.child_name,
        request.version,
        list(request.name_keys),
        set(TracingMatch.objects.filter(request=request).values_list("person_id", flat=True)),
    )


def test_correcting_the_names_saves_audits_and_proposes_the_child(users, registry):
    request = _misspelt(users)
    assert not request.matches.filter(person=registry["ru_child"]).exists()
    updated = update_tracing_request(
        request,
        actor=users["mfa.officer"],
        expected_version=1,
        child_name="Хадижат Гусейнова",
        child_sex="female",
        channel_reference="2026/114",  # unchanged: not listed
    )
    updated.refresh_from_db()
    assert (updated.child_name, updated.child_sex, updated.version) == (
        "Хадижат Гусейнова",
        "female",
        2,
    )
    assert "HTJ" in updated.name_keys
    child = updated.matches.get(person=registry["ru_child"])
    assert child.role == TracingRole.CHILD
    event = AuditEvent.objects.get(event_type=events.TRACING_UPDATED)
    assert event.object_id == str(request.pk)
    assert event.actor == users["mfa.officer"]
    assert event.home_state == "RU"
    proposed = event.data.pop("proposed")
    assert event.data == {
        "reference": request.reference,
        "changed": ["child_name", "child_sex"],
        "version": [1, 2],
    }
    assert str(registry["ru_child"].pk) in proposed
    assert set(proposed) <= {str(pk) for pk in updated.matches.values_list("person_id", flat=True)}


def test_a_stale_edit_is_refused_and_changes_nothing(users, registry):
    request = _misspelt(users)
    update_tracing_request(
        request, actor=users["mfa.officer"], expected_version=1, places="Махачкала"
    )
    before = _snapshot(request)
    with pytest.raises(StaleEditError):
        update_tracing_request(
            request, actor=users["mfa.officer"], expected_version=1, child_name="Хадижат"
        )
    assert _snapshot(request) == before
    assert AuditEvent.objects.filter(event_type=events.TRACING_UPDATED).count() == 1


def test_another_states_consul_gets_404_and_nothing_changes(users, registry):
    request = _misspelt(users)
    before = _snapshot(request)
    with pytest.raises(OutOfScopeError):
        update_tracing_request(
            request, actor=users["consul.tj"], expected_version=1, child_name="Хадижат"
        )
    # a consul of the request's state cannot move it to another state either
    with pytest.raises(ValidationError) as error:
        update_tracing_request(
            request,
            actor=users["consul.ru"],
            expected_version=1,
            home_state=HomeState.objects.get(code="TJ"),
        )
    assert "home_state" in error.value.message_dict
    with pytest.raises((PermissionDenied, OutOfScopeError)):
        update_tracing_request(
            request, actor=users["moj.registrar"], expected_version=1, child_name="Хадижат"
        )
    assert _snapshot(request) == before
    assert not AuditEvent.objects.filter(event_type=events.TRACING_UPDATED).exists()


def test_the_edit_page_saves_and_is_404_for_another_state(client, users, registry):
    request = _misspelt(users)
    url = reverse("matching:tracing_edit", kwargs={"pk": request.pk})
    client.force_login(users["consul.tj"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"child_name": "Хадижат"}).status_code == 404
    client.force_login(users["consul.ru"])
    detail = client.get(reverse("matching:tracing_detail", kwargs={"pk": request.pk}))
    assert url in detail.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: "" if value is None else getattr(value, "pk", value)
        for name, value in form.initial.items()
    }
    data.update(child_name="Хадижат Гусейнова", child_sex="female")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:tracing_detail", kwargs={"pk": request.pk})
    request.refresh_from_db()
    assert (request.child_name, request.version) == ("Хадижат Гусейнова", 2)
    # the same form posted again is stale: refused on the form, nothing written
    stale = client.post(url, data | {"child_name": "Хадижат"})
    assert stale.status_code == 400
    assert stale.context["form"].non_field_errors()
    request.refresh_from_db()
    assert (request.child_name, request.version) == ("Хадижат Гусейнова", 2)
