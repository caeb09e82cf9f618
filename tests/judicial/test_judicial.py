"""Judicial cooperation: requests for evidence, decisions, four-eyes sending, disclosure log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.disclosures import events as disclosure_events
from homeward.disclosures.models import Disclosure
from homeward.judicial import events, queries, services
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from tests.adults.conftest import convicted_case, mission_user, register_mother
from tests.conftest import register
from tests.exports.conftest import make_supervisor
from tests.judicial.conftest import granted_request, verdict_of

TODAY = timezone.localdate


@pytest.fixture
def german_mother(users, prison):
    """A German mother who served her sentence and is returning with her child."""
    officer = users["mfa.officer"]
    child = register(officer, name="مريم شميت", state="DE", facility=prison)
    mother = register_mother(officer, name="Sabine Schmidt", child=child)
    return convicted_case(officer, mother, "DE", release_in_days=10)


def test_germany_asks_for_the_verdict_and_it_is_sent_with_four_eyes(users, registry, german_mother):
    officer, judge = users["mfa.officer"], users["hjc.judge"]
    supervisor = make_supervisor("mfa.supervisor")
    consul_de, consul_ru = mission_user("consul.de", "DE"), users["consul.ru"]
    # given the German mission's request, recorded, forwarded to the court and granted
    request = services.record_evidence_request(
        german_mother.home_state,
        actor=officer,
        subject=german_mother.person,
        their_reference="GBA 3 ARP 12/24",
        channel="mission",
        received_on=TODAY() - timezone.timedelta(days=40),
        legal_basis="letters_rogatory",
        legal_reference="Letters rogatory of the Federal Court of Justice",
        items=["verdict"],
        authority="court",
        authority_name="Central Criminal Court, Rusafa",
        deadline=TODAY() + timezone.timedelta(days=20),
    )
    request = services.forward_evidence_request(
        request,
        actor=officer,
        expected_version=1,
        forwarded_on=TODAY() - timezone.timedelta(days=35),
    )
    request = services.decide_evidence_request(
        request,
        actor=judge,
        expected_version=request.version,
        decision="granted",
        decided_on=TODAY() - timezone.timedelta(days=5),
    )
    # when the officer prepares the verdict and a supervisor approves the sending
    verdict = verdict_of(german_mother.person, officer)
    prepared = services.record_transmission(
        request,
        actor=officer,
        documents=[verdict],
        recipient="Embassy of Germany, Baghdad",
        sent_on=TODAY(),
    )
    assert not Disclosure.objects.exists()
    sent = services.approve_transmission(prepared, actor=supervisor, note="Checked")
    # then the disclosure log holds the sending with its approval and the document's hash
    disclosure = Disclosure.objects.get()
    assert sent.disclosure == disclosure and sent.state == "approved"
    assert disclosure.adult_case == german_mother and disclosure.case is None
    assert (disclosure.recorded_by, disclosure.approved_by) == (officer, supervisor)
    assert disclosure.recipient_state_id == "DE" and disclosure.categories == ["legal"]
    assert list(disclosure.documents.all()) == [verdict]
    assert sent.document_hashes == {str(verdict.pk): verdict.sha256}
    logged = AuditEvent.objects.get(event_type=disclosure_events.DISCLOSURE_RECORDED)
    assert logged.data["approved_by"] == "mfa.supervisor"
    assert logged.data["documents"] == [str(verdict.pk)]
    approved = AuditEvent.objects.get(event_type=events.TRANSMISSION_APPROVED)
    assert approved.actor == supervisor and approved.data["prepared_by"] == "mfa.officer"
    assert approved.home_state == "DE"
    # and the status is visible to Germany and to no other state
    assert [(r.their_reference, r.status) for r in queries.requests_for(consul_de)] == [
        ("GBA 3 ARP 12/24", "granted")
    ]
    assert queries.requests_for(consul_ru).count() == 0
    assert not Disclosure.objects.for_user(consul_ru).exists()
    assert not EvidenceTransmission.objects.for_user(consul_ru).exists()
    assert [f.home_state for f in queries.request_figures(consul_de)] == ["DE"]
    assert queries.request_figures(consul_ru) == []


@pytest.fixture
def supervisor(users):
    return make_supervisor("mfa.supervisor")


def test_the_preparer_cannot_approve_and_nothing_is_disclosed(users, adults):
    request = granted_request(users, adults["ru"])
    prepared = services.record_transmission(
        request,
        actor=users["mfa.officer"],
        documents=[verdict_of(adults["ru"].person, users["mfa.officer"])],
        recipient="Embassy of Russia",
        sent_on=TODAY(),
    )
    for who in ("mfa.officer", "consul.ru", "hjc.judge"):
        with pytest.raises(PermissionDenied):
            services.approve_transmission(prepared, actor=users[who])
    prepared.refresh_from_db()
    assert prepared.state == "awaiting_approval" and prepared.disclosure is None
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(event_type=events.TRANSMISSION_APPROVED).exists()


def test_a_refused_sending_leaves_no_disclosure(users, adults, supervisor):
    request = granted_request(users, adults["ru"])
    prepared = services.record_transmission(
        request,
        actor=users["mfa.officer"],
        documents=[verdict_of(adults["ru"].person, users["mfa.officer"])],
        recipient="Embassy of Russia",
        sent_on=TODAY(),
    )
    with pytest.raises(ValidationError):
        services.refuse_transmission(prepared, actor=supervisor, note=" ")
    refused = services.refuse_transmission(prepared, actor=supervisor, note="Wrong verdict")
    assert refused.state == "refused" and not Disclosure.objects.exists()


def test_a_refusal_gives_its_reason_and_days_to_answer_count(users, adults):
    officer = users["mfa.officer"]
    request = services.record_evidence_request(
        adults["tj"].home_state,
        actor=officer,
        subject=adults["tj"].person,
        their_reference="TJ-5",
        channel="justice_ministry",
        received_on=TODAY() - timezone.timedelta(days=12),
        legal_basis="reciprocity",
        items=["statements", "biometric"],
        authority="hjc",
    )
    with pytest.raises(ValidationError) as error:
        services.decide_evidence_request(
            request, actor=officer, expected_version=1, decision="refused", decided_on=TODAY()
        )
    assert "decision_reason" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == "received"
    decided = services.decide_evidence_request(
        request,
        actor=officer,
        expected_version=1,
        decision="refused",
        decided_on=TODAY() - timezone.timedelta(days=2),
        reason="Investigation still open",
    )
    assert decided.days_to_answer() == 10
    granted_request(users, adults["ru"])  # Russia: received 30 days ago, decided 10 days ago
    figures = {f.home_state: f for f in queries.request_figures(officer)}
    assert (figures["TJ"].refused, figures["TJ"].median_days_to_answer) == (1, 10)
    assert (figures["RU"].granted, figures["RU"].median_days_to_answer) == (1, 20)


def test_a_state_asks_only_about_its_own_nationals(users, adults):
    with pytest.raises(ValidationError) as error:
        services.record_evidence_request(
            adults["ru"].home_state,
            actor=users["mfa.officer"],
            subject=adults["tj"].person,
            their_reference="X",
            channel="mission",
            received_on=TODAY(),
            legal_basis="treaty",
            items=["verdict"],
            authority="court",
        )
    assert "subject" in error.value.message_dict
    assert not EvidenceRequest.objects.exists()


def test_only_current_documents_of_the_person_concerned_are_sent(users, adults, registry):
    request = granted_request(users, adults["ru"])
    other = verdict_of(registry["ru_child"], users["mfa.officer"])
    with pytest.raises(ValidationError):
        services.record_transmission(
            request, actor=users["mfa.officer"], documents=[other], recipient="E", sent_on=TODAY()
        )
    assert not EvidenceTransmission.objects.exists()


def test_a_consul_cannot_record_or_decide_requests(users, adults):
    request = granted_request(users, adults["ru"])
    with pytest.raises(PermissionDenied):
        services.forward_evidence_request(
            request,
            actor=users["consul.ru"],
            expected_version=request.version,
            forwarded_on=TODAY(),
        )
