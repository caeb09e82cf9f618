"""G16: oversized bodies and form floods are refused early; searches are rate-limited per user."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts import events as account_events
from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core import limits
from homeward.people.models import Person


def test_a_50_mb_json_body_is_refused_before_it_is_read(users):
    # given an officer with a token and a 50 MB JSON body
    token = issue_api_token(users["mfa.officer"], actor=users["mfa.officer"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = b'{"notes": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    cases_before = Case.objects.count()
    # when it is posted
    response = api.post(reverse("api:person-list"), body, content_type="application/json")
    # then it is refused as too large, and nothing was created
    assert response.status_code == 413
    assert Case.objects.count() == cases_before
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_a_declared_50_mb_body_is_refused_quickly_without_reading_it(users):
    # given a request that announces 50 MB but whose stream fails if anything reads it
    token = issue_api_token(users["mfa.officer"], actor=users["mfa.officer"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    # when
    started = time.perf_counter()
    response = api.generic(
        "POST",
        reverse("api:person-list"),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    elapsed = time.perf_counter() - started
    # then it is refused at once (the test payload raises on a read past its 2 bytes)
    assert response.status_code == 413
    assert elapsed < 1.0


def test_a_body_just_under_the_limit_reaches_the_api(users):
    # given a JSON body of the largest accepted size that is not a valid case
    token = issue_api_token(users["mfa.officer"], actor=users["mfa.officer"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    filler = 2 * 1024 * 1024 - len(b'{"x": ""}')
    body = b'{"x": "' + b"y" * filler + b'"}'
    assert len(body) == 2 * 1024 * 1024
    # when
    response = api.post("/api/v1/incidents/", body, content_type="application/json")
    # then it is parsed and answered by the API itself (a validation error)
    assert response.status_code == 400
    assert response.json()["errors"] == {"x": ["This field cannot be set here."]}


def test_ten_thousand_form_fields_are_refused(client, users):
    # given an officer and a form post with 10,000 fields
    client.force_login(users["mfa.officer"])
    fields = {f"field{i}": "1" for i in range(10_000)}
    people_before = Person.objects.count()
    # when it is posted to the registration form
    response = client.post(reverse("people:child_create"), fields)
    # then it is refused as malformed and nothing was registered
    assert response.status_code == 400
    assert Person.objects.count() == people_before
    assert "The request could not be accepted" in response.content.decode()


def test_an_oversized_upload_is_refused_before_it_is_read(client, users, registry, settings):
    # given an attachment limit of 1 KB and a multipart body far above it (plus the form's room)
    settings.HOMEWARD_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(users["mfa.officer"])
    child = registry["ru_child"]
    body_size = 1024 + limits.MULTIPART_OVERHEAD + 1
    # when
    response = client.generic(
        "POST",
        reverse("attachments:attachment_create", kwargs={"person_pk": child.pk}),
        b"x" * body_size,
        content_type="multipart/form-data; boundary=zzz",
    )
    # then
    assert response.status_code == 413


@pytest.fixture
def frozen_minute(monkeypatch):
    """A clock that stays at the start of a minute until moved."""
    now = [1_800_000_000.0]  # a whole minute
    monkeypatch.setattr(limits.time, "time", lambda: now[0])
    return now


@override_settings(HOMEWARD_SEARCH_RATE_PER_MINUTE=5)
def test_searches_beyond_the_rate_answer_429_and_are_audited_once(
    client, users, registry, frozen_minute
):
    # given a consul allowed 5 searches a minute, pages and API together
    consul = users["consul.ru"]
    client.force_login(consul)
    token = issue_api_token(consul, actor=consul)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    frozen_minute[0] += 15  # 45 seconds left in this minute
    # when it searches 3 times by page and twice by API, then twice more
    search = reverse("api:person-search")
    statuses = [
        client.post(reverse("people:lookup"), {"q": "خديجة"}).status_code,
        client.post(reverse("people:child_list"), {"q": "خديجة"}).status_code,
        client.post(reverse("matching:search"), {"name": "خديجة"}).status_code,
        api.post(search, {"q": "خديجة"}, format="json").status_code,
        api.post(search, {"q": "Khadija"}, format="json").status_code,
    ]
    page_refused = client.post(reverse("people:lookup"), {"q": "x"})
    api_refused = api.post(search, {"q": "x"}, format="json")
    # then the first five are answered, the next refused with the wait until the next minute
    assert statuses == [200, 302, 200, 200, 200]  # the list keeps its search and redirects
    assert (page_refused.status_code, page_refused["Retry-After"]) == (429, "45")
    assert (api_refused.status_code, api_refused["Retry-After"]) == (429, "45")
    # and the refusal is in the audit trail once for the minute
    event = AuditEvent.objects.get(event_type=account_events.RATE_LIMITED)
    assert event.actor == consul
    assert event.data == {"path": "/people/lookup/", "method": "POST", "limit_per_minute": 5}
    # and the refusal is the consul's alone, and lifts with the next minute
    client.force_login(users["consul.tj"])
    assert client.post(reverse("people:lookup"), {"q": "x"}).status_code == 200
    frozen_minute[0] += 45
    assert api.post(search, {"q": "x"}, format="json").status_code == 200


@override_settings(HOMEWARD_SEARCH_RATE_PER_MINUTE=2)
def test_browsing_without_a_search_is_not_counted(client, users, registry, frozen_minute):
    # given a consul allowed 2 searches a minute
    client.force_login(users["consul.ru"])
    # when it opens lists and pages without searching, many times
    statuses = {
        client.get(url).status_code
        for url in [reverse("people:child_list"), reverse("matching:search"), reverse("dashboard")]
        * 4
    }
    # then nothing is refused and nothing is audited
    assert statuses == {200}
    assert not AuditEvent.objects.filter(event_type=account_events.RATE_LIMITED).exists()


def test_default_rate_is_sixty_a_minute(settings):
    assert settings.HOMEWARD_SEARCH_RATE_PER_MINUTE == 60
    assert set(settings.HOMEWARD_SEARCH_ROUTES) == {
        "people:child_list",
        "people:lookup",
        "matching:search",
        "api:person-search",
    }


@pytest.mark.parametrize("query", ["case=%00", "q=a%00b", "page_size=1&case=x%00"])
def test_a_nul_in_the_address_is_refused_not_a_server_error(users, query):
    # given a consul's token (the fuzzer found GET /api/v1/exit-authorizations/?case=%00 → 500
    # on PostgreSQL, which cannot hold NUL in text)
    token = issue_api_token(users["consul.ru"], actor=users["consul.ru"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    # when / then
    response = api.get("/api/v1/exit-authorizations/?" + query)
    assert response.status_code == 400
    assert "object-src 'none'" in response["Content-Security-Policy"]
