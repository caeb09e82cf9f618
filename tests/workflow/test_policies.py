"""Policies are versioned data; decisions keep the version in force on their date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.evidence import services as ev
from homeward.workflow.models import ImmutableRecordError, RequirementsPolicy
from homeward.workflow.policies import policy_in_force, publish_policy
from tests.workflow.conftest import ago, today

pytestmark = pytest.mark.django_db


def test_default_policies_encode_each_states_rules(policies):
    ru, tj, fr = policies["RU"], policies["TJ"], policies["FR"]
    assert (ru.requires_dna_mother_child, ru.requires_home_court_decision, ru.requires_fee) == (
        True,
        True,
        False,
    )
    assert (tj.requires_mother_consent, tj.requires_fee, str(tj.fee_amount), tj.fee_currency) == (
        True,
        True,
        "400.00",
        "USD",
    )
    assert (fr.requires_bia, fr.requires_mother_consent) == (True, True)


def test_publishing_creates_a_new_version_and_carries_the_other_rules(world):
    tj = HomeState.objects.get(code="TJ")
    policy = publish_policy(
        tj,
        actor=world["mfa.supervisor"],
        reason="2022: no right to refuse",
        effective_from=datetime.date(2022, 6, 1),
        requires_mother_consent=False,
    )
    assert (policy.version, policy.requires_mother_consent, policy.requires_fee) == (2, False, True)
    assert policy_in_force(tj, datetime.date(2021, 1, 1)).version == 1
    assert policy_in_force(tj, datetime.date(2022, 6, 1)).version == 2
    event = AuditEvent.objects.get(
        event_type="workflow.policy.published", actor_username="mfa.supervisor"
    )
    assert (event.home_state, event.data) == (
        "TJ",
        {"version": 2, "effective_from": "2022-06-01", "changed": ["requires_mother_consent"]},
    )


def test_a_policy_is_never_edited(policies):
    policy = policies["RU"]
    policy.requires_fee = True
    with pytest.raises(ImmutableRecordError):
        policy.save()
    assert RequirementsPolicy.objects.get(pk=policy.pk).requires_fee is False


def test_only_a_supervisor_publishes(world):
    with pytest.raises(PermissionDenied):
        publish_policy(
            HomeState.objects.get(code="RU"),
            actor=world["mfa.officer"],
            reason="r",
            effective_from=today(),
        )
    assert RequirementsPolicy.objects.filter(home_state_id="RU").count() == 1


def test_a_later_policy_does_not_change_past_decisions(world):
    # given a clearance decided under version 1
    case = world["tj_child"].case
    clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    decided = ev.decide_clearance(
        clearance, actor=world["hjc.judge"], approve=True, reference="J-1"
    )
    # when a new version is published for tomorrow
    publish_policy(
        HomeState.objects.get(code="TJ"),
        actor=world["mfa.supervisor"],
        reason="Fee raised",
        effective_from=today() + datetime.timedelta(days=1),
        fee_amount="500.00",
    )
    # then the decision still names version 1, and a decision today still falls under version 1
    decided.refresh_from_db()
    assert decided.decision_policy.version == 1
    later = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="medical")
    assert (
        ev.decide_clearance(
            later, actor=world["moj.registrar"], approve=True, reference="M"
        ).decision_policy.version
        == 1
    )


def test_a_decision_records_the_version_in_force_on_its_date(world):
    tj = HomeState.objects.get(code="TJ")
    publish_policy(tj, actor=world["mfa.supervisor"], reason="New rule", effective_from=ago(10))
    case = world["tj_child"].case
    claim = ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=tj,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(40),
        notification_reference="NV",
    )
    old = ev.record_home_state_determination(
        claim,
        actor=world["consul.tj"],
        decision="pending_court",
        instrument_type="note_verbale",
        decided_on=ago(20),
    )
    new = ev.record_home_state_determination(
        claim,
        actor=world["consul.tj"],
        decision="recognised",
        instrument_type="note_verbale",
        instrument_reference="N",
        decided_on=ago(1),
    )
    assert (old.policy.version, new.policy.version) == (1, 2)
