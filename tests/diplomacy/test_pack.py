"""The meeting pack PDF: rendered, its text extracted, Arabic in logical order, scoped, audited."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from homeward.accounts.models import Role
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.diplomacy import events, queries, services
from homeward.diplomacy.models import ActionItem
from tests.diplomacy.conftest import DAY

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _meeting(users, code="TJ"):
    officer = users["mfa.officer"]
    meeting = services.record_engagement(
        HomeState.objects.get(code=code), actor=officer, kind="bilateral_meeting", date=DAY
    )
    services.add_action_item(
        meeting,
        actor=officer,
        description="Issue travel documents",
        owner_agency=users["consul.tj"].agency,
        due=DAY,
    )
    return meeting


def test_arabic_pack_has_shaped_arabic_in_logical_order(client, users, registry, pairs):
    # given
    _meeting(users)
    client.force_login(users["mfa.officer"])
    # when
    response = client.get(
        reverse("diplomacy:meeting_pack", kwargs={"code": "TJ"}), HTTP_ACCEPT_LANGUAGE="ar"
    )
    # then: the heading and the child's name come out as typed, not reversed or broken
    text = _text(response)
    assert "فاطمة رحيموفا" in text
    assert "الأطفال بانتظار الإعادة" in text  # "Children pending", from the catalog
    assert registry["tj_child"].case.reference in text
    assert "Issue travel documents" in text
    assert "خديجة حسينوفا" not in text


def test_english_pack_lists_cases_actions_and_figures(client, users, registry, pairs):
    _meeting(users)
    client.force_login(users["mfa.officer"])
    response = client.get(
        reverse("diplomacy:meeting_pack", kwargs={"code": "TJ"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = _text(response)
    assert "Meeting pack: Tajikistan" in text
    assert "Open cases by what blocks them" in text
    assert "Actions from the last meeting" in text
    assert "Proposed next batch" in text
    assert "Notes verbales sent / answered" in text
    # the item from the fixture's note is still open and listed among the others
    assert "Confirm nationality TJ" in text


def test_pack_is_audited_with_the_cases_it_listed(client, users, registry, pairs):
    client.force_login(users["consul.tj"])
    client.get(reverse("diplomacy:meeting_pack", kwargs={"code": "TJ"}))
    event = AuditEvent.objects.get(event_type=events.MEETING_PACK_PRINTED)
    assert event.actor == users["consul.tj"]
    assert event.home_state == "TJ"
    assert event.data["cases"] == [registry["tj_child"].case.reference]
    assert event.data["names_masked"] is False


def test_consul_pack_holds_only_its_state_and_other_state_is_404(client, users, registry, pairs):
    client.force_login(users["consul.ru"])
    denied = client.get(reverse("diplomacy:meeting_pack", kwargs={"code": "TJ"}))
    assert denied.status_code == 404
    assert not AuditEvent.objects.filter(event_type=events.MEETING_PACK_PRINTED).exists()
    text = _text(client.get(reverse("diplomacy:meeting_pack", kwargs={"code": "RU"})))
    assert registry["ru_child"].case.reference in text
    assert registry["tj_child"].case.reference not in text


def test_names_are_masked_for_a_user_who_may_not_see_the_children(users, registry, pairs):
    # given: a reader of diplomacy and cases, without the right to see people
    user = users["security.liaison"]
    role = Role.objects.create(
        code="diplomacy_reader",
        name="Diplomacy reader",
        capabilities=[
            "diplomacy.view_homestateprofile",
            "diplomacy.view_engagement",
            "diplomacy.view_actionitem",
            "cases.view_case",
            "core.view_homestate",
        ],
    )
    user.roles.set([role])
    user = type(user).objects.get(pk=user.pk)
    # when
    pack = queries.meeting_pack(user, HomeState.objects.get(code="RU"))
    # then
    names = sorted(case.name for group in pack.groups for case in group.cases)
    assert names == ["آ*** ح***", "خ*** ح***"]
    assert pack.names_masked is True


def test_mask_name():
    assert queries.mask_name("Khadija Husseinova") == "K*** H***"
    assert queries.mask_name("") == "***"


def test_pack_groups_last_meeting_items(users, registry, pairs):
    meeting = _meeting(users)
    pack = queries.meeting_pack(users["mfa.officer"], HomeState.objects.get(code="TJ"), today=DAY)
    assert pack.last_meeting == meeting
    assert [item.description for item, _ in pack.last_meeting_items] == ["Issue travel documents"]
    assert [item for item, _ in pack.other_open_items] == [pairs[ActionItem][1]]
    assert pack.open_cases == 1
