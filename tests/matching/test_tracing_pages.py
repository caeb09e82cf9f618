"""Tracing pages and API, duplicate/merge API, and the addresses of merged records."""

from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.evidence.models import GuardianCandidate
from homeward.matching import events
from homeward.matching.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    TracingMatch,
    TracingMatchStatus,
    TracingRequest,
)
from homeward.matching.services import merge_people, unmerge_people
from homeward.people.models import Person
from tests.conftest import register
from tests.matching.test_tracing import file_request


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


FORM = {
    "home_state": "RU",
    "channel": "icrc",
    "channel_reference": "CTA-RU-77",
    "received_on": "2026-10-01",
    "child_name": "Хадижат Гусейнова",
    "child_sex": "female",
    "child_age": "",
    "child_birth_year": "2016",
    "mother_name": "Зульфия Гусейнова",
    "father_name": "Абу Мухаммад аш-Шишани",
    "requester_name": "Патимат Гусейнова",
    "requester_relationship": "grandparent_maternal",
}


def test_a_consul_files_a_request_on_the_page_and_sees_its_candidates(client, users, registry):
    client.force_login(users["consul.ru"])
    # the form offers only the consul's own state
    page = client.get(reverse("matching:tracing_create"))
    assert list(page.context["form"].fields["home_state"].queryset) == [
        registry["ru_child"].case.home_state
    ]
    response = client.post(reverse("matching:tracing_create"), FORM)
    tracing = TracingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:tracing_detail", kwargs={"pk": tracing.pk})
    assert (tracing.channel, tracing.child_birth_year, tracing.filed_by) == (
        "icrc",
        2016,
        users["consul.ru"],
    )
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    people = [match.person for _label, items in detail.context["groups"] for match, _c in items]
    assert registry["ru_child"] in people and registry["ru_mother"] in people
    assert "Хадижат Гусейнова" in detail.content.decode()
    # the list counts the candidates waiting
    listing = client.get(reverse("matching:tracing_list"))
    assert [(row.pk, row.waiting) for row in listing.context["requests"]] == [
        (tracing.pk, len(people))
    ]


def test_the_page_rejects_bad_input_with_the_field_named(client, users, registry):
    client.force_login(users["mfa.officer"])
    response = client.post(
        reverse("matching:tracing_create"), {**FORM, "child_name": "", "child_birth_year": "1800"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"child_name", "child_birth_year"}
    assert not TracingRequest.objects.exists()


def test_another_states_consul_gets_404_and_confirming_on_the_page_links_the_guardian(
    client, users, registry
):
    tracing = file_request(users["mfa.officer"])
    url = reverse("matching:tracing_detail", kwargs={"pk": tracing.pk})
    client.force_login(users["consul.tj"])
    assert client.get(url).status_code == 404
    client.force_login(users["consul.ru"])
    match = tracing.matches.get(person=registry["ru_child"])
    response = client.post(url, {"match": match.pk, "decision": "confirm", "link_guardian": "on"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == TracingMatchStatus.CONFIRMED
    assert GuardianCandidate.objects.get(pk=match.guardian_id).case == registry["ru_child"].case
    # the consul saw and decided only their own state's child
    assert AuditEvent.objects.get(event_type=events.TRACING_MATCH_CONFIRMED).home_state == "RU"


def test_arabic_detail_page_renders_right_to_left(client, users, registry):
    tracing = file_request(users["mfa.officer"])
    client.force_login(users["mfa.officer"])
    response = client.get(
        reverse("matching:tracing_detail", kwargs={"pk": tracing.pk}),
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in text and "Хадижат Гусейнова" in text


def test_api_files_lists_and_decides_within_scope(users, registry):
    consul = _api(users["consul.ru"])
    body = {
        "home_state": "RU",
        "channel": "embassy",
        "received_on": "2026-10-01",
        "child_name": "Хадижат Гусейнова",
        "child_birth_year": 2016,
        "requester_name": "Патимат Гусейнова",
        "requester_relationship": "grandparent_maternal",
    }
    created = consul.post("/api/v1/tracing-requests/", body, format="json")
    assert created.status_code == 201
    assert created.json()["reference"].startswith("TR-")
    refused = consul.post("/api/v1/tracing-requests/", {**body, "home_state": "TJ"}, format="json")
    assert refused.status_code == 400 and "home_state" in refused.json()["errors"]
    unknown = consul.post("/api/v1/tracing-requests/", {**body, "status": "closed"}, format="json")
    assert unknown.status_code == 400
    assert TracingRequest.objects.count() == 1
    tracing_id = created.json()["id"]
    matches = consul.get(f"/api/v1/tracing-matches/?request={tracing_id}").json()["results"]
    child_match = next(m for m in matches if m["person"] == str(registry["ru_child"].pk))
    fields = {item["field"]: item["level"] for item in child_match["explanation"]}
    assert fields["given"] == "agree"
    # the Tajik consul neither sees the request nor the match
    other = _api(users["consul.tj"])
    assert other.get(f"/api/v1/tracing-requests/{tracing_id}/").status_code == 404
    assert other.get(f"/api/v1/tracing-matches/{child_match['id']}/").status_code == 404
    decided = consul.post(
        f"/api/v1/tracing-matches/{child_match['id']}/decide/",
        {"confirmed": False},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"
    again = consul.post(
        f"/api/v1/tracing-matches/{child_match['id']}/decide/", {"confirmed": True}, format="json"
    )
    assert again.status_code == 400


def test_duplicate_and_merge_api_goes_through_the_services(users, registry):
    officer = users["mfa.officer"]
    kept = register(officer, name="مريم أحمدوفا", state="RU")
    merged = register(officer, name="مريم احمدوفا", state="RU")
    left, right = sorted([kept, merged], key=lambda person: str(person.pk))
    pair = DuplicateCandidate.objects.create(left=left, right=right, score=0.93)
    api = _api(officer)
    listed = api.get("/api/v1/duplicates/?status=proposed").json()["results"]
    assert [row["id"] for row in listed] == [pair.pk]
    # a consul of another state does not see the pair; the registrar cannot decide (403)
    assert _api(users["consul.tj"]).get(f"/api/v1/duplicates/{pair.pk}/").status_code == 404
    assert (
        _api(users["hjc.judge"])
        .post(f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": True}, format="json")
        .status_code
        == 403
    )
    decided = api.post(f"/api/v1/duplicates/{pair.pk}/decide/", {"confirmed": True}, format="json")
    assert decided.json()["status"] == DuplicateStatus.CONFIRMED
    merge = api.post(
        f"/api/v1/duplicates/{pair.pk}/merge/",
        {"survivor": "left", "reason": "Same child, two registers"},
        format="json",
    )
    assert merge.status_code == 201
    record = MergeRecord.objects.get()
    assert (record.survivor, record.duplicate) == (left, right)
    # the merged record answers with merged_into
    merged_body = api.get(f"/api/v1/people/{right.pk}/").json()
    assert merged_body["merged_into"] == str(left.pk)
    assert api.get(f"/api/v1/people/{left.pk}/").json()["merged_into"] is None
    undone = api.post(
        f"/api/v1/merges/{record.pk}/unmerge/", {"reason": "Twins after all"}, format="json"
    )
    assert undone.status_code == 200 and undone.json()["undone_by"] == "mfa.officer"
    assert api.get(f"/api/v1/people/{right.pk}/").json()["merged_into"] is None
    assert AuditEvent.objects.filter(event_type=events.PEOPLE_UNMERGED).count() == 1


def test_a_merged_records_page_redirects_to_the_kept_one_until_unmerged(client, users, registry):
    officer = users["mfa.officer"]
    kept = register(officer, name="مريم أحمدوفا", state="RU")
    merged = register(officer, name="مريم احمدوفا", state="RU")
    merge = merge_people(kept, merged, actor=officer, reason="Same child")
    old_url = reverse("people:person_detail", kwargs={"pk": merged.pk})
    client.force_login(users["consul.ru"])
    response = client.get(old_url, follow=True)
    assert response.redirect_chain == [
        (reverse("people:person_detail", kwargs={"pk": kept.pk}), 302)
    ]
    assert "was merged into this one" in response.content.decode()
    # another state's consul gets the same 404 as for a missing record
    client.force_login(users["consul.tj"])
    assert client.get(old_url).status_code == 404
    # once undone, the old address opens the record itself
    unmerge_people(merge, actor=officer, reason="Twins")
    client.force_login(users["consul.ru"])
    assert client.get(old_url).status_code == 200
    assert Person.objects.get(pk=merged.pk).merged_into_id is None


def test_new_registration_proposal_is_audited(users, registry):
    tracing = file_request(
        users["mfa.officer"], child_name="Ясмина Алиева", child_birth_year=2015, mother_name=""
    )
    child = register(users["moj.registrar"], name="ياسمينة علييفا", state="RU")
    match = TracingMatch.objects.get(request=tracing)
    assert match.person == child
    event = AuditEvent.objects.get(event_type=events.TRACING_MATCHES_PROPOSED)
    assert event.person_id == child.pk
    assert event.data["requests"] == [tracing.reference]
