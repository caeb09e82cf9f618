"""Adult cases: legal track, return gate, releases due, consular visits, juveniles, scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.adults import events, queries, services
from homeward.adults.models import AdultCase, ConsularVisit, LegalStatusChange
from homeward.audit.models import AuditEvent
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.evidence.services import judicial as court_services
from homeward.workflow import services as workflow
from tests.adults.conftest import convicted_case, days_ahead, mission_user, register_mother
from tests.conftest import register

TODAY = timezone.localdate


def test_opening_an_adult_case_is_audited_with_its_first_history_row(users, registry):
    # given the Russian mother, convicted to a fixed term
    adult = convicted_case(users["mfa.officer"], registry["ru_mother"], "RU", release_in_days=40)
    # then the case, its history row and its audit event say the same
    assert adult.reference == f"HWA-{TODAY().year}-00001"
    assert list(adult.status_changes.values_list("to_status", flat=True)) == ["convicted"]
    event = AuditEvent.objects.get(event_type=events.ADULT_CASE_OPENED)
    assert event.data["legal_status"] == "convicted"
    assert event.data["home_state"] == "RU"
    assert event.person_id == registry["ru_mother"].pk
    assert event.home_state == "RU"


def test_a_fixed_term_conviction_needs_its_release_date(users, registry):
    with pytest.raises(ValidationError) as error:
        services.open_adult_case(
            registry["ru_mother"],
            actor=users["mfa.officer"],
            home_state=registry["ru_child"].case.home_state,
            legal_status="convicted",
            sentence_kind="fixed_term",
        )
    assert "expected_release_on" in error.value.message_dict
    assert AdultCase.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=events.ADULT_CASE_OPENED).exists()


def test_a_consul_cannot_open_an_adult_case(users, registry):
    with pytest.raises(PermissionDenied):
        convicted_case(users["consul.ru"], registry["ru_mother"], "RU")
    assert AdultCase.objects.count() == 0


def test_a_consul_sees_only_its_own_nationals(users, adults):
    ru, tj = adults["ru"], adults["tj"]
    # the list, the count and a lookup, for each consul
    assert list(AdultCase.objects.for_user(users["consul.ru"])) == [ru]
    assert AdultCase.objects.for_user(users["consul.tj"]).count() == 1
    assert not AdultCase.objects.for_user(users["consul.ru"]).filter(pk=tj.pk).exists()
    assert queries.pending_by_nationality_and_status(users["consul.ru"]) == [("RU", "convicted", 1)]
    assert {row[0] for row in queries.pending_by_nationality_and_status(users["mfa.officer"])} == {
        "RU",
        "TJ",
    }


def test_legal_track_death_sentence_commuted_then_an_impossible_step_is_refused(users, registry):
    officer = users["mfa.officer"]
    adult = convicted_case(officer, registry["ru_mother"], "RU", kind="death")
    # when the death sentence is commuted to life
    adult = services.record_legal_status(
        adult,
        actor=officer,
        expected_version=adult.version,
        legal_status="commuted",
        on=TODAY(),
        sentence_kind="life",
        note="Presidential decree",
    )
    assert (adult.legal_status, adult.sentence_kind, adult.version) == ("commuted", "life", 2)
    # then it can no longer be executed, and nothing is written by the attempt
    with pytest.raises(ValidationError):
        services.record_legal_status(
            adult,
            actor=officer,
            expected_version=adult.version,
            legal_status="executed",
            on=TODAY(),
        )
    adult.refresh_from_db()
    assert adult.legal_status == "commuted"
    assert LegalStatusChange.objects.filter(adult_case=adult).count() == 2
    event = AuditEvent.objects.filter(event_type=events.LEGAL_STATUS_RECORDED).get()
    assert event.data["legal_status"] == ["convicted", "commuted"]
    assert event.data["sentence_kind"] == "life"


def test_a_stale_edit_is_refused(users, adults):
    adult = adults["ru"]
    with pytest.raises(StaleEditError):
        services.record_legal_status(
            adult,
            actor=users["mfa.officer"],
            expected_version=adult.version + 1,
            legal_status="appeal",
            on=TODAY(),
        )


def test_deportation_waits_for_the_return_gate(users, adults):
    officer = users["mfa.officer"]
    adult = services.record_legal_status(
        adults["ru"],
        actor=officer,
        expected_version=1,
        legal_status="sentence_completed",
        on=TODAY(),
    )
    # when deportation is recorded before nationality, exit and document
    with pytest.raises(ValidationError) as error:
        services.record_legal_status(
            adult,
            actor=officer,
            expected_version=adult.version,
            legal_status="deported",
            on=TODAY(),
        )
    message = str(error.value.message_dict["legal_status"])
    assert "Nationality confirmed" in message and "Travel document" in message
    assert "Sentence served" not in message
    # then with the three steps recorded the adult is deported
    for step in ("nationality_confirmed", "exit_authorised", "travel_document"):
        adult = services.record_return_step(
            adult, actor=officer, expected_version=adult.version, step=step, on=TODAY()
        )
    adult = services.record_legal_status(
        adult, actor=officer, expected_version=adult.version, legal_status="deported", on=TODAY()
    )
    assert (adult.legal_status, adult.route_home, adult.is_pending) == (
        "deported",
        "deportation",
        False,
    )
    assert AuditEvent.objects.filter(event_type=events.RETURN_STEP_RECORDED).count() == 3


def test_transfer_of_a_sentenced_person_needs_an_agreement(users, adults):
    officer = users["mfa.officer"]
    adult = adults["ru"]
    for step in ("nationality_confirmed", "exit_authorised", "travel_document"):
        adult = services.record_return_step(
            adult, actor=officer, expected_version=adult.version, step=step, on=TODAY()
        )
    adult = services.choose_route_home(
        adult, actor=officer, expected_version=adult.version, route_home="transfer"
    )
    assert adult.missing_for_return() == ["Sentence served, or a transfer agreed"]
    adult = services.record_return_step(
        adult, actor=officer, expected_version=adult.version, step="transfer_agreed", on=TODAY()
    )
    adult = services.record_legal_status(
        adult, actor=officer, expected_version=adult.version, legal_status="transferred", on=TODAY()
    )
    assert adult.legal_status == "transferred"


def test_a_consul_of_another_state_cannot_touch_the_case(users, adults):
    with pytest.raises(OutOfScopeError):
        services.record_consular_visit(
            adults["ru"],
            actor=users["consul.tj"],
            visited_on=TODAY(),
            officials="Consul of Tajikistan",
            consent_level="full",
        )
    assert ConsularVisit.objects.count() == 0


def test_consular_visit_records_only_what_was_consented(users, adults):
    consul = users["consul.ru"]
    with pytest.raises(ValidationError) as error:
        services.record_consular_visit(
            adults["ru"],
            actor=consul,
            visited_on=TODAY(),
            officials="Consul A. Ivanov",
            consent_level="none",
            discussed="Her appeal",
        )
    assert "discussed" in error.value.message_dict
    visit = services.record_consular_visit(
        adults["ru"],
        actor=consul,
        visited_on=TODAY(),
        officials="Consul A. Ivanov",
        interpreter="R. Karimova",
        consent_level="welfare",
        discussed="Health; letters to her mother",
    )
    assert visit.mission == consul.agency
    event = AuditEvent.objects.get(event_type=events.CONSULAR_VISIT_RECORDED)
    assert event.data == {
        "visited_on": TODAY().isoformat(),
        "consent_level": "welfare",
        "interpreter": True,
    }
    assert list(ConsularVisit.objects.for_user(users["consul.tj"])) == []


def test_uzbek_mothers_due_within_two_months_with_their_childrens_cases(users, registry, prison):
    # given three Uzbek mothers of pending children, released within two months, one later,
    # and a Russian mother released next month
    officer = users["mfa.officer"]
    made = []
    for n, days in enumerate((20, 45, 58, 120)):
        child = register(officer, name=f"طفل أوزبكي {n}", state="UZ", facility=prison)
        mother = register_mother(officer, name=f"أم أوزبكية {n}", child=child)
        made.append((convicted_case(officer, mother, "UZ", release_in_days=days), child))
    convicted_case(officer, registry["ru_mother"], "RU", release_in_days=30)
    consul = mission_user("consul.uz", "UZ")
    # when the Uzbek consul asks for releases within two months
    due = queries.releases_due(consul, months=2)
    # then exactly the three, soonest first, each with her pending child's case
    assert [row.adult_case for row in due] == [adult for adult, _child in made[:3]]
    assert [row.days_left for row in due] == [20, 45, 58]
    assert [[case.pk for case in row.children_pending] for row in due] == [
        [child.case.pk] for _adult, child in made[:3]
    ]
    # the ministry sees the Russian one too; the Russian consul sees only hers
    assert len(queries.releases_due(officer, months=2)) == 4
    assert [row.adult_case.home_state_id for row in queries.releases_due(users["consul.ru"])] == [
        "RU"
    ]


def test_releases_by_month_counts_exactly(users, registry, prison):
    officer = users["mfa.officer"]
    today = TODAY()
    first = today.replace(day=1)
    convicted_case(officer, registry["ru_mother"], "RU", release_in_days=0)
    other = register_mother(officer, name="أم ثانية", child=registry["ru_brother"])
    adult = services.open_adult_case(
        other,
        actor=officer,
        home_state=registry["ru_child"].case.home_state,
        legal_status="convicted",
        sentence_kind="fixed_term",
        expected_release_on=queries.add_months(first, 2),
    )
    months = queries.releases_by_month(officer, months=3, today=today)
    assert months == [
        (first.strftime("%Y-%m"), 1),
        (queries.add_months(first, 1).strftime("%Y-%m"), 0),
        (queries.add_months(first, 2).strftime("%Y-%m"), 1),
    ]
    assert adult.expected_release_on.day == 1


def test_a_juvenile_who_served_the_sentence_resumes(users, registry, prison):
    # given a 16-year-old serving a juvenile sentence, the case in SERVING_SENTENCE
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
    # when MoJ records that the sentence is served
    resumed = services.complete_juvenile_sentence(
        case, actor=registrar, expected_version=case.version, completed_on=TODAY()
    )
    # then the sentence is completed and the case is back where it was
    sentence.refresh_from_db()
    assert sentence.status == "completed"
    assert resumed.status == CaseStatus.REGISTERED
    event = AuditEvent.objects.get(event_type=events.JUVENILE_SENTENCE_COMPLETED)
    assert event.data["sentences"] == [str(sentence.pk)]
    assert event.case_id == case.pk


def test_a_juvenile_who_turned_18_continues_as_an_adult_case(users, registry, prison):
    officer = users["mfa.officer"]
    born = TODAY().replace(year=TODAY().year - 19)
    youth = register(officer, name="عمر سعيدوف", state="TJ", facility=prison, sex="male", born=born)
    # not before ageing out
    with pytest.raises(ValidationError):
        services.continue_as_adult(youth.case, actor=officer)
    case = workflow.mark_aged_out(
        youth.case, actor=officer, expected_version=youth.case.version, reason="Turned 18"
    )
    adult = services.continue_as_adult(
        case,
        actor=officer,
        legal_status="convicted",
        sentence_kind="fixed_term",
        expected_release_on=days_ahead(300),
    )
    # the adult case links the child's case (history kept there) and is scoped like it
    assert adult.from_case == case and adult.person == youth and adult.home_state_id == "TJ"
    assert Case.objects.get(pk=case.pk).adult_continuation == adult
    assert AdultCase.objects.for_user(users["consul.tj"]).get() == adult
    assert not AdultCase.objects.for_user(users["consul.ru"]).exists()
    event = AuditEvent.objects.get(event_type=events.ADULT_CASE_OPENED)
    assert event.case_id == case.pk and event.data["from_case"] == str(case.pk)
