"""Adult cases written over the API: the services' rules, scope, versions and audit."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from homeward.accounts.events import ACCESS_DENIED
from homeward.accounts.models import Role, User
from homeward.accounts.services import issue_api_token
from homeward.adults import events
from homeward.adults.models import AdultCase, ConsularVisit, LegalStatusChange
from homeward.audit.models import AuditEvent
from homeward.core.models import HomeState
from tests.adults.conftest import days_ahead, register_mother
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


def registrar_of(username: str, *states: str) -> User:
    """A correctional registrar (adult cases) whose scope is the given home states only."""
    user = User.objects.create_user(username, password=PASSWORD)
    user.home_states.set(HomeState.objects.filter(code__in=states))
    user.roles.add(Role.objects.get(code="moj_registrar"))
    return User.objects.get(pk=user.pk)


def _url(adult_case=None, step: str = "") -> str:
    if adult_case is None:
        return "/api/v1/adult-cases/"
    return f"/api/v1/adult-cases/{adult_case.pk}/" + (f"{step}/" if step else "")


def _last(event_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("seq")


def _count(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


# -- open --------------------------------------------------------------------------------------


def test_an_officer_opens_an_adult_case(users, registry):
    officer = users["mfa.officer"]
    mother = registry["ru_mother"]
    release = days_ahead(50)
    response = _api(officer).post(
        _url(),
        {
            "person": str(mother.pk),
            "home_state": "ru",
            "legal_status": "convicted",
            "sentence_kind": "fixed_term",
            "expected_release_on": release.isoformat(),
            "detainee_number": " W-117 ",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    adult = AdultCase.objects.get()
    assert body["id"] == str(adult.pk)
    assert body["reference"] == f"HWA-{timezone.localtime().year}-00001"
    # the officer records the sentence but does not hold the criminal-record grant: the
    # answer withholds it, as a read does (tests/adults/test_sentence_sealed.py)
    assert (body["home_state"], body["legal_status"], body["sentence_kind"]) == (
        "RU",
        "convicted",
        None,
    )
    assert adult.sentence_kind == "fixed_term"
    assert body["expected_release_on"] == release.isoformat()
    assert (body["route_home"], body["version"]) == ("undecided", 1)
    assert adult.detainee_number == "W-117" and adult.opened_by == officer
    event = _last(events.ADULT_CASE_OPENED)
    assert (event.actor, event.object_id) == (officer, str(adult.pk))
    assert event.data == {
        "reference": adult.reference,
        "home_state": "RU",
        "legal_status": "convicted",
        "from_case": None,
    }


def test_opening_checks_fields_and_what_the_caller_sees(users, registry):
    officer = users["mfa.officer"]
    mother = registry["ru_mother"]
    api = _api(officer)
    # a conviction without its sentence: the model's field error, nothing written
    body = _is_problem(
        api.post(
            _url(),
            {"person": str(mother.pk), "home_state": "RU", "legal_status": "convicted"},
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["sentence_kind"]
    # a child is not an adult case; an unknown person or state is named
    body = _is_problem(
        api.post(
            _url(), {"person": str(registry["ru_child"].pk), "home_state": "RU"}, format="json"
        ),
        400,
    )
    assert list(body["errors"]) == ["person"]
    body = _is_problem(
        api.post(_url(), {"person": str(mother.pk), "home_state": "ZZ"}, format="json"), 400
    )
    assert list(body["errors"]) == ["home_state"]
    # a field the caller cannot set
    body = _is_problem(
        api.post(
            _url(),
            {"person": str(mother.pk), "home_state": "RU", "version": 7},
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["version"]
    assert not AdultCase.objects.exists()
    assert _count(events.ADULT_CASE_OPENED) == 0


def test_a_role_without_the_capability_cannot_open_and_nothing_changes(users, registry):
    for username in ("consul.ru", "hjc.judge"):
        response = _api(users[username]).post(
            _url(), {"person": str(registry["ru_mother"].pk), "home_state": "RU"}, format="json"
        )
        _is_problem(response, 403)
    assert not AdultCase.objects.exists()
    assert _count(events.ADULT_CASE_OPENED) == 0


def test_a_registrar_of_another_state_cannot_open_for_a_person_it_does_not_see(users, registry):
    tajik_registrar = registrar_of("moj.tj", "TJ")
    body = _is_problem(
        _api(tajik_registrar).post(
            _url(), {"person": str(registry["ru_mother"].pk), "home_state": "RU"}, format="json"
        ),
        400,
    )
    assert set(body["errors"]) == {"person"}
    assert not AdultCase.objects.exists()


# -- steps -------------------------------------------------------------------------------------


def test_legal_status_route_and_return_steps_over_the_api(users, adults):
    officer = users["mfa.officer"]
    ru = adults["ru"]
    api = _api(officer)
    # the sentence served
    served = TODAY() - datetime.timedelta(days=2)
    response = api.post(
        _url(ru, "legal-status"),
        {
            "expected_version": 1,
            "legal_status": "sentence_completed",
            "on": served.isoformat(),
            "note": " Released by the court ",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["legal_status"], body["status_since"], body["version"]) == (
        "sentence_completed",
        served.isoformat(),
        2,
    )
    change = LegalStatusChange.objects.filter(adult_case=ru).order_by("recorded_at").last()
    assert (change.from_status, change.to_status, change.note, change.recorded_by) == (
        "convicted",
        "sentence_completed",
        "Released by the court",
        officer,
    )
    event = _last(events.LEGAL_STATUS_RECORDED)
    assert (event.actor, event.object_id) == (officer, str(ru.pk))
    assert event.data["legal_status"] == ["convicted", "sentence_completed"]
    assert event.data["on"] == served.isoformat()
    # the route home
    response = api.post(
        _url(ru, "route-home"),
        {"expected_version": 2, "route_home": "with_children"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["route_home"], response.json()["version"]) == ("with_children", 3)
    assert _last(events.ROUTE_HOME_CHOSEN).data == {"route_home": ["undecided", "with_children"]}
    # a return step
    response = api.post(
        _url(ru, "return-step"),
        {
            "expected_version": 3,
            "step": "nationality_confirmed",
            "on": served.isoformat(),
            "reference": " RU-NOTE-4 ",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["nationality_confirmed_on"], body["version"]) == (served.isoformat(), 4)
    assert body["missing_for_return"] == [
        "Exit authorised by the Ministry of Interior",
        "Travel document issued",
    ]
    assert _last(events.RETURN_STEP_RECORDED).data == {
        "step": "nationality_confirmed",
        "on": served.isoformat(),
        "reference": "RU-NOTE-4",
    }


def test_a_conviction_states_the_sentence_and_a_rule_refusal_is_a_field_error(users, registry):
    officer = users["mfa.officer"]
    from homeward.adults import services

    adult = services.open_adult_case(
        registry["ru_mother"],
        actor=officer,
        home_state=HomeState.objects.get(code="RU"),
        legal_status="on_trial",
    )
    api = _api(officer)
    # convicted without the sentence
    body = _is_problem(
        api.post(
            _url(adult, "legal-status"),
            {"expected_version": 1, "legal_status": "convicted", "on": TODAY().isoformat()},
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["sentence_kind"]
    # a status that cannot follow
    body = _is_problem(
        api.post(
            _url(adult, "legal-status"),
            {"expected_version": 1, "legal_status": "deported", "on": TODAY().isoformat()},
            format="json",
        ),
        400,
    )
    assert body["errors"] == {
        "legal_status": ["Deported to the home state cannot follow On trial."]
    }
    # a date in the future
    body = _is_problem(
        api.post(
            _url(adult, "return-step"),
            {
                "expected_version": 1,
                "step": "exit_authorised",
                "on": (TODAY() + datetime.timedelta(days=1)).isoformat(),
            },
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["on"]
    adult.refresh_from_db()
    assert (adult.legal_status, adult.version, adult.exit_authorised_on) == ("on_trial", 1, None)
    # and with the sentence: life, no release date
    response = api.post(
        _url(adult, "legal-status"),
        {
            "expected_version": 1,
            "legal_status": "convicted",
            "on": TODAY().isoformat(),
            "sentence_kind": "life",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["sentence_kind"], response.json()["expected_release_on"]) == (
        None,  # sealed for the officer, who lacks the criminal-record grant
        None,
    )
    assert AdultCase.objects.get(pk=adult.pk).sentence_kind == "life"


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("legal-status", {"legal_status": "appeal", "on": "2024-01-01"}),
        ("route-home", {"route_home": "deportation"}),
        ("return-step", {"step": "exit_authorised", "on": "2024-01-01"}),
    ],
)
def test_a_stale_version_is_a_409_and_nothing_changes(users, adults, step, body):
    ru = adults["ru"]
    before = _count(events.LEGAL_STATUS_RECORDED) + _count(events.ROUTE_HOME_CHOSEN)
    response = _api(users["moj.registrar"]).post(
        _url(ru, step), {"expected_version": 7, **body}, format="json"
    )
    _is_problem(response, 409)
    ru.refresh_from_db()
    assert (ru.version, ru.legal_status, ru.route_home, ru.exit_authorised_on) == (
        1,
        "convicted",
        "undecided",
        None,
    )
    assert _count(events.LEGAL_STATUS_RECORDED) + _count(events.ROUTE_HOME_CHOSEN) == before
    assert _count(events.RETURN_STEP_RECORDED) == 0


@pytest.mark.parametrize(
    ("username", "step", "body"),
    [
        ("consul.ru", "legal-status", {"legal_status": "appeal", "on": "2024-01-01"}),
        ("mfa.protocol", "route-home", {"route_home": "deportation"}),
        ("hjc.judge", "return-step", {"step": "exit_authorised", "on": "2024-01-01"}),
        ("mfa.protocol", "consular-visits", None),
    ],
)
def test_a_role_without_the_capability_gets_403_and_nothing_changes(
    users, adults, username, step, body
):
    ru = adults["ru"]
    payload = (
        {"expected_version": 1, **body}
        if body is not None
        else {"visited_on": "2024-01-01", "officials": "Consul", "consent_level": "none"}
    )
    _is_problem(_api(users[username]).post(_url(ru, step), payload, format="json"), 403)
    ru.refresh_from_db()
    assert (ru.version, ru.legal_status, ru.route_home) == (1, "convicted", "undecided")
    assert not ConsularVisit.objects.exists()
    denied = AuditEvent.objects.filter(event_type=ACCESS_DENIED).latest("seq")
    assert denied.actor == users[username]


@pytest.mark.parametrize("step", ["legal-status", "route-home", "return-step"])
def test_another_states_registrar_gets_404_as_for_a_missing_case(users, adults, step):
    ru = adults["ru"]
    body = {
        "legal-status": {"legal_status": "appeal", "on": "2024-01-01"},
        "route-home": {"route_home": "deportation"},
        "return-step": {"step": "exit_authorised", "on": "2024-01-01"},
    }[step]
    response = _api(registrar_of("moj.tj", "TJ")).post(
        _url(ru, step), {"expected_version": 1, **body}, format="json"
    )
    _is_problem(response, 404)
    ru.refresh_from_db()
    assert (ru.version, ru.legal_status, ru.route_home) == (1, "convicted", "undecided")


# -- consular visits ---------------------------------------------------------------------------


def test_a_consul_records_a_visit_to_its_national(users, adults):
    consul = users["consul.tj"]
    tj = adults["tj"]
    visited = TODAY() - datetime.timedelta(days=1)
    response = _api(consul).post(
        _url(tj, "consular-visits"),
        {
            "visited_on": visited.isoformat(),
            "officials": " Second secretary ",
            "consent_level": "welfare",
            "interpreter": "Tajik–Arabic interpreter",
            "discussed": "Her health and her daughter",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    visit = ConsularVisit.objects.get()
    assert response.json() == {
        "id": str(visit.pk),
        "adult_case": str(tj.pk),
        "visited_on": visited.isoformat(),
        "facility": None,
        "officials": "Second secretary",
        "mission": consul.agency_id,
        "interpreter": "Tajik–Arabic interpreter",
        "consent_level": "welfare",
        "discussed": "Her health and her daughter",
    }
    assert visit.recorded_by == consul
    event = _last(events.CONSULAR_VISIT_RECORDED)
    assert (event.actor, event.object_id) == (consul, str(visit.pk))
    assert event.data == {
        "visited_on": visited.isoformat(),
        "consent_level": "welfare",
        "interpreter": True,
    }


def test_a_visit_records_nothing_discussed_without_consent(users, adults):
    body = _is_problem(
        _api(users["consul.tj"]).post(
            _url(adults["tj"], "consular-visits"),
            {
                "visited_on": TODAY().isoformat(),
                "officials": "Consul",
                "consent_level": "none",
                "discussed": "The legal case",
            },
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["discussed"]
    assert not ConsularVisit.objects.exists()


def test_a_consul_of_another_state_gets_404_and_nothing_is_recorded(users, adults):
    response = _api(users["consul.ru"]).post(
        _url(adults["tj"], "consular-visits"),
        {"visited_on": TODAY().isoformat(), "officials": "Consul", "consent_level": "none"},
        format="json",
    )
    _is_problem(response, 404)
    assert not ConsularVisit.objects.exists()
    assert _count(events.CONSULAR_VISIT_RECORDED) == 0


def test_a_retried_create_with_the_same_key_opens_one_case(users, registry):
    officer = users["mfa.officer"]
    mother = register_mother(officer, name="ليلى كريموفا")
    api = _api(officer)
    body = {"person": str(mother.pk), "home_state": "TJ"}
    first = api.post(_url(), body, format="json", HTTP_IDEMPOTENCY_KEY="open-1")
    again = api.post(_url(), body, format="json", HTTP_IDEMPOTENCY_KEY="open-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert AdultCase.objects.count() == 1


# -- a juvenile's completed sentence (on the child's case, with If-Match) ----------------------


@pytest.fixture
def serving(users, prison):
    """A Russian 16-year-old serving a juvenile sentence: the case in SERVING_SENTENCE."""
    from homeward.evidence import services as court_services
    from homeward.workflow import services as workflow
    from tests.conftest import register

    officer, registrar = users["mfa.officer"], users["moj.registrar"]
    born = TODAY().replace(year=TODAY().year - 16) - datetime.timedelta(days=3)
    youth = register(
        officer, name="يوسف كريموف", state="RU", facility=prison, sex="male", born=born
    )
    court_case = court_services.record_court_case(
        youth,
        actor=registrar,
        court="Juvenile Court, Baghdad",
        case_number="J-1",
        stage="convicted",
        alleged_act_on=born.replace(year=born.year + 12),
        verdict_on=TODAY() - datetime.timedelta(days=700),
    )
    sentence = court_services.record_sentence(
        court_case, actor=registrar, sentence_type="years", length=2
    )
    case = workflow.enter_serving_sentence(
        youth.case, actor=officer, expected_version=youth.case.version, reason="Juvenile sentence"
    )
    return case, sentence


def _completed(api, case, *, if_match=None, body=None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return api.post(
        f"/api/v1/cases/{case.pk}/sentence-completed/",
        body if body is not None else {"completed_on": TODAY().isoformat()},
        format="json",
        **headers,
    )


def test_the_registrar_records_a_juveniles_completed_sentence(users, serving):
    case, sentence = serving
    registrar = users["moj.registrar"]
    response = _completed(_api(registrar), case, if_match=f'"{case.version}"')
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["transition"], body["from_status"], body["to_status"], body["actor"]) == (
        "resumed",
        "SERVING_SENTENCE",
        "REGISTERED",
        "moj.registrar",
    )
    assert response["ETag"] == f'"{case.version + 1}"'
    sentence.refresh_from_db()
    case.refresh_from_db()
    assert (sentence.status, case.status) == ("completed", "REGISTERED")
    event = _last(events.JUVENILE_SENTENCE_COMPLETED)
    assert (event.actor, event.case_id) == (registrar, case.pk)
    assert event.data == {"completed_on": TODAY().isoformat(), "sentences": [str(sentence.pk)]}


@pytest.mark.parametrize(("if_match", "status"), [(None, 428), ('"99"', 412)])
def test_without_or_with_a_stale_if_match_nothing_changes(users, serving, if_match, status):
    case, sentence = serving
    _is_problem(_completed(_api(users["moj.registrar"]), case, if_match=if_match), status)
    case.refresh_from_db()
    sentence.refresh_from_db()
    assert (case.status, sentence.status) == ("SERVING_SENTENCE", "serving")
    assert _count(events.JUVENILE_SENTENCE_COMPLETED) == 0


def test_a_consul_cannot_and_another_states_registrar_gets_404(users, serving):
    case, sentence = serving
    if_match = f'"{case.version}"'
    _is_problem(_completed(_api(users["consul.ru"]), case, if_match=if_match), 403)
    _is_problem(_completed(_api(registrar_of("moj.tj", "TJ")), case, if_match=if_match), 404)
    case.refresh_from_db()
    sentence.refresh_from_db()
    assert (case.status, sentence.status) == ("SERVING_SENTENCE", "serving")
    assert _count(events.JUVENILE_SENTENCE_COMPLETED) == 0


def test_a_case_not_serving_a_sentence_is_a_field_error(users, registry):
    case = registry["ru_child"].case
    body = _is_problem(
        _completed(_api(users["moj.registrar"]), case, if_match=f'"{case.version}"'), 400
    )
    assert body["errors"] == {"case": ["The case is not serving a sentence."]}
    future = _is_problem(
        _completed(
            _api(users["moj.registrar"]),
            case,
            if_match=f'"{case.version}"',
            body={"completed_on": (TODAY() + datetime.timedelta(days=1)).isoformat()},
        ),
        400,
    )
    assert list(future["errors"]) == ["completed_on"]


def test_an_adult_case_names_her_facility(users, registry, prison):
    response = _api(users["moj.registrar"]).post(
        _url(),
        {"person": str(registry["ru_mother"].pk), "home_state": "RU", "facility": prison.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert AdultCase.objects.get().facility == prison
    body = _is_problem(
        _api(users["moj.registrar"]).post(
            _url(),
            {"person": str(registry["ru_mother"].pk), "home_state": "RU", "facility": 99999},
            format="json",
        ),
        400,
    )
    assert body["errors"] == {"facility": ["Unknown facility."]}
