"""A small fixed world for the statistics: two operations, pending cases in known states.

Built with the ORM where the owning app has no service yet (operations, by ops-core) and
to set historical dates; every expected number in tests/reports follows from this file.

RU: 3 children returned on RU-2019-07-10 (+ one adult, never counted); ru_child pending
    (REGISTERED, mother sentenced to death), ru_brother pending (VERIFICATION, on trial),
    ru_nine pending (REGISTERED, turns 9 on 2026-03-15); an operation planned, no handover.
TJ: 2 children returned on TJ-2019-10-15, one NOT_BOARDED (APPROVED, pending); tj_child
    pending (REGISTERED); tj_small pending (REGISTERED, born "April 2023": estimated).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from homeward.cases.facts import refresh_limbo_facts
from homeward.cases.models import Case
from homeward.core.models import HomeState
from homeward.evidence.models import CourtCase, DNAComparison, DNASample, Sentence
from homeward.operations.models import FollowUpReport, Handover, ManifestEntry, Operation
from homeward.people import services as people_services
from homeward.reports.queries import ReportFilters
from homeward.workflow.models import CaseTransition
from tests.conftest import register

TODAY = datetime.date(2026, 3, 1)
BAGHDAD = ZoneInfo("Asia/Baghdad")


def _operation(code, day, *, officer, handed_over=True, reference=None):
    operation = Operation.objects.create(
        reference=reference or f"{code}-{day.isoformat()}",
        home_state=HomeState.objects.get(code=code),
        status="completed" if handed_over else "confirmed",
        planned_date=day,
        actual_date=day if handed_over else None,
        created_by=officer,
    )
    if handed_over:
        Handover.objects.create(
            operation=operation,
            # 23:30 in Baghdad is 20:30 UTC: the local date is the one counted
            handed_over_at=datetime.datetime.combine(day, datetime.time(23, 30), BAGHDAD),
            location="Baghdad International Airport",
            attested_by=officer,
        )
    return operation


def _history(case, *moves):
    """Recorded transitions (name, from, to, at), written directly as a seeder does: each
    stay's `left_at` is the next move's moment, as workflow.services.move stores it."""
    rows = []
    for index, (name, before, after, at) in enumerate(moves):
        left_at = moves[index + 1][3] if index + 1 < len(moves) else None
        rows.append(
            CaseTransition.objects.create(
                case=case,
                transition=name,
                from_status=before,
                to_status=after,
                at=at,
                left_at=left_at,
            )
        )
    return rows


def _board(operation, child, status="boarded"):
    return ManifestEntry.objects.create(
        operation=operation, person=child, case=child.case, status=status
    )


@pytest.fixture
def world(users, registry, prison):
    officer = users["mfa.officer"]
    ru_child, ru_brother, tj_child = (
        registry["ru_child"],
        registry["ru_brother"],
        registry["tj_child"],
    )
    ru_nine = register(
        officer, name="مريم", state="RU", facility=prison, born=datetime.date(2017, 3, 15)
    )
    tj_small = register(
        officer,
        name="زينب",
        state="TJ",
        born=datetime.date(2023, 4, 1),
        dob_precision="month",
    )
    returned_ru = [
        register(
            officer, name=f"طفل {i}", state="RU", facility=prison, born=datetime.date(2012, 6, 1)
        )
        for i in range(3)
    ]
    returned_tj = [
        register(
            officer, name=f"ولد {i}", state="TJ", facility=prison, born=datetime.date(2012, 6, 1)
        )
        for i in range(2)
    ]
    tj_left = register(
        officer, name="بقي", state="TJ", facility=prison, born=datetime.date(2012, 6, 1)
    )

    ru_op = _operation("RU", datetime.date(2019, 7, 10), officer=officer)
    for child in returned_ru:
        _board(ru_op, child)
    adult = people_services.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1990, 1, 1),
            "dob_precision": "year",
        },
        names=[{"full_text": "أم", "name_type": "court_record"}],
    )
    ManifestEntry.objects.create(operation=ru_op, person=adult, case=None, status="boarded")
    tj_op = _operation("TJ", datetime.date(2019, 10, 15), officer=officer)
    for child in returned_tj:
        _board(tj_op, child)
    _board(tj_op, tj_left, status="not_boarded")
    planned = _operation("RU", datetime.date(2026, 5, 1), officer=officer, handed_over=False)
    _board(planned, ru_child, status="planned")

    Case.objects.filter(child__in=[*returned_ru, *returned_tj]).update(status="HANDED_OVER")
    Case.objects.filter(child=ru_brother).update(status="VERIFICATION")
    Case.objects.filter(child=tj_left).update(status="APPROVED")
    # written around the services: the stored limbo facts as complete_operation sets them
    refresh_limbo_facts(case_ids=Case.objects.values_list("pk", flat=True))

    # stage cycle: ru_brother REGISTERED 10 days, then VERIFICATION (still there)
    start = datetime.datetime(2025, 1, 1, 9, 0, tzinfo=BAGHDAD)
    _history(
        ru_brother.case,
        ("register", "", "REGISTERED", start),
        ("verify", "REGISTERED", "VERIFICATION", start + datetime.timedelta(days=10)),
    )

    # mother sentenced to death; ru_brother on trial
    mother_case = CourtCase.objects.create(
        defendant=registry["ru_mother"], court="CCC Rusafa", case_number="1/2019", stage="convicted"
    )
    Sentence.objects.create(court_case=mother_case, sentence_type="death", status="serving")
    CourtCase.objects.create(
        defendant=ru_brother,
        court="Juvenile Court Baghdad",
        case_number="7/2025",
        stage="on_trial",
        alleged_act_on=datetime.date(2024, 1, 1),
    )

    # DNA: two samples, one compared at the MoH lab
    first = DNASample.objects.create(
        case=ru_child.case,
        donor=ru_child,
        sample_type="buccal_swab",
        location="iraq",
        collected_on=datetime.date(2025, 1, 5),
        collected_by="MoH",
    )
    DNASample.objects.create(
        case=tj_child.case,
        donor=tj_child,
        sample_type="buccal_swab",
        location="iraq",
        collected_on=datetime.date(2025, 2, 5),
        collected_by="MoH",
    )
    comparison = DNAComparison.objects.create(
        case=ru_child.case,
        hypothesis="mother_child",
        lab="MoH Central Lab",
        method="autosomal_str",
        reported_on=datetime.date(2025, 2, 1),
    )
    comparison.samples.add(first)

    # follow-up: two RU reports due, one received; one not yet due
    FollowUpReport.objects.create(
        case=returned_ru[0].case,
        due_date=datetime.date(2020, 1, 10),
        received_on=datetime.date(2020, 1, 12),
    )
    FollowUpReport.objects.create(case=returned_ru[1].case, due_date=datetime.date(2020, 1, 10))
    FollowUpReport.objects.create(case=returned_ru[2].case, due_date=datetime.date(2026, 6, 1))
    return {
        "ru_nine": ru_nine,
        "tj_small": tj_small,
        "returned_ru": returned_ru,
        "returned_tj": returned_tj,
        "tj_left": tj_left,
        "ru_op": ru_op,
        "tj_op": tj_op,
    }


@pytest.fixture
def filters():
    return ReportFilters(today=TODAY)


@pytest.fixture
def api_client_for():
    from rest_framework.test import APIClient

    from homeward.accounts.services import issue_api_token

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
        return client

    return make
