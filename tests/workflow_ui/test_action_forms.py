"""Action forms: a good submission writes the service's audit event; a bad one writes nothing.

Also: a consul on the other state's case gets 404; a gate not met lists what is missing; a
stale version is refused with a clear message; a step the case cannot take is a 403.
"""

import html

import pytest
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.evidence import services as ev
from homeward.evidence.models import DNASample, GuardianCandidate
from tests.workflow.conftest import (
    ago,
    at_status,
    audit_head,
    claim_and_engage,
    fresh,
    last_event,
    today,
    walk,
)

pytestmark = pytest.mark.django_db


def _claimed(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    ev.record_nationality_claim(
        case,
        actor=world["mfa.officer"],
        claimed_state=case.home_state,
        basis="mother_national",
        claimed_by="mother",
        notified_on=ago(20),
        notification_reference="NV-20",
    )
    return case


def _engaged(world):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    return case


def _sampled(world):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    for donor in (case.child, world["ru_mother"]):
        ev.record_dna_sample(
            case,
            actor=world["moh.lab"],
            donor=donor,
            sample_type="blood",
            collected_on=ago(3),
            collected_by="MoH",
        )
    return case


def _with_candidate(world):
    case = at_status(world["ru_child"].case, "CARE_PLANNING", actor=world["mfa.officer"])
    ev.propose_guardian(
        case, actor=world["consul.ru"], relationship_to_child="aunt", institution="Aunt's home"
    )
    return case


def _judicial_requested(world):
    case = at_status(world["ru_child"].case, "CLEARANCE", actor=world["mfa.officer"])
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    return case


def _registered(world):
    return world["ru_child"].case


def _claim_of(case):
    return str(case.nationalityclaim_set.get().pk)


# (username, route, setup, data (may be a function of the case), audit event)
SUCCESSES = [
    (
        "mfa.officer",
        "evidence:claim_create",
        _registered,
        lambda c: {
            "claimed_state": "RU",
            "basis": "mother_national",
            "claimed_by": "mother",
            "notified_on": ago(2).isoformat(),
            "notification_reference": "NV-1",
        },
        "evidence.nationality_claim.recorded",
    ),
    (
        "consul.ru",
        "evidence:claim_acknowledge",
        _claimed,
        lambda c: {
            "claim": _claim_of(c),
            "acknowledged_on": ago(1).isoformat(),
            "focal_point": "Consul Petrov",
        },
        "evidence.nationality_claim.acknowledged",
    ),
    (
        "consul.ru",
        "evidence:determination_create",
        _engaged,
        lambda c: {
            "claim": _claim_of(c),
            "decision": "recognised",
            "instrument_type": "note_verbale",
            "instrument_reference": "NV-RU-3",
            "decided_on": ago(1).isoformat(),
        },
        "evidence.nationality_determination.recorded",
    ),
    (
        "moh.lab",
        "evidence:dna_sample_create",
        _registered,
        lambda c: {
            "donor": str(c.child_id),
            "sample_type": "buccal_swab",
            "location": "iraq",
            "collected_on": ago(1).isoformat(),
            "collected_by": "MoH team 3",
        },
        "evidence.dna_sample.recorded",
    ),
    (
        "moh.lab",
        "evidence:dna_comparison_create",
        _sampled,
        lambda c: {
            "hypothesis": "mother_child",
            "samples": [str(s.pk) for s in DNASample.objects.filter(case=c)],
            "lab": "MoH Baghdad",
            "method": "autosomal_str",
            "reported_on": ago(1).isoformat(),
            "conclusion": "supported",
        },
        "evidence.dna_comparison.recorded",
    ),
    (
        "consul.ru",
        "evidence:guardian_create",
        _registered,
        lambda c: {
            "relationship_to_child": "state institution",
            "institution": "Grozny child-welfare centre",
        },
        "evidence.guardian.proposed",
    ),
    (
        "consul.ru",
        "evidence:guardian_vet",
        _with_candidate,
        lambda c: {
            "candidate": str(GuardianCandidate.objects.get(case=c).pk),
            "decision": "approved",
            "authority": "Guardianship authority",
            "vetted_on": ago(1).isoformat(),
        },
        "evidence.guardian.vetted",
    ),
    (
        "consul.ru",
        "evidence:assurance_create",
        _registered,
        lambda c: {
            "reference": "NV-RU-1",
            "dated": ago(1).isoformat(),
            "items": ["placement", "rights"],
        },
        "evidence.assurance.recorded",
    ),
    (
        "unicef.officer",
        "evidence:bia_create",
        _registered,
        lambda c: {
            "kind": "bia",
            "trigger": "routine",
            "assessor": "UNICEF Iraq",
            "recommendation": "return",
            "assessed_on": ago(1).isoformat(),
        },
        "evidence.best_interests_assessment.recorded",
    ),
    (
        "mfa.officer",
        "evidence:clearance_request",
        _registered,
        lambda c: {"clearance_type": "medical"},
        "evidence.clearance.requested",
    ),
    (
        "hjc.judge",
        "evidence:clearance_decide_judicial",
        _judicial_requested,
        lambda c: {"decision": "approve", "reference": "HJC-1"},
        "evidence.clearance.decided",
    ),
    (
        "consul.ru",
        "evidence:travel_document_create",
        _registered,
        lambda c: {
            "document_type": "certificate_of_return",
            "number": "RU-77",
            "issued_by": "Embassy",
            "issued_on": ago(1).isoformat(),
            "valid_until": (today().replace(year=today().year + 1)).isoformat(),
        },
        "evidence.travel_document.recorded",
    ),
    (
        "moi.residency",
        "evidence:exit_authorization_create",
        _registered,
        lambda c: {
            "reference": "MOI-5",
            "judicial_decision_reference": "HJC-9",
            "authorised_on": ago(1).isoformat(),
        },
        "evidence.exit_authorization.recorded",
    ),
    (
        "mfa.officer",
        "evidence:incident_create",
        _registered,
        lambda c: {
            "incident_type": "hospitalisation",
            "occurred_on": ago(1).isoformat(),
            "description": "Fever",
        },
        "evidence.incident.recorded",
    ),
    (
        "mfa.officer",
        "workflow:engage_home_state",
        lambda w: _engaged_ready(w),
        lambda c: {"version": str(c.version)},
        "workflow.case.home_state_engaged",
    ),
    (
        "mfa.officer",
        "workflow:put_on_hold",
        _registered,
        lambda c: {"version": str(c.version), "reason": "Awaiting the sibling"},
        "workflow.case.put_on_hold",
    ),
]


def _engaged_ready(world):
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, case)
    return fresh(case)


@pytest.mark.parametrize(
    ("username", "route", "setup", "data", "event"),
    SUCCESSES,
    ids=[row[1] for row in SUCCESSES],
)
def test_a_good_submission_calls_the_service_and_returns_to_the_record(
    client, world, username, route, setup, data, event
):
    # given a case where the step makes sense, and the user who does it
    case = fresh(setup(world))
    client.force_login(world[username])
    url = reverse(route, kwargs={"pk": case.pk})
    assert client.get(url).status_code == 200
    # when they submit the form
    response = client.post(url, data(case))
    # then the service ran, as them, and they are back on the child's record
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    assert response["Location"] == reverse("people:person_detail", kwargs={"pk": case.child_id})
    assert (last_event().event_type, last_event().actor_username) == (event, username)


@pytest.mark.parametrize(
    ("username", "route", "data"),
    [
        ("mfa.officer", "evidence:claim_create", {"claimed_state": "RU", "basis": "nonsense"}),
        (
            "moh.lab",
            "evidence:dna_sample_create",
            {"sample_type": "blood", "collected_on": "2999-01-01"},
        ),
        (
            "consul.ru",
            "evidence:travel_document_create",
            {
                "document_type": "passport",
                "number": "1",
                "issued_by": "E",
                "issued_on": "2025-01-02",
                "valid_until": "2025-01-01",
            },
        ),
        (
            "hjc.judge",
            "evidence:clearance_decide_judicial",
            {"decision": "approve", "reference": ""},
        ),
        ("mfa.officer", "workflow:put_on_hold", {"version": "1", "reason": ""}),
    ],
)
def test_bad_input_shows_field_errors_and_writes_nothing(client, world, username, route, data):
    # given a case with a judicial clearance requested
    case = _judicial_requested(world)
    client.force_login(world[username])
    before = audit_head()
    # when the form is submitted with a bad value
    response = client.post(reverse(route, kwargs={"pk": case.pk}), data)
    # then the form comes back with its errors and nothing was written
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert audit_head() == before


@pytest.mark.parametrize(
    "route",
    [
        "evidence:claim_acknowledge",
        "evidence:travel_document_create",
        "evidence:guardian_vet",
        "operations:arrival_confirm",
    ],
)
def test_consul_on_the_other_states_case_gets_404_and_nothing_changes(client, world, route):
    # given the Tajik case
    case = world["tj_child"].case
    client.force_login(world["consul.ru"])
    before = audit_head()
    # when the Russian consul opens or submits one of its forms on it
    url = reverse(route, kwargs={"pk": case.pk})
    got, posted = client.get(url), client.post(url, {"number": "X", "version": "1"})
    # then it is "no such record", and only the denials were audited
    assert (got.status_code, posted.status_code) == (404, 404)
    denials = AuditEvent.objects.filter(seq__gt=before[0]).values_list("event_type", flat=True)
    assert set(denials) == {"accounts.access.denied"}
    assert fresh(case).version == case.version


def test_gate_not_met_lists_what_is_missing(client, world):
    # given a Russian case in VERIFICATION without the home state's answer or DNA
    case = _engaged(world)
    client.force_login(world["mfa.officer"])
    before = audit_head()
    # when the officer tries to confirm the nationality
    response = client.post(
        reverse("workflow:confirm_nationality", kwargs={"pk": case.pk}), {"version": case.version}
    )
    # then the page says why, in words, and nothing moved
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The case cannot move on yet: some requirements are not met." in text
    assert (
        "Missing: Home state's confirmation of nationality" in text
        or "nationality confirmation" in text
    )
    assert fresh(case).status == "VERIFICATION"
    assert audit_head() == before


def test_stale_version_is_refused_with_a_clear_message(client, world):
    # given a case another officer changed after this page was loaded
    case = world["ru_child"].case
    client.force_login(world["mfa.officer"])
    before = audit_head()
    # when the officer submits the version they saw
    response = client.post(
        reverse("workflow:put_on_hold", kwargs={"pk": case.pk}),
        {"version": case.version - 1 if case.version > 1 else case.version + 5, "reason": "Wait"},
    )
    # then they are told, and nothing was overwritten
    assert response.status_code == 200
    assert "Someone else changed this record" in html.unescape(response.content.decode())
    assert fresh(case).status == "REGISTERED"
    assert audit_head() == before


def test_a_step_the_case_cannot_take_is_refused(client, world):
    # given a REGISTERED case
    case = world["ru_child"].case
    client.force_login(world["hjc.judge"])
    # when the judge tries to approve it
    url = reverse("workflow:approve", kwargs={"pk": case.pk})
    page = client.get(url)
    response = client.post(url, {"version": case.version, "decision_reference": "HJC-1"})
    # then the page warned, and the step is refused
    assert "This step is not possible" in html.unescape(page.content.decode())
    assert response.status_code == 403
    assert fresh(case).status == "REGISTERED"


def test_walk_to_approval_through_the_pages(client, world):
    # given a Russian case in CLEARANCE with every clearance but the judge's decided
    case = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    case = walk(world, case, "CLEARANCE")
    for kind, decider in [
        ("security", "security.liaison"),
        ("medical", "moj.registrar"),
        ("ministry", "mfa.supervisor"),
    ]:
        clearance = ev.request_clearance(case, actor=world["mfa.officer"], clearance_type=kind)
        ev.decide_clearance(
            clearance,
            actor=world[decider],
            approve=True,
            reference="R-1",
            assessment="None." if kind == "security" else "",
        )
    ev.request_clearance(case, actor=world["mfa.officer"], clearance_type="judicial")
    client.force_login(world["hjc.judge"])
    # when the judge decides the judicial clearance, then approves the handover
    client.post(
        reverse("evidence:clearance_decide_judicial", kwargs={"pk": case.pk}),
        {"decision": "approve", "reference": "HJC-CL-1"},
    )
    response = client.post(
        reverse("workflow:approve", kwargs={"pk": case.pk}),
        {"version": fresh(case).version, "decision_reference": "HJC-2026-1"},
    )
    # then the case is approved
    assert response.status_code == 302
    assert fresh(case).status == "APPROVED"
    assert last_event().event_type == "workflow.case.approved"
