"""Minimal display and no personal data in URLs (G22).

Lists show a child by case reference, masked name and birth year; the full name is on the
record page and behind a list row's "Reveal" (an audited POST). Searches by name travel in
POST bodies, never in a URL: not in a link, a form action, a redirect or a log line.
"""

import datetime
import json
import logging
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.people import events
from homeward.people.masking import birth_year_display, mask_text, masked_name
from homeward.people.models import Person
from tests.conftest import register

CANARY = "Zqcanary Xvnametest"
CANARY_PARTS = ("Zqcanary", "Xvnametest")


# -- the helper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Khadija Hussein", "K*** H***"),
        ("خديجة حسين", "خ*** ح***"),
        ("Хадижат  Гусейнова", "Х*** Г***"),
        ("Umm-Adam (kunya)", "U*** k***"),
        ("—", "***"),
    ],
)
def test_mask_text_keeps_the_first_letter_of_each_part(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"date_of_birth": datetime.date(2016, 3, 1), "dob_precision": "day"}, "2016"),
        ({"date_of_birth": datetime.date(2016, 7, 1), "dob_precision": "year"}, "c. 2016"),
        (
            {
                "date_of_birth": datetime.date(2016, 1, 1),
                "dob_precision": "range",
                "dob_earliest": datetime.date(2015, 1, 1),
                "dob_latest": datetime.date(2017, 1, 1),
            },
            "2015–2017",
        ),
        ({"date_of_birth": None, "dob_precision": "unknown"}, ""),
    ],
)
def test_birth_year_never_shows_more_than_the_year(fields, shown):
    assert birth_year_display(Person(**fields)) == shown


def test_masked_name_uses_the_preferred_name(users, registry):
    person = Person.objects.prefetch_related("names").get(pk=registry["ru_child"].pk)
    assert masked_name(person) == "خ*** ح***"


# -- list pages ----------------------------------------------------------------------------


@pytest.fixture
def canary(users, prison):
    return register(users["mfa.officer"], name=CANARY, state="RU", facility=prison)


def _has_canary(text: str) -> bool:
    return any(part in text for part in CANARY_PARTS)


def test_children_list_shows_masked_names_and_birth_years(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("people:child_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Z*** X***" in text and "خ*** ح***" in text
    assert not _has_canary(text)
    assert "حسينوفا" not in text
    assert "2016" in text and "01/03/2016" not in text and "March 1, 2016" not in text


def test_reveal_returns_the_full_name_of_one_row_and_is_audited(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    before = AuditEvent.objects.count()
    response = client.post(reverse("people:reveal_name", kwargs={"pk": canary.pk}))
    assert response.status_code == 200
    text = response.content.decode()
    assert CANARY in text and "خديجة" not in text
    event = AuditEvent.objects.get(event_type=events.NAME_REVEALED)
    assert (event.object_id, event.person_id, event.actor) == (
        str(canary.pk),
        canary.pk,
        users["mfa.officer"],
    )
    assert AuditEvent.objects.count() == before + 1


def test_reveal_is_post_only_and_scoped(client, users, registry):
    tj_child = registry["tj_child"]
    client.force_login(users["consul.ru"])
    url = reverse("people:reveal_name", kwargs={"pk": tj_child.pk})
    before = AuditEvent.objects.filter(event_type=events.NAME_REVEALED).count()
    assert client.post(url).status_code == 404
    client.force_login(users["mfa.officer"])
    assert client.get(url).status_code == 405
    assert AuditEvent.objects.filter(event_type=events.NAME_REVEALED).count() == before


def test_name_search_posts_and_the_url_carries_only_a_search_id(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    # when searching by name
    response = client.post(reverse("people:child_list"), {"q": "Zqcanary", "sex": "female"})
    # then the browser is sent to a URL with a random id, not the name
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(r"/people/children/\?s=[\w-]{12}", location)
    results = client.get(location)
    assert [person.pk for person, _episode in results.context["rows"]] == [canary.pk]
    # and the second page of the same search still filters without the name in the URL
    assert client.get(location + "&page=1").context["total"] == 1
    # and a name in a query string is ignored, not searched
    ignored = client.get(reverse("people:child_list"), {"q": "Zqcanary"})
    assert ignored.context["total"] == 4
    # and the audit trail keeps that a name was searched, never the name (it is never
    # edited: the name would outlive the child's retention purge)
    listed = AuditEvent.objects.filter(event_type=events.PEOPLE_LISTED).order_by("seq")
    assert listed[0].data["query"] == {"q": "<given>", "sex": "female"}
    assert listed[0].data["ids"] == [str(canary.pk)]
    assert not _searched_name_in_trail()


def test_search_ids_belong_to_one_session(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    location = client.post(reverse("people:child_list"), {"q": "Zqcanary"})["Location"]
    other = type(client)()
    other.force_login(users["mfa.officer"])
    assert other.get(location).context["total"] == 4  # unknown id: unfiltered list


def test_htmx_search_pushes_the_search_id_not_the_name(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    response = client.post(
        reverse("people:child_list"), {"q": "Zqcanary"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert re.fullmatch(r"/people/children/\?s=[\w-]{12}", response["HX-Push-Url"])
    assert "Z*** X***" in response.content.decode()


def test_lookup_takes_the_name_by_post_only(client, users, registry, canary):
    client.force_login(users["mfa.officer"])
    by_get = client.get(reverse("people:lookup"), {"q": "Zqcanary"})
    by_post = client.post(reverse("people:lookup"), {"q": "Zqcanary"})
    assert by_get.context["people"] is None
    assert [person.pk for person in by_post.context["people"]] == [canary.pk]
    assert "Z*** X***" in by_post.content.decode()
    assert not _has_canary(by_post.content.decode())
    event = AuditEvent.objects.filter(event_type=events.PEOPLE_LISTED).latest("seq")
    assert event.data["query"] == {"lookup": "<given>"}
    assert not _searched_name_in_trail()


def _searched_name_in_trail() -> bool:
    return any(
        "Zqcanary" in json.dumps(data) for data in AuditEvent.objects.values_list("data", flat=True)
    )


class _UrlCollector(HTMLParser):
    URL_ATTRIBUTES = {"href", "action", "src", "hx-get", "hx-post", "hx-push-url", "formaction"}

    def __init__(self):
        super().__init__()
        self.urls, self.search_forms = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.urls += [value or "" for key, value in attrs if key in self.URL_ATTRIBUTES]
        if tag == "form" and attributes.get("role") == "search":
            self.search_forms.append(attributes.get("method", "get").lower())


def test_no_page_puts_a_name_in_a_link_or_a_form_action(client, users, registry, canary):
    # given a canary child, linked as a relative and proposed as a duplicate
    from homeward.matching.models import DuplicateCandidate
    from homeward.people import services

    officer = users["mfa.officer"]
    services.link_relative(
        registry["ru_child"],
        actor=officer,
        relative=canary,
        relationship_type="full_sibling",
        basis="declared",
    )
    left, right = sorted([registry["ru_child"], canary], key=lambda person: str(person.pk))
    DuplicateCandidate.objects.create(left=left, right=right, score=0.9)
    client.force_login(officer)
    pages = [
        client.get(reverse("people:child_list")),
        client.post(reverse("people:child_list"), {"q": "Zqcanary"}, follow=True),
        client.get(reverse("people:person_detail", kwargs={"pk": canary.pk})),
        client.get(reverse("people:person_detail", kwargs={"pk": registry["ru_child"].pk})),
        client.get(reverse("people:relative_create", kwargs={"pk": registry["ru_child"].pk})),
        client.post(
            reverse("people:relative_create", kwargs={"pk": registry["ru_child"].pk}),
            {"relative_q": "Zqcanary", "find": "1"},
        ),
        client.post(reverse("people:lookup"), {"q": "Zqcanary"}),
        client.post(reverse("matching:search"), {"name": CANARY}),
        client.get(reverse("matching:duplicate_list")),
        client.get(reverse("workflow:desk")),
        client.get(reverse("dashboard")),
    ]
    failures = []
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        collector = _UrlCollector()
        collector.feed(response.content.decode())
        failures += [url for url in collector.urls if _has_canary(url)]
        failures += [f"GET search form on {response.request['PATH_INFO']}"] * (
            collector.search_forms.count("get")
        )
        for redirect_url, _status in getattr(response, "redirect_chain", []):
            failures += [redirect_url] if _has_canary(redirect_url) else []
    assert failures == []


def test_request_lines_and_log_records_carry_no_name(client, users, registry, canary, caplog):
    # given every way of searching by name, through pages and the API
    client.force_login(users["mfa.officer"])
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {issue_api_token(users['mfa.officer'], actor=None)}"
    )
    with caplog.at_level(logging.DEBUG):
        responses = [
            client.post(reverse("people:child_list"), {"q": "Zqcanary"}, follow=True),
            client.post(reverse("people:lookup"), {"q": "Zqcanary"}),
            client.post(reverse("matching:search"), {"name": "Zqcanary"}),
            api.post("/api/v1/people/search/", {"q": "Zqcanary"}, format="json"),
        ]
    # then no request line (what an access log writes) and no log record holds the name
    lines = [
        "{} {}?{}".format(
            r.request["REQUEST_METHOD"], r.request["PATH_INFO"], r.request.get("QUERY_STRING", "")
        )
        for r in responses
    ]
    lines += [url for r in responses for url, _status in getattr(r, "redirect_chain", [])]
    assert [line for line in lines if _has_canary(line)] == []
    assert [
        record.getMessage() for record in caplog.records if _has_canary(record.getMessage())
    ] == []


def test_download_names_carry_no_personal_name(client, users, canary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeward.attachments import services as attachment_services

    document = attachment_services.add_attachment(
        canary,
        actor=users["mfa.officer"],
        upload=SimpleUploadedFile(f"{CANARY}.pdf", b"%PDF-1.4\n%x\n%%EOF\n"),
        kind="court_decision",
        title=f"Decision about {CANARY}",
    )
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("attachments:attachment_download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not _has_canary(response["Content-Disposition"])


# -- API -----------------------------------------------------------------------------------


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return api


def test_api_refuses_a_name_in_the_query_string(users, registry, canary):
    api = _api(users["mfa.officer"])
    before = AuditEvent.objects.filter(event_type=events.PEOPLE_LISTED).count()
    response = api.get("/api/v1/people/", {"q": "Zqcanary"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"q"}
    assert AuditEvent.objects.filter(event_type=events.PEOPLE_LISTED).count() == before


def test_api_search_by_post_returns_masked_rows(users, registry, canary):
    api = _api(users["mfa.officer"])
    response = api.post("/api/v1/people/search/?kind=child", {"q": "Zqcanary"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [(row["id"], row["masked_name"]) for row in body["results"]] == [
        (str(canary.pk), "Z*** X***")
    ]
    assert not _has_canary(response.content.decode())
    event = AuditEvent.objects.filter(event_type=events.PEOPLE_LISTED).latest("seq")
    assert event.data["query"] == {"kind": "child", "q": "<given>"}
    assert not _searched_name_in_trail()
    assert event.data["ids"] == [str(canary.pk)]


def test_api_search_rejects_unknown_body_fields(users, registry):
    response = _api(users["mfa.officer"]).post(
        "/api/v1/people/search/", {"q": "ab", "home_state": "TJ"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"home_state"}


def test_api_lists_are_masked_and_details_are_full(users, registry, canary):
    api = _api(users["mfa.officer"])
    lists = [api.get("/api/v1/people/"), api.get("/api/v1/cases/")]
    for response in lists:
        assert response.status_code == 200
        assert not _has_canary(response.content.decode())
        assert "Z*** X***" in response.content.decode()
    person = api.get(f"/api/v1/people/{canary.pk}/").json()
    case = api.get(f"/api/v1/cases/{canary.case.pk}/").json()
    assert person["preferred_name"] == CANARY
    assert case["child"]["preferred_name"] == CANARY
