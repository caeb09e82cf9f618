"""The Export button of each list page, the pre-filled request form, and the API's datasets."""

import csv
import datetime
import html
import io

import pytest
from django.urls import reverse

from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from homeward.exports import events
from homeward.exports.lists import LIST_DATASETS
from homeward.exports.models import ExportRequest
from homeward.operations.models import Operation
from tests.exports.conftest import PURPOSE
from tests.exports.test_lists import file_tracing

pytestmark = pytest.mark.django_db

CREATE = "/exports/new/"

LISTS = [
    ("adults:adult_case_list", "", "adult_cases"),
    ("judicial:request_list", "", "evidence_requests"),
    ("operations:operation_list", "?status=proposed&home_state=RU", "operations"),
    ("operations:follow_up_list", "", "follow_ups"),
    ("matching:tracing_list", "?status=matched", "tracing_requests"),
    ("matching:duplicate_list", "?status=rejected", "duplicates"),
    ("audit:event_list", "?actor=consul.ru", "audit_events"),
]


def test_every_list_dataset_has_its_page_here():
    assert {(url_name, dataset) for url_name, _query, dataset in LISTS} == {
        (spec.list_url, spec.dataset) for spec in LIST_DATASETS.values()
    }


def export_link(page: str) -> str:
    """The href of the page's Export button, unescaped."""
    marker = 'data-export="'
    start = page.index(marker)
    href = page.index('href="', start) + len('href="')
    return html.unescape(page[href : page.index('"', href)])


@pytest.mark.parametrize(("url_name", "query", "dataset"), LISTS)
def test_each_list_has_an_export_button_carrying_its_filters(
    client, users, registry, url_name, query, dataset
):
    assert reverse("exports:create") == CREATE
    client.force_login(users["mfa.officer"])
    page = client.get(reverse(url_name) + query)
    assert page.status_code == 200
    expected = f"{CREATE}?dataset={dataset}" + (f"&{query[1:]}" if query else "")
    assert export_link(page.content.decode()) == expected


def test_no_export_button_for_a_role_that_cannot_request_exports(client, users, registry):
    client.force_login(users["hjc.judge"])  # reads adult cases, asks for no export
    page = client.get(reverse("adults:adult_case_list")).content.decode()
    assert "data-export=" not in page


def test_the_button_opens_the_form_pre_filled_and_the_file_holds_the_lists_rows(
    client, users, registry
):
    officer = users["mfa.officer"]
    ru = file_tracing(officer, "RU", "Зарема Ахмедова")
    file_tracing(officer, "TJ", "Мадина Каримова")
    client.force_login(officer)
    form_page = client.get(f"{CREATE}?dataset=tracing_requests&status=open&page=3")
    form = form_page.context["form"]
    # the dataset is chosen, the list's filters carried (the page number is not a filter)
    assert (form["dataset"].value(), form["filters"].value()) == ("tracing_requests", "status=open")
    assert "data-carried-filters" in form_page.content.decode()
    response = client.post(
        CREATE,
        {
            "dataset": "tracing_requests",
            "file_format": "csv",
            "filters": "status=open&home_state=RU",  # home_state is no filter of that list
            "purpose_category": "case_work",
            "purpose": PURPOSE,
        },
    )
    export = ExportRequest.objects.get()
    assert response.status_code == 302
    assert (export.dataset, export.filters, export.row_count) == (
        "tracing_requests",
        {"status": "open"},
        2,
    )
    assert str(ru.pk) in export.record_ids
    event = AuditEvent.objects.get(event_type=events.EXPORT_REQUESTED)
    assert event.data["filters"] == {"status": "open"}
    # the export's page says which filters it was made under
    detail = client.get(reverse("exports:detail", kwargs={"pk": export.pk})).content.decode()
    assert "<code>status</code> = <bdi>open</bdi>" in detail


def test_a_bad_filter_is_shown_on_the_form_and_nothing_is_written(client, users, registry):
    client.force_login(users["mfa.officer"])
    before = AuditEvent.objects.count()
    response = client.post(
        CREATE,
        {
            "dataset": "operations",
            "file_format": "csv",
            "filters": "year=someday",
            "purpose_category": "case_work",
            "purpose": PURPOSE,
        },
    )
    assert response.status_code == 200
    assert ExportRequest.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_the_children_lists_saved_search_is_carried_without_a_name_in_a_url(
    client, users, registry
):
    officer = users["mfa.officer"]
    client.force_login(officer)
    # a search by name POSTs; the page is reached again as ?s=<id>
    found = client.post(reverse("people:child_list"), {"q": "فاطمة", "sex": "female"})
    assert found.status_code == 302
    page = client.get(found["Location"]).content.decode()
    link = export_link(page)
    search_id = found["Location"].split("?s=")[1]
    assert link == f"{CREATE}?dataset=children&s={search_id}"
    assert "فاطمة" not in link
    # the form carries the saved terms in its body, and the file holds the list's one child
    form = client.get(link).context["form"]
    assert form["filters"].value() == "q=%D9%81%D8%A7%D8%B7%D9%85%D8%A9&sex=female"
    client.post(
        CREATE,
        {
            "dataset": "children",
            "file_format": "csv",
            "filters": form["filters"].value(),
            "purpose_category": "case_work",
            "purpose": PURPOSE,
        },
    )
    export = ExportRequest.objects.get()
    assert export.record_ids == [str(registry["tj_child"].pk)]
    assert export.filters == {"q": "فاطمة", "sex": "female"}


# -- the API --------------------------------------------------------------------------------


def test_the_api_takes_a_lists_dataset_and_its_filters(client, users, registry):
    officer = users["mfa.officer"]
    for code in ("RU", "TJ"):
        Operation.objects.create(
            reference=f"{code}-OP",
            home_state=HomeState.objects.get(code=code),
            planned_date=datetime.date(2026, 6, 10),
            created_by=officer,
        )
    client.force_login(users["consul.ru"])
    url = reverse("api:exportrequest-list")
    body = {
        "dataset": "operations",
        "file_format": "xlsx",
        "purpose_category": "case_work",
        "purpose": PURPOSE,
        "filters": {"year": "2026"},
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    answer = created.json()
    assert (answer["dataset"], answer["filters"], answer["row_count"]) == (
        "operations",
        {"year": "2026"},
        1,
    )
    refused = client.post(
        url, {**body, "filters": {"year": "soon"}}, content_type="application/json"
    )
    assert refused.status_code == 400
    audit = client.post(
        url, {**body, "dataset": "audit_events", "filters": {}}, content_type="application/json"
    )
    assert audit.status_code == 400
    assert ExportRequest.objects.count() == 1


# -- the home states' list: no personal data, a plain audited download -----------------------


def test_the_home_states_list_downloads_directly_audited_and_scoped(client, users, registry):
    from homeward.diplomacy import events as diplomacy_events
    from homeward.diplomacy import services as diplomacy_services

    diplomacy_services.save_profile(
        HomeState.objects.get(code="RU"),
        actor=users["mfa.officer"],
        stance="case_by_case",
        has_embassy_in_baghdad=True,
    )
    client.force_login(users["consul.ru"])
    page = client.get(reverse("diplomacy:state_list")).content.decode()
    url = reverse("diplomacy:state_list_download")
    assert f'href="{url}?format=csv"' in page
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="homeward-home-states.csv"'
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=diplomacy_events.PROFILES_DOWNLOADED)
    assert (event.actor, event.data) == (users["consul.ru"], {"format": "csv", "ids": ["RU"]})
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    watermark, *table = list(rows)
    assert watermark[0].startswith(f"CONFIDENTIAL · Homeward export audit-{event.seq} ·")
    ru = HomeState.objects.get(code="RU")
    # the consul's file: its own state only, with the stance and its two children's cases
    assert table == [
        ["Code", "Home state", "Policy stance", "Cases"],
        ["RU", ru.display_name, "Case by case", "2"],
    ]
    # an unknown format is a 404 and writes nothing more
    assert client.get(url, {"format": "pdf"}).status_code == 404
    assert AuditEvent.objects.filter(event_type=diplomacy_events.PROFILES_DOWNLOADED).count() == 1
