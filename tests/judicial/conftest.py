"""Requests for evidence for the judicial tests and the scope matrix."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.attachments import services as attachment_services
from homeward.judicial import services
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from tests.adults.conftest import adults  # noqa: F401  (the fixture, shared)


def verdict_of(person, actor, marker: bytes = b"verdict"):
    return attachment_services.add_attachment(
        person,
        actor=actor,
        upload=SimpleUploadedFile("verdict.pdf", b"%PDF-1.4\n%" + marker + b"\n%%EOF\n"),
        kind="court_decision",
        title="Verdict",
    )


def granted_request(users, adult_case, *, reference="2024/17"):
    officer = users["mfa.officer"]
    request = services.record_evidence_request(
        adult_case.home_state,
        actor=officer,
        subject=adult_case.person,
        their_reference=reference,
        channel="mission",
        received_on=timezone.localdate() - timezone.timedelta(days=30),
        legal_basis="reciprocity",
        items=["verdict"],
        authority="court",
        authority_name="Central Criminal Court, Rusafa",
    )
    return services.decide_evidence_request(
        request,
        actor=users["hjc.judge"],
        expected_version=request.version,
        decision="granted",
        decided_on=timezone.localdate() - timezone.timedelta(days=10),
    )


def judicial_pairs(users, adult_cases) -> dict:
    """EvidenceRequest and EvidenceTransmission -> (Russian, Tajik) for the scope matrix."""
    requests, transmissions = [], []
    for n, adult_case in enumerate(adult_cases):
        request = granted_request(users, adult_case, reference=f"R-{n}")
        requests.append(request)
        transmissions.append(
            services.record_transmission(
                request,
                actor=users["mfa.officer"],
                documents=[verdict_of(adult_case.person, users["mfa.officer"], b"m%d" % n)],
                recipient="Embassy",
                sent_on=timezone.localdate(),
            )
        )
    return {EvidenceRequest: tuple(requests), EvidenceTransmission: tuple(transmissions)}
