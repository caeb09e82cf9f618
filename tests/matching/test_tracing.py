"""Tracing requests: filing, candidates both ways, review, guardian and claim, scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.audit.models import AuditEvent
from homeward.core.exceptions import OutOfScopeError
from homeward.core.models import HomeState
from homeward.evidence.models import GuardianCandidate, NationalityClaim
from homeward.matching import events
from homeward.matching.models import (
    TracingMatch,
    TracingMatchOrigin,
    TracingMatchStatus,
    TracingRequest,
    TracingRole,
    TracingStatus,
)
from homeward.matching.services import (
    close_tracing_request,
    create_tracing_request,
    decide_tracing_match,
    refresh_tracing_matches,
)
from homeward.people.models import Person, Relationship
from tests.conftest import register


def file_request(actor, *, state="RU", **fields):
    values = {
        "home_state": HomeState.objects.get(code=state),
        "channel": "embassy",
        "channel_reference": "2026/114",
        "received_on": datetime.date(2026, 9, 1),
        "child_name": "Хадижат Гусейнова",
        "child_sex": "female",
        "child_birth_year": 2016,
        "mother_name": "Зульфия Гусейнова",
        "mother_birth_year": 1992,
        "father_name": "Абу Мухаммад аш-Шишани",
        "requester_name": "Патимат Гусейнова",
        "requester_relationship": "grandparent_maternal",
        "places": "Хасавюрт, Дагестан",
    }
    values.update(fields)
    return create_tracing_request(actor=actor, **values)


def test_filing_proposes_the_child_and_the_mother_across_scripts(users, registry):
    # given the Russian child خديجة حسينوفا with her mother زلفية حسينوفا in the registry
    # when her grandmother's request in Cyrillic is filed
    request = file_request(users["mfa.officer"])
    # then the child is the best child candidate and the mother the best mother candidate
    matches = {m.role: m for m in request.matches.order_by("-score")}
    assert matches[TracingRole.CHILD].person == registry["ru_child"]
    assert matches[TracingRole.MOTHER].person == registry["ru_mother"]
    child = matches[TracingRole.CHILD]
    assert child.origin == TracingMatchOrigin.REQUEST
    assert child.score >= 0.5
    levels = {item["field"]: item["level"] for item in child.explanation}
    assert levels["given"] == "agree" and levels["family"] == "agree"
    assert levels["mother"] == "agree" and levels["sex"] == "agree"
    assert request.name_keys and "HTJ" in request.name_keys
    # and the filing is audited with the number proposed
    event = AuditEvent.objects.get(event_type=events.TRACING_FILED)
    assert event.object_id == str(request.pk)
    assert event.home_state == "RU"
    assert event.data["proposed"] == request.matches.count()
    assert event.data["reference"] == request.reference


def test_a_consul_never_sees_a_match_with_another_states_child(users, registry):
    # given a Russian request whose child was registered under the Tajik case
    tj_lookalike = register(
        users["mfa.officer"], name="خديجة حسينوفا", state="TJ", born=datetime.date(2016, 5, 5)
    )
    request = file_request(users["consul.ru"])
    proposed = set(request.matches.values_list("person_id", flat=True))
    assert tj_lookalike.pk in proposed  # the system proposes it: the ministry must see it
    # when the Russian consul reads the matches
    visible = set(
        TracingMatch.objects.for_user(users["consul.ru"]).values_list("person_id", flat=True)
    )
    # then the Tajik child is not among them, but the ministry sees it
    assert tj_lookalike.pk not in visible
    assert registry["ru_child"].pk in visible
    assert tj_lookalike.pk in set(
        TracingMatch.objects.for_user(users["mfa.officer"]).values_list("person_id", flat=True)
    )
    # and the Tajik consul sees neither the Russian request nor its matches
    assert not TracingRequest.objects.for_user(users["consul.tj"]).exists()
    assert not TracingMatch.objects.for_user(users["consul.tj"]).exists()


def test_a_consul_files_only_for_their_own_state(users, registry):
    with pytest.raises(ValidationError) as error:
        file_request(users["consul.ru"], state="TJ")
    assert "home_state" in error.value.message_dict
    assert not TracingRequest.objects.exists()


def test_filing_needs_the_capability(users, registry):
    with pytest.raises(PermissionDenied):
        file_request(users["moj.registrar"])
    assert not TracingRequest.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(users, registry):
    with pytest.raises(ValidationError) as error:
        file_request(users["mfa.officer"], mother_birth_year=2018, child_name="1234")
    assert set(error.value.message_dict) >= {"mother_birth_year", "child_name"}
    assert not TracingRequest.objects.exists()
    assert not AuditEvent.objects.filter(event_type=events.TRACING_FILED).exists()


def test_unicef_sees_only_the_requests_its_agency_filed_or_partners(users, registry):
    mine = file_request(users["unicef.officer"], channel="unicef")
    ministry = file_request(users["mfa.officer"], child_name="Фатима Рахимова", state="TJ")
    visible = set(TracingRequest.objects.for_user(users["unicef.officer"]))
    assert visible == {mine}
    assert mine.filed_by_agency == users["unicef.officer"].agency
    # a partner request becomes visible
    ministry.partner_agency = users["unicef.officer"].agency
    ministry.save(update_fields=["partner_agency"])
    assert set(TracingRequest.objects.for_user(users["unicef.officer"])) == {mine, ministry}


def test_a_new_registration_is_matched_against_open_requests(users, registry):
    # given an open request for a child not yet in the registry
    request = file_request(
        users["mfa.officer"],
        child_name="Айшат Магомедова",
        child_birth_year=2018,
        mother_name="",
        mother_birth_year=None,
    )
    assert not request.matches.exists()
    # when the child is registered in Arabic script
    child = register(
        users["moj.registrar"], name="عائشة محمدوفا", state="RU", born=datetime.date(2018, 6, 1)
    )
    # then the registration proposes her for the request, in the same transaction
    match = TracingMatch.objects.get(request=request)
    assert match.person == child
    assert match.origin == TracingMatchOrigin.REGISTRATION
    assert match.role == TracingRole.CHILD
    # a closed request is not matched any more
    close_tracing_request(request, actor=users["mfa.officer"], reason="Found through ICRC")
    again = register(
        users["moj.registrar"], name="عائشة محمدوفا", state="RU", born=datetime.date(2018, 7, 1)
    )
    assert not TracingMatch.objects.filter(person=again).exists()


def test_confirming_the_child_links_the_relative_as_guardian_and_opens_a_claim(users, registry):
    officer = users["mfa.officer"]
    request = file_request(officer)
    match = request.matches.get(person=registry["ru_child"])
    # when the officer confirms with guardian and claim
    decided = decide_tracing_match(
        match, actor=officer, confirmed=True, link_guardian=True, open_claim=True
    )
    # then the grandmother is a registered adult, linked, and a pending guardian candidate
    assert decided.status == TracingMatchStatus.CONFIRMED
    assert decided.reviewed_by == officer
    relative = decided.relative
    assert relative.kind == "adult"
    assert relative.names.get().full_text == "Патимат Гусейнова"
    assert Relationship.objects.filter(
        person=registry["ru_child"], relative=relative, relationship_type="grandparent_maternal"
    ).exists()
    guardian = GuardianCandidate.objects.get(pk=decided.guardian_id)
    assert guardian.case == registry["ru_child"].case and guardian.person == relative
    assert guardian.vetting == "pending"
    assert guardian.address_region == "Хасавюрт, Дагестан"
    claim = NationalityClaim.objects.get(pk=decided.claim_id)
    assert (claim.claimed_state_id, claim.basis, claim.claimed_by) == (
        "RU",
        "relative_application",
        "relative",
    )
    request.refresh_from_db()
    assert request.status == TracingStatus.MATCHED
    event = AuditEvent.objects.get(event_type=events.TRACING_MATCH_CONFIRMED)
    assert event.data["guardian"] == str(guardian.pk)
    assert event.data["claim"] == str(claim.pk)
    assert event.person_id == registry["ru_child"].pk
    # a decision is final
    with pytest.raises(ValidationError):
        decide_tracing_match(decided, actor=officer, confirmed=False)


def test_rejecting_is_audited_and_never_reproposed(users, registry):
    officer = users["mfa.officer"]
    request = file_request(officer)
    match = request.matches.get(person=registry["ru_child"])
    decide_tracing_match(match, actor=officer, confirmed=False)
    assert AuditEvent.objects.get(event_type=events.TRACING_MATCH_REJECTED).data["role"] == "child"
    refresh_tracing_matches(request, actor=officer)
    match.refresh_from_db()
    assert match.status == TracingMatchStatus.REJECTED
    assert request.matches.filter(person=registry["ru_child"]).count() == 1
    assert Person.objects.filter(kind="adult").count() == 1  # nobody registered


def test_a_consul_cannot_decide_another_states_match_nor_claim_without_capability(users, registry):
    request = file_request(users["mfa.officer"])
    match = request.matches.get(person=registry["ru_child"])
    with pytest.raises(OutOfScopeError):
        decide_tracing_match(match, actor=users["consul.tj"], confirmed=True)
    # the Russian consul may confirm and link the guardian, but not open a claim (ministry's)
    with pytest.raises(PermissionDenied):
        decide_tracing_match(match, actor=users["consul.ru"], confirmed=True, open_claim=True)
    match.refresh_from_db()
    assert match.status == TracingMatchStatus.PROPOSED
    assert not NationalityClaim.objects.exists()
