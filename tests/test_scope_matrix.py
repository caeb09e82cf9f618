"""The scope matrix: every route × every demo role × an in-scope and an out-of-scope record.

Routes are discovered from the URL configuration (homeward.security.routes, shared with the
authorization matrix), so a new page or endpoint is covered the
day it is added — or this test fails and asks for it to be classified. For each route the
expected answer follows from two facts only: does the user hold the capability the view
declares (403 if not), and is the record in the user's scope (404 if not, exactly like a
missing record). Every page a consul can open is also searched for the other state's child.
"""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeward.adults.models import AdultCase, ConsularVisit
from homeward.attachments import services as attachment_services
from homeward.attachments.models import Attachment
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.core.scoping import ScopedModelMixin
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile
from homeward.evidence.models import CourtCase
from homeward.exports.models import ExportRequest
from homeward.imports.models import ImportBatch
from homeward.judicial.models import EvidenceRequest
from homeward.matching.models import (
    DuplicateCandidate,
    MergeRecord,
    TracingMatch,
    TracingRequest,
)
from homeward.operations.models import ManifestEntry, Operation
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName, Relationship
from homeward.retention.models import LegalHold
from homeward.retention.services import place_legal_hold
from homeward.security.routes import discovered_routes
from homeward.security.routes import route_model_and_capability as _route_model_and_capability
from homeward.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.adults.conftest import adult_pairs
from tests.api.records import webhook_pairs
from tests.diplomacy.conftest import diplomacy_pairs
from tests.disclosures.conftest import disclosure_pairs
from tests.exports.conftest import request as request_export
from tests.imports.conftest import import_batch
from tests.judicial.conftest import judicial_pairs
from tests.operations.conftest import operations_pairs
from tests.workflow_api.records import evidence_pairs


def test_every_route_is_classified():
    # given every named route of the project
    # when each is resolved to the view behind it
    unclassified = []
    for name, pattern in discovered_routes():
        try:
            model, capability = _route_model_and_capability(pattern)
        except (AttributeError, TypeError):
            unclassified.append(name)
            continue
        assert issubclass(model, ScopedModelMixin), name
        assert capability.count(".") == 1, (name, capability)
    # then every one declares a scoped model and a capability (or is listed as unscoped)
    assert unclassified == []


@pytest.fixture
def matrix(users, registry, prison):
    """The record pairs per model: one Russian (in consul.ru's scope), one Tajik (outside it)."""
    ru, tj = registry["ru_child"], registry["tj_child"]
    documents = [
        attachment_services.add_attachment(
            child,
            actor=users["mfa.officer"],
            upload=SimpleUploadedFile("d.pdf", pdf),
            kind="court_decision",
            title="Decision",
        )
        for child, pdf in [(ru, b"%PDF-1.4\n%ru\n%%EOF\n"), (tj, b"%PDF-1.4\n%tj\n%%EOF\n")]
    ]
    adults = adult_pairs(users, registry)
    return {
        **adults,
        **judicial_pairs(users, adults[AdultCase]),
        Attachment: tuple(documents),
        Person: (ru, tj),
        Case: (ru.case, tj.case),
        HomeState: (HomeState.objects.get(code="RU"), HomeState.objects.get(code="TJ")),
        Facility: (prison, prison),
        **evidence_pairs(users, registry),
        DuplicateCandidate: _duplicate_pairs(users, registry),
        **_tracing_pairs(users, registry),
        MergeRecord: _merge_pairs(users),
        **diplomacy_pairs(users, registry),
        **operations_pairs(users, registry),
        ExportRequest: (request_export(users["consul.ru"]), request_export(users["consul.tj"])),
        **disclosure_pairs(users, registry),
        ImportBatch: tuple(import_batch(users[name]) for name in ("consul.ru", "consul.tj")),
        **webhook_pairs(users, registry),
        LegalHold: tuple(
            place_legal_hold(child.case, actor=users["admin"], reason="Inquiry")
            for child in (ru, tj)
        ),
    }


def _duplicate_pairs(users, registry):
    """A proposed pair of Russian records and one of Tajik records."""
    from tests.conftest import register

    tj_again = register(users["mfa.officer"], name="Фатима Рахимова", state="TJ")
    pairs = []
    for first, second in [
        (registry["ru_child"], registry["ru_brother"]),
        (registry["tj_child"], tj_again),
    ]:
        left, right = sorted([first, second], key=lambda person: str(person.pk))
        pairs.append(DuplicateCandidate.objects.create(left=left, right=right, score=0.9))
    return tuple(pairs)


def _tracing_pairs(users, registry) -> dict:
    """A Russian request filed by the Russian consul and a Tajik one filed by the ministry,
    each with the match of its own state's child."""
    from tests.matching.test_tracing import file_request

    ru = file_request(users["consul.ru"])
    tj = file_request(users["mfa.officer"], state="TJ", child_name="Фатима Рахимова")
    return {
        TracingRequest: (ru, tj),
        TracingMatch: (
            ru.matches.get(person=registry["ru_child"]),
            tj.matches.get(person=registry["tj_child"]),
        ),
    }


def _merge_pairs(users):
    """A merge of two Russian records and one of two Tajik records."""
    from homeward.matching.services import merge_people
    from tests.conftest import register

    officer = users["mfa.officer"]
    merges = []
    for name, state in [("مريم أحمدوفا", "RU"), ("زينب كريموفا", "TJ")]:
        kept, merged = (register(officer, name=name, state=state) for _twice in range(2))
        merges.append(merge_people(kept, merged, actor=officer, reason="Same child"))
    return tuple(merges)


# Pages that only answer POST (they write an audit event, so no link may trigger them): the
# matrix requests them by POST; a GET is 405.
POST_ONLY_ROUTES = {
    "people:reveal_name": "a list row's Reveal: an audited read of one full name",
}


def _request(client, name, url):
    return client.post(url) if name in POST_ONLY_ROUTES else client.get(url)


def _url(name, pattern, obj):
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        kwargs[key] = str(obj.pk)
    return reverse(name, kwargs=kwargs)


def _body(response) -> bytes:
    """The bytes of a page or of a streamed download (an attachment)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _leaks(content: bytes, tj_child) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    needles = [
        str(tj_child.pk),
        tj_child.case.reference,
        *tj_child.names.values_list("full_text", flat=True),
    ]
    return [needle for needle in needles if needle in text]


def _expected(user, capability, obj_state: str | None, obj=None) -> int:
    if not user.has_capability(capability):
        return 403
    # someone else's export: only an approver whose scope covers its state sees it
    if (
        isinstance(obj, ExportRequest)
        and obj.requester_id != user.pk
        and not user.has_capability("exports.approve_exportrequest")
    ):
        return 404
    # a humanitarian partner sees only the tracing requests its agency filed or partners
    tracing = obj.request if isinstance(obj, TracingMatch) else obj
    if (
        isinstance(tracing, TracingRequest)
        and user.agency is not None
        and user.agency.kind == "humanitarian"
        and user.agency_id not in (tracing.filed_by_agency_id, tracing.partner_agency_id)
    ):
        return 404
    scope = user.home_state_scope()
    if obj_state is not None and scope is not None and obj_state not in scope:
        return 404
    return 200


def _state_of(obj) -> str | None:
    if isinstance(obj, Person):
        return obj.case.home_state_id
    if isinstance(obj, Case):
        return obj.home_state_id
    if isinstance(obj, HomeState):
        return obj.code
    if isinstance(obj, DuplicateCandidate):
        return obj.left.case.home_state_id
    if isinstance(obj, Attachment):
        return obj.person.case.home_state_id
    if isinstance(obj, TracingMatch):
        return obj.request.home_state_id
    if isinstance(obj, MergeRecord):
        return obj.survivor.case.home_state_id
    if isinstance(obj, CourtCase):
        return (
            Relationship.objects.filter(relative=obj.defendant)
            .values_list("person__case__home_state_id", flat=True)
            .first()
        )
    if isinstance(obj, ExportRequest):
        return obj.home_states.get().code
    if isinstance(obj, ImportBatch):
        return obj.home_state_id
    if isinstance(
        obj, HomeStateProfile | Engagement | AdultCase | EvidenceRequest | TracingRequest
    ):
        return obj.home_state_id
    if isinstance(obj, ConsularVisit):
        return obj.adult_case.home_state_id
    if isinstance(obj, ActionItem):
        return obj.engagement.home_state_id
    if isinstance(obj, FocalPoint):
        return obj.profile_id
    if isinstance(obj, Operation):
        return obj.home_state_id
    if isinstance(obj, ManifestEntry):
        return obj.operation.home_state_id
    if isinstance(obj, WebhookSubscription):
        return obj.home_state_id
    if isinstance(obj, WebhookDelivery):
        return obj.subscription.home_state_id
    if hasattr(obj, "case_id"):  # evidence of a case
        return obj.case.home_state_id
    return None


USERNAMES = [
    "admin",
    "mfa.officer",
    "mfa.protocol",
    "hjc.judge",
    "moj.registrar",
    "molsa.carer",
    "moh.lab",
    "security.liaison",
    "moi.residency",
    "unicef.officer",
    "auditor",
    "consul.ru",
    "consul.tj",
]


@pytest.mark.parametrize("username", USERNAMES)
def test_get_every_route_answers_by_capability_and_scope(client, users, registry, matrix, username):
    # given a signed-in user of one role
    user = users[username]
    client.force_login(user)
    tj_child = registry["tj_child"]
    failures = []
    for name, pattern in discovered_routes():
        model, capability = _route_model_and_capability(pattern)
        needs_object = bool(pattern.pattern.regex.groupindex)
        objects = matrix[model] if needs_object else (None,)
        for obj in objects:
            url = _url(name, pattern, obj) if obj is not None else reverse(name)
            # when the route is requested
            response = _request(client, name, url)
            # then it answers by capability and scope alone
            expected = _expected(user, capability, _state_of(obj) if obj is not None else None, obj)
            if response.status_code != expected:
                failures.append(f"{name} {url}: {response.status_code} != {expected}")
            # and a user who may not see the Tajik child never finds a trace of it
            if response.status_code == 200 and not _may_see(user, tj_child):
                leaked = _leaks(_body(response), tj_child)
                if leaked:
                    failures.append(f"{name} {url} leaks {leaked}")
    assert failures == []


def _may_see(user, child) -> bool:
    scope = user.home_state_scope()
    return scope is None or child.case.home_state_id in scope


@pytest.mark.parametrize("username", ["consul.ru", "consul.tj"])
def test_search_and_lookup_never_find_the_other_states_child(client, users, registry, username):
    # given a consul and the other state's child
    user = users[username]
    other = registry["tj_child"] if username == "consul.ru" else registry["ru_child"]
    client.force_login(user)
    name = other.names.get(is_primary=True).full_text
    api_search = reverse("api:person-search")
    for method, url, data in [
        ("post", reverse("people:child_list"), {"q": name}),
        ("post", reverse("people:lookup"), {"q": name}),
        ("post", reverse("matching:search"), {"name": name}),
        ("post", api_search, {"q": name}),
        ("get", reverse("api:case-list") + f"?home_state={other.case.home_state_id}", None),
        ("post", reverse("people:child_list"), {"q": other.case.reference}),
        ("post", api_search, {"q": other.case.reference}),
    ]:
        # when they search for it by name, reference or state (names by POST, G22)
        response = client.post(url, data, follow=True) if method == "post" else client.get(url)
        # then nothing of it comes back (but the searcher's own words, echoed in the search box)
        text = response.content.decode()
        text = re.sub(r'<input type="hidden" name="next" value="[^"]*">', "", text)
        for echoed in (name, other.case.reference):
            text = text.replace(f'value="{echoed}"', "")
        assert str(other.pk) not in text, url
        assert name not in text, url
        assert other.case.reference not in text, url


def test_anonymous_is_sent_to_sign_in_or_refused(client, matrix):
    # given nobody signed in
    failures = []
    for name, pattern in discovered_routes():
        model, _capability = _route_model_and_capability(pattern)
        obj = matrix[model][0] if pattern.pattern.regex.groupindex else None
        url = _url(name, pattern, obj) if obj is not None else reverse(name)
        # when any route is requested
        response = _request(client, name, url)
        # then pages redirect to the sign-in page and the API refuses
        if name.startswith("api:"):
            ok = response.status_code in (401, 403)
        else:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        if not ok:
            failures.append(f"{name}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize(
    "route",
    ["people:person_edit", "people:name_create", "people:relative_create", "people:custody_create"],
)
def test_writes_to_an_out_of_scope_child_answer_404_and_change_nothing(
    client, users, registry, prison, route
):
    # given consul.ru (read-only) and an officer restricted to Russia by their account
    tj_child = registry["tj_child"]
    restricted = users["moj.registrar"]
    restricted.all_home_states = False
    restricted.save(update_fields=["all_home_states"])
    restricted.home_states.set(["RU"])
    before = _counts(tj_child)
    for username, expected in [("consul.ru", 403), ("moj.registrar", 404)]:
        client.force_login(users[username])
        # when they post a change to the Tajik child
        response = client.post(
            reverse(route, kwargs={"pk": tj_child.pk}),
            {
                "full_text": "X",
                "name_type": "alias",
                "facility": prison.pk,
                "started_on": "2020-01-01",
                "sex": "male",
                "version": tj_child.version,
            },
        )
        # then the answer is the capability refusal or "no such record", and nothing changed
        assert response.status_code == expected, (username, response.status_code)
    assert _counts(tj_child) == before


def _counts(child) -> dict:
    child = Person.objects.get(pk=child.pk)
    return {
        "people": Person.objects.count(),
        "names": PersonName.objects.count(),
        "links": Relationship.objects.count(),
        "episodes": CustodyEpisode.objects.count(),
        "version": child.version,
        "sex": child.sex,
    }


def test_unknown_ids_answer_exactly_like_out_of_scope_ones(client, users, registry):
    # given consul.ru
    client.force_login(users["consul.ru"])
    tj_child = registry["tj_child"]
    # when it asks for the Tajik child and for an id that exists nowhere
    hidden = client.get(reverse("people:person_detail", kwargs={"pk": tj_child.pk}))
    missing = client.get(reverse("people:person_detail", kwargs={"pk": uuid.uuid4()}))
    api_hidden = client.get(reverse("api:person-detail", kwargs={"pk": tj_child.pk}))
    api_missing = client.get(reverse("api:person-detail", kwargs={"pk": uuid.uuid4()}))
    # then the answers cannot be told apart
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.content == missing.content
    assert (api_hidden.status_code, api_missing.status_code) == (404, 404)
    assert api_hidden.json() == api_missing.json()


@pytest.mark.parametrize("route", ["api:schema", "api:docs"])
def test_api_reference_needs_a_signed_in_caller(client, users, route):
    # given the schema and the docs page
    url = reverse(route)
    # when nobody, then a consul, asks
    anonymous = client.get(url)
    client.force_login(users["consul.ru"])
    signed_in = client.get(url)
    # then only the signed-in caller gets it
    assert anonymous.status_code in (401, 403)
    assert signed_in.status_code == 200
