"""Field-level authorisation over the API (G12).

Writes: every write endpoint of the committed OpenAPI schema is sent a body holding fields
it does not accept (home state, nationality, owner, status, version, sealed results…). The
answer is a 400 naming exactly those fields, and nothing in the database changes.

Reads: for three roles, every key of every list and detail answer is in the endpoint's
allowlist (the schema's documented properties); sealed keys (DNA results, security
assessments) appear only for a role holding their grant.
"""

import json
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.adults.models import AdultCase
from homeward.attachments import services as attachment_services
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.api.preconditions import etag_for
from homeward.diplomacy.models import HomeStateProfile
from homeward.disclosures.models import Disclosure
from homeward.disclosures.services import record_disclosure
from homeward.exports.models import ExportRequest
from homeward.imports.models import ImportBatch
from homeward.people.models import Facility, Person
from homeward.retention.models import LegalHold
from homeward.retention.services import place_legal_hold
from tests.adults.conftest import adult_pairs
from tests.api.records import webhook_pairs
from tests.diplomacy.conftest import diplomacy_pairs
from tests.exports.conftest import request as request_export
from tests.imports.conftest import import_batch
from tests.judicial.conftest import judicial_pairs
from tests.operations.conftest import operations_pairs
from tests.workflow_api.records import evidence_pairs

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "openapi.json").read_text())

# Values an attacker would like to set through a legitimate write.
FORBIDDEN = {
    "home_state": "TJ",
    "nationality": "TJ",
    "owner": "admin",
    "status": "CLOSED",
    "version": 99,
    "result": {"conclusion": "excluded"},
    "conclusion": "excluded",
    "assessment": "cleared",
    "recorded_by": "admin",
    "id": str(uuid.uuid4()),
}

# Sealed keys per response component, and the capability that unseals them.
SEALED = {
    "DNAComparison": ({"result"}, "evidence.view_dnaresult"),
    "Clearance": ({"assessment"}, "evidence.view_securityassessment"),
}


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def _resolve_ref(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def write_operations() -> list[tuple[str, str, set[str], str]]:
    """(method, path, accepted body fields, content type) of every write in the schema."""
    found = []
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or "requestBody" not in operation:
                continue
            content = operation["requestBody"]["content"]
            media = "application/json" if "application/json" in content else next(iter(content))
            properties = _resolve_ref(content[media]["schema"]).get("properties", {})
            found.append((method, path, set(properties), media))
    return found


def _db_snapshot() -> dict:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "contenttypes")
        and not model._meta.label.startswith("auth.")
    }


@pytest.fixture
def records(users, registry, prison, supervisor):
    """One Russian record of every kind an endpoint serves."""
    child = registry["ru_child"]
    document = attachment_services.add_attachment(
        child,
        actor=users["mfa.officer"],
        upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%x\n%%EOF\n"),
        kind="court_decision",
        title="Decision",
    )
    disclosure = record_disclosure(
        child.case,
        actor=users["mfa.officer"],
        approved_by=users["admin"],
        recipient_kind="court",
        recipient="Juvenile court",
        legal_basis="court_order",
        categories=["identity"],
        purpose="Hearing",
    )
    adults = adult_pairs(users, registry)
    pairs = {
        **evidence_pairs(users, registry),
        **diplomacy_pairs(users, registry),
        **adults,
        **judicial_pairs(users, adults[AdultCase]),
        **operations_pairs(users, registry),
        **webhook_pairs(users, registry),
    }
    return {model: pair[0] for model, pair in pairs.items()} | {
        Case: child.case,
        Person: child,
        Facility: prison,
        Attachment: document,
        Disclosure: disclosure,
        ExportRequest: request_export(users["mfa.officer"]),
        ImportBatch: import_batch(users["consul.ru"]),
        LegalHold: place_legal_hold(child.case, actor=supervisor, reason="Court order 41/2026"),
        **_matching_records(users, registry),
    }


def _matching_records(users, registry) -> dict:
    """A Russian tracing request and its match, a proposed pair, and a merge."""
    from homeward.matching.models import DuplicateCandidate, MergeRecord, TracingMatch
    from homeward.matching.models import TracingRequest as Tracing
    from homeward.matching.services import merge_people
    from tests.conftest import register
    from tests.matching.test_tracing import file_request

    officer = users["mfa.officer"]
    tracing = file_request(officer)
    left, right = sorted([registry["ru_child"], registry["ru_brother"]], key=lambda p: str(p.pk))
    pair = DuplicateCandidate.objects.create(left=left, right=right, score=0.9)
    kept = register(officer, name="مريم أحمدوفا", state="RU")
    merged = register(officer, name="مريم احمدوفا", state="RU")
    merge = merge_people(kept, merged, actor=officer, reason="Same child")
    return {
        Tracing: tracing,
        TracingMatch: tracing.matches.first(),
        DuplicateCandidate: pair,
        MergeRecord: merge,
    }


def _fill(path: str, records: dict) -> tuple[str, dict]:
    """The path with its ids filled from `records`, and the headers a case write needs."""
    headers = {}
    if "{case_pk}" in path:
        case = records[Case]
        headers["HTTP_IF_MATCH"] = etag_for(case.version)
        path = path.replace("{case_pk}", str(case.pk))
    if "{home_state}" in path:
        profile = records[HomeStateProfile]
        headers["HTTP_IF_MATCH"] = etag_for(profile.version)
        path = path.replace("{home_state}", profile.home_state_id)
    if "{transmission_pk}" in path:
        from homeward.judicial.models import EvidenceTransmission

        transmission = records[EvidenceTransmission]
        path = path.replace("{transmission_pk}", str(transmission.pk))
        path = path.replace("{id}", str(transmission.request_id))
    if "{id}" in path:
        probe = resolve(path.replace("{id}", str(uuid.uuid4())))
        model = probe.func.cls.queryset.model
        path = path.replace("{id}", str(records[model].pk))
    return path, headers


def test_every_write_endpoint_is_covered():
    # the schema has writes; if one disappears or appears, this list is where to look
    assert len(write_operations()) >= 18


@pytest.mark.parametrize(
    ("method", "path", "accepted", "media"),
    write_operations(),
    ids=[f"{m} {p}" for m, p, _a, _c in write_operations()],
)
def test_forbidden_fields_in_a_write_body_are_refused_and_change_nothing(
    users, records, method, path, accepted, media
):
    # given the superuser (no capability or scope stands in the way) and every record
    url, headers = _fill(path, records)
    extras = {key: value for key, value in FORBIDDEN.items() if key not in accepted}
    assert extras, path
    body, fmt = dict(extras), "json"
    if media == "multipart/form-data":
        body = {key: json.dumps(value) for key, value in extras.items()}
        body["file"] = SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%x\n%%EOF\n")
        fmt = "multipart"
    api = _api(users["admin"])
    before = _db_snapshot()
    # when the write carries fields it does not accept
    response = getattr(api, method)(url, body, format=fmt, **headers)
    # then each is refused by name, and nothing was written (not even an audit event)
    assert response.status_code == 400, (path, response.status_code, response.content[:300])
    assert set(extras) <= set(response.json()["errors"]), response.json()
    assert _db_snapshot() == before


def test_a_valid_write_with_one_forbidden_field_is_refused_whole(users, records):
    # given a valid transition request plus `home_state`
    case = records[Case]
    api = _api(users["admin"])
    before = (AuditEvent.objects.count(), Case.objects.get(pk=case.pk).home_state_id)
    response = api.post(
        f"/api/v1/cases/{case.pk}/transitions/",
        {"transition": "put_on_hold", "reason": "Waiting", "home_state": "TJ"},
        format="json",
        HTTP_IF_MATCH=etag_for(case.version),
    )
    # then it is refused, and neither the case nor the trail changed
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"home_state"}
    after = Case.objects.get(pk=case.pk)
    assert (AuditEvent.objects.count(), after.home_state_id, after.status) == (
        *before,
        case.status,
    )


# -- reads ---------------------------------------------------------------------------------


def read_operations() -> list[tuple[str, str, bool]]:
    """(path, response component, paginated) of every list and detail GET with a JSON object
    answer; a list may sit under a record (`/people/{id}/access/`)."""
    found = []
    for path, operations in SCHEMA["paths"].items():
        operation = operations.get("get")
        if operation is None or "{case_pk}" in path or path.endswith("/download/"):
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        component = schema.get("$ref", "").rsplit("/", 1)[-1]
        paginated = component.startswith("Paginated")
        if paginated or ("{" in path and component):
            item = component.removeprefix("Paginated").removesuffix("List")
            found.append((path, item, paginated))
    return found


def _allowed(component: str, user) -> tuple[set[str], set[str]]:
    """(allowed keys, sealed keys the user must not see) for one response component."""
    allowed = set(_resolve_ref({"$ref": f"#/components/schemas/{component}"})["properties"])
    sealed, grant = SEALED.get(component, (set(), ""))
    if sealed and user.has_capability(grant):
        return allowed | sealed, set()
    return allowed - sealed, sealed


@pytest.mark.parametrize("username", ["mfa.officer", "hjc.judge", "consul.ru"])
def test_response_keys_are_within_the_allowlist_for_each_role(users, records, username):
    # given a role and one record of every kind
    user = users[username]
    api = _api(user)
    failures, seen = [], 0
    for path, component, paginated in read_operations():
        if "{" in path:
            url, _headers = _fill(
                path.replace("{home_state}", "RU").replace("{code}", "RU"), records
            )
        else:
            url = path
        # when the role reads the list or the record
        response = api.get(url)
        if response.status_code != 200:
            continue
        body = response.json()
        if isinstance(body, list):  # statistics answer a bare list of figures
            rows = body
        elif paginated:
            rows = body["results"]
        else:
            rows = [body]
        allowed, sealed = _allowed(component, user)
        for row in rows:
            seen += 1
            # then every key is allowed, and no sealed key is there without the grant
            extra = set(row) - allowed
            if extra:
                failures.append(f"{url}: {sorted(extra)}")
            if set(row) & sealed:
                failures.append(f"{url}: sealed {sorted(set(row) & sealed)}")
    assert failures == []
    assert seen >= 20


def test_sealed_keys_appear_for_the_grant_holder_only(users, records):
    comparison = records[next(m for m in records if m.__name__ == "DNAComparison")]
    judge = _api(users["hjc.judge"]).get(f"/api/v1/dna-comparisons/{comparison.pk}/").json()
    officer = _api(users["mfa.officer"]).get(f"/api/v1/dna-comparisons/{comparison.pk}/").json()
    assert judge["result"]["conclusion"] == "supported"
    assert "result" not in officer
