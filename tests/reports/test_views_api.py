"""The dashboard page, the public page and files, the API and the command."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from homeward.audit.models import AuditEvent
from homeward.reports import events
from tests.conftest import register


def test_the_dashboard_shows_the_viewers_scope_only(client, users, world):
    # a Russian child who turns 9 in ten days (the page counts from today)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    nine = register(
        users["mfa.officer"], name="ليلى", state="RU", born=soon.replace(year=soon.year - 9)
    )
    client.force_login(users["consul.ru"])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="pending-total">4<' in body
    assert world["tj_left"].case.reference not in body
    assert 'data-state="TJ"' not in body
    event = AuditEvent.objects.filter(event_type=events.DASHBOARD_VIEWED).latest("seq")
    assert event.actor == users["consul.ru"]
    assert event.data["ids"] == [str(nine.case.pk)]


def test_the_officer_sees_every_state_and_the_links_to_cases(client, users, world):
    client.force_login(users["mfa.officer"])
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-figure="pending-total">6<' in body
    assert "/people/children/?behind=figure%3Dreturned%26state%3DTJ" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body


def test_the_menu_marks_statistics_as_the_current_page_not_the_home_dashboard(client, users, world):
    client.force_login(users["mfa.officer"])
    statistics = client.get(reverse("reports:dashboard")).content.decode()
    home = client.get(reverse("dashboard")).content.decode()
    current = 'aria-current="page">'
    assert f"{current}Statistics</a>" in statistics
    assert f"{current}Dashboard</a>" not in statistics
    assert f"{current}Dashboard</a>" in home
    assert f"{current}Statistics</a>" not in home


def test_a_bad_period_is_a_field_error_and_the_figures_stay_unfiltered(client, users, world):
    client.force_login(users["mfa.officer"])
    response = client.get(
        reverse("reports:dashboard"), {"date_from": "2020-01-01", "date_to": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()


def test_the_dashboard_in_arabic_is_right_to_left(client, users, world):
    client.force_login(users["mfa.officer"])
    with translation.override("ar"):
        response = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="ar")
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert 'data-direction="rtl"' in body


def test_public_statistics_need_the_grant(client, users, world):
    client.force_login(users["consul.ru"])
    assert client.get(reverse("reports:public")).status_code == 403
    assert client.get(reverse("reports:public_csv")).status_code == 403
    assert not AuditEvent.objects.filter(event_type=events.PUBLIC_STATISTICS_EXPORTED).exists()


def test_public_page_suppresses_small_counts(client, users, world):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("reports:public"), {"as_of": "2025-01-01"})
    body = response.content.decode()
    # 3 Russian and 2 Tajik children: both below 5, so their total is withheld too
    assert 'data-figure="public-total">x<' in body
    assert "&lt;5" in body
    assert world["returned_ru"][0].case.reference not in body


@pytest.mark.parametrize("name", ["public_csv", "public_json", "public_xlsx", "public_pdf"])
def test_every_public_file_is_audited(client, users, world, name):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse(f"reports:{name}"), {"as_of": "2025-01-01", "threshold": "3"})
    assert response.status_code == 200
    content = response.content
    if name == "public_pdf":
        assert content.startswith(b"%PDF")
    if name == "public_xlsx":
        assert content.startswith(b"PK")
    event = AuditEvent.objects.filter(event_type=events.PUBLIC_STATISTICS_EXPORTED).latest("seq")
    assert event.data == {
        "format": name.split("_")[1],
        "as_of": "2025-01-01",
        "threshold": 3,
    }


def test_the_csv_with_threshold_3_shows_the_3_and_hides_the_2(client, users, world):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("reports:public_csv"), {"as_of": "2025-01-01", "threshold": "3"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    nationality = {row[1]: row[3] for row in rows if row[0] == "nationality"}
    # RU 3 is shown (not below 3); TJ 2 is "<3"; then RU must be withheld too ("x"),
    # or the total 5 minus 3 would give TJ's 2
    assert nationality == {"RU": "x", "TJ": "<3"}
    total = next(row[3] for row in rows if row[0] == "total")
    assert total == "5"


def test_a_future_as_of_is_refused_on_the_page(client, users, world):
    client.force_login(users["mfa.officer"])
    response = client.get(reverse("reports:public"), {"as_of": "2999-01-01"})
    assert "The date cannot be in the future." in response.content.decode()


def test_api_figure_for_a_consul(users, world, api_client_for):
    client = api_client_for(users["consul.ru"])
    response = client.get("/api/v1/stats/pending-by-stage/")
    assert response.status_code == 200
    assert response.json() == [
        {"home_state": "RU", "status": "REGISTERED", "cases": 2},
        {"home_state": "RU", "status": "VERIFICATION", "cases": 1},
    ]
    refused = client.get("/api/v1/stats/pending-by-stage/", {"home_state": "TJ"})
    assert refused.status_code == 400
    assert "home_state" in refused.json()["errors"]


def test_api_rejects_bad_input(users, world, api_client_for):
    client = api_client_for(users["mfa.officer"])
    assert client.get("/api/v1/stats/returns-by-month/", {"date_from": "nope"}).status_code == 400
    assert client.get("/api/v1/stats/returns-by-month/", {"colour": "red"}).status_code == 400
    response = client.get(
        "/api/v1/stats/returns-by-month/", {"date_from": "2019-08-01", "home_state": "tj"}
    )
    assert response.json() == [{"month": "2019-10", "home_state": "TJ", "children": 2}]


def test_api_public(users, world, api_client_for):
    client = api_client_for(users["mfa.officer"])
    response = client.get("/api/v1/stats/public/", {"as_of": "2025-01-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["total_returned"] == {"count": None, "shown": "x"}
    assert {row["nationality"]: row["returned"] for row in body["by_nationality"]} == {
        "RU": {"count": None, "shown": "<5"},
        "TJ": {"count": None, "shown": "<5"},
    }
    assert body["statement"]["en"] == (
        "As of Jan. 1, 2025, no figures on children returned can be published yet."
    )
    assert api_client_for(users["consul.ru"]).get("/api/v1/stats/public/").status_code == 403


def test_command_prints_json_and_csv(world):
    out = io.StringIO()
    call_command("public_stats", "--as-of", "2019-12-31", "--threshold", "2", stdout=out)
    body = json.loads(out.getvalue())
    assert body["total_returned"] == {"count": 5, "shown": "5"}
    assert [row["month"] for row in body["by_month"]] == ["2019-07", "2019-10"]
    out = io.StringIO()
    call_command("public_stats", "--format", "csv", "--as-of", "2019-08-01", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["section", "key", "label", "children"]
    assert rows[1] == ["total", "2019-08-01", "returned", "<5"]
