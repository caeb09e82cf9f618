"""Adult case pages: open a case, record the legal track and a visit; releases on the state page."""

from django.utils import timezone

from homeward.adults.models import AdultCase, ConsularVisit
from tests.adults.conftest import convicted_case

TODAY = timezone.localdate


def test_an_officer_opens_the_case_and_records_a_conviction(client, users, registry):
    client.force_login(users["moj.registrar"])
    response = client.post(
        "/adults/new/",
        {
            "person": str(registry["ru_mother"].pk),
            "home_state": "RU",
            "legal_status": "on_trial",
            "route_home": "with_children",
        },
    )
    adult = AdultCase.objects.get()
    assert response["Location"] == f"/adults/{adult.pk}/"
    release = TODAY() + timezone.timedelta(days=70)
    client.post(
        f"/adults/{adult.pk}/legal-status/",
        {
            "expected_version": 1,
            "legal_status": "convicted",
            "on": TODAY().isoformat(),
            "sentence_kind": "fixed_term",
            "expected_release_on": release.isoformat(),
        },
    )
    adult.refresh_from_db()
    assert (adult.legal_status, adult.expected_release_on, adult.version) == (
        "convicted",
        release,
        2,
    )


def test_a_stale_form_is_refused_and_changes_nothing(client, users, adults):
    client.force_login(users["mfa.officer"])
    response = client.post(
        f"/adults/{adults['ru'].pk}/legal-status/",
        {"expected_version": 7, "legal_status": "appeal", "on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    adults["ru"].refresh_from_db()
    assert adults["ru"].legal_status == "convicted"


def test_the_consul_logs_a_visit_to_its_national_only(client, users, adults):
    client.force_login(users["consul.ru"])
    data = {
        "visited_on": TODAY().isoformat(),
        "officials": "Consul A. Ivanov",
        "consent_level": "none",
    }
    assert client.post(f"/adults/{adults['ru'].pk}/visits/new/", data).status_code == 302
    assert client.post(f"/adults/{adults['tj'].pk}/visits/new/", data).status_code == 404
    assert list(ConsularVisit.objects.values_list("adult_case__home_state_id", flat=True)) == ["RU"]


def test_the_state_page_lists_the_mothers_released_soon(client, users, registry):
    adult = convicted_case(users["mfa.officer"], registry["ru_mother"], "RU", release_in_days=30)
    client.force_login(users["consul.ru"])
    page = client.get("/diplomacy/states/RU/").content.decode()
    assert adult.reference in page and registry["ru_child"].case.reference in page
    client.force_login(users["consul.tj"])
    assert client.get("/diplomacy/states/RU/").status_code == 404


def test_the_meeting_pack_lists_releases_and_requests_of_that_state_only(users, registry):
    from homeward.core.models import HomeState
    from homeward.diplomacy.queries import meeting_pack

    ru = convicted_case(users["mfa.officer"], registry["ru_mother"], "RU", release_in_days=30)
    pack = meeting_pack(users["consul.ru"], HomeState.objects.get(code="RU"))
    assert [row.adult_case for row in pack.releases_due] == [ru]
    assert [case.reference for case in pack.releases_due[0].children] == [
        registry["ru_child"].case.reference
    ]
    assert pack.evidence_requests == []
    tj_pack = meeting_pack(users["mfa.officer"], HomeState.objects.get(code="TJ"))
    assert tj_pack.releases_due == []
