"""Diplomacy services: audited writes, validation, scope, figures, unanswered notes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError
from homeward.core.models import HomeState
from homeward.diplomacy import events, queries, services
from homeward.diplomacy.models import ActionItem, Engagement, HomeStateProfile
from homeward.workflow.policies import publish_policy
from tests.diplomacy.conftest import DAY

pytestmark = pytest.mark.django_db


def test_record_engagement_writes_one_audit_event(users, registry):
    # given an officer and a Russian child
    officer, case = users["mfa.officer"], registry["ru_child"].case
    # when a note verbale is sent about the child
    note = services.record_engagement(
        HomeState.objects.get(code="RU"),
        actor=officer,
        kind="note_verbale_out",
        date=DAY,
        reference="NV/2026/14",
        participants=[{"agency": "MFA", "role": "Legal Directorate"}],
        cases=[case],
    )
    # then it is stored, linked and audited with its home state
    event = AuditEvent.objects.get(event_type=events.ENGAGEMENT_RECORDED)
    assert list(note.cases.all()) == [case]
    assert event.home_state == "RU"
    assert event.object_id == str(note.pk)
    assert event.data["cases"] == [case.reference]


def test_a_case_of_another_state_cannot_be_linked(users, registry):
    # given a Tajik case
    tj_case = registry["tj_child"].case
    # when it is linked to a Russian engagement
    with pytest.raises(ValidationError) as error:
        services.record_engagement(
            HomeState.objects.get(code="RU"),
            actor=users["mfa.officer"],
            kind="bilateral_meeting",
            date=DAY,
            cases=[tj_case],
        )
    # then nothing is written
    assert "cases" in error.value.message_dict
    assert Engagement.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=events.ENGAGEMENT_RECORDED).exists()


def test_participants_must_name_an_agency(users):
    with pytest.raises(ValidationError):
        services.record_engagement(
            HomeState.objects.get(code="RU"),
            actor=users["mfa.officer"],
            kind="bilateral_meeting",
            date=DAY,
            participants=[{"role": "chair"}],
        )


def test_reply_answers_the_note_and_ends_its_age(pairs, users):
    # given a Russian note verbale sent on DAY and unanswered
    note = pairs[Engagement][0]
    assert note.days_unanswered(DAY + datetime.timedelta(days=41)) == 41
    # when the reply is recorded
    reply = services.record_reply(
        note, actor=users["mfa.officer"], date=DAY + datetime.timedelta(days=20)
    )
    # then the reply is a note received of the same state, audited with the delay
    assert reply.kind == "note_verbale_in"
    assert reply.home_state_id == "RU"
    assert Engagement.objects.get(pk=note.pk).days_unanswered() is None
    event = AuditEvent.objects.get(event_type=events.REPLY_RECORDED)
    assert event.data["days_to_reply"] == 20


def test_only_a_note_out_can_be_answered(users, pairs):
    meeting = services.record_engagement(
        HomeState.objects.get(code="RU"),
        actor=users["mfa.officer"],
        kind="bilateral_meeting",
        date=DAY,
    )
    with pytest.raises(ValidationError):
        services.record_reply(meeting, actor=users["mfa.officer"], date=DAY)


def test_a_reply_to_another_states_note_is_refused_by_clean(pairs, users):
    _ru_note, tj_note = pairs[Engagement]
    reply = Engagement(home_state_id="RU", kind="note_verbale_in", date=DAY, in_reply_to=tj_note)
    with pytest.raises(ValidationError) as error:
        reply.full_clean()
    assert "in_reply_to" in error.value.message_dict


def test_consul_replies_only_for_its_state_and_officer_limited_to_russia_cannot_touch_tajikistan(
    users, pairs
):
    tj_note = pairs[Engagement][1]
    with pytest.raises(PermissionDenied):
        services.record_engagement(
            tj_note.home_state, actor=users["consul.tj"], kind="bilateral_meeting", date=DAY
        )
    with pytest.raises(OutOfScopeError):
        services.record_reply(tj_note, actor=users["consul.ru"], date=DAY)
    assert Engagement.objects.filter(kind="note_verbale_in").count() == 0
    reply = services.record_reply(tj_note, actor=users["consul.tj"], date=DAY, reference="TJ-9")
    assert (reply.in_reply_to, reply.created_by) == (tj_note, users["consul.tj"])
    officer = users["mfa.officer"]
    officer.all_home_states = False
    officer.save(update_fields=["all_home_states"])
    officer.home_states.set(["RU"])
    restricted = type(officer).objects.get(pk=officer.pk)
    with pytest.raises(OutOfScopeError):
        services.record_reply(tj_note, actor=restricted, date=DAY)


def test_complete_action_item_is_audited_and_only_once(users, pairs):
    item = pairs[ActionItem][0]
    done = services.complete_action_item(item, actor=users["mfa.officer"], note="Confirmed")
    assert done.status == "done" and done.closed_by == users["mfa.officer"]
    assert AuditEvent.objects.filter(event_type=events.ACTION_ITEM_CLOSED).count() == 1
    with pytest.raises(ValidationError):
        services.complete_action_item(item, actor=users["mfa.officer"])


def test_profile_needs_a_channel_without_embassy(users):
    with pytest.raises(ValidationError):
        services.save_profile(
            HomeState.objects.get(code="FR"), actor=users["mfa.officer"], stance="refusing"
        )
    assert not HomeStateProfile.objects.exists()


def test_consul_sees_only_its_own_state(users, pairs):
    consul = users["consul.ru"]
    for model, (ru, _tj) in pairs.items():
        assert list(model.objects.for_user(consul, "view")) == [ru]
    assert [s.code for s in queries.states_for(consul)] == ["RU"]


def test_open_action_items_for_the_owner_agency(users, pairs):
    ru_item, tj_item = pairs[ActionItem]
    assert queries.open_action_items_for(users["consul.ru"]) == [ru_item]
    assert queries.open_action_items_for(users["consul.tj"]) == [tj_item]
    assert queries.open_action_items_for(users["hjc.judge"]) == []


def test_figures_are_exact(users, registry, pairs):
    # given two Russian children pending, one Tajik, one Russian handed over
    Case.objects.filter(pk=registry["ru_brother"].case.pk).update(status="HANDED_OVER")
    today = DAY + datetime.timedelta(days=30)
    publish_policy(
        HomeState.objects.get(code="RU"),
        actor=None,
        reason="test",
        effective_from=datetime.date(2018, 1, 1),
    )
    # when the officer and consul.tj read Russia's figures
    figures = queries.state_figures(
        users["mfa.officer"], HomeState.objects.get(code="RU"), today=today
    )
    # then
    assert figures.pending_total == 1
    assert figures.returned == 1
    assert figures.open_action_items == 1
    assert figures.overdue_action_items == 1  # due DAY+10, today DAY+30
    assert figures.last_engagement == pairs[Engagement][0]
    assert [(code, n) for code, _label, n in figures.pending_by_stage] == [("REGISTERED", 1)]
    # and the pending child is counted under the first thing its next step still needs
    assert figures.pending_by_blocker == [("Languages the child speaks", "Custodial facility", 1)]
    outsider = queries.state_figures(
        users["consul.tj"], HomeState.objects.get(code="RU"), today=today
    )
    assert outsider.pending_total == 0 and outsider.open_action_items == 0
    assert outsider.pending_by_blocker == []
    assert outsider.last_engagement is None


def test_fee_agreements_are_kept_on_the_profile_and_audited_by_name(users):
    # given a state whose embassy pays for the DNA tests
    state = HomeState.objects.get(code="TJ")
    terms = "DNA tests and travel documents paid by the Tajik MFA (exchange of notes, 2019)"
    # when the officer records it
    profile = services.save_profile(
        state, actor=users["mfa.officer"], has_embassy_in_baghdad=True, fee_agreements=terms
    )
    # then the profile keeps it, and the audit event names the field changed, not its text
    assert HomeStateProfile.objects.get(pk="TJ").fee_agreements == terms
    event = AuditEvent.objects.get(event_type=events.PROFILE_SAVED, object_id="TJ")
    assert event.data == {"created": True, "changed": ["fee_agreements", "has_embassy_in_baghdad"]}
    assert profile.version == 1
