"""Operations fixtures: one Russian and one Tajik row of every operations model."""

import datetime

import pytest
from django.utils import timezone

from homeward.cases.services import create_family_group
from homeward.core.models import HomeState
from homeward.evidence import services as ev
from homeward.operations import services as ops
from tests.conftest import register
from tests.workflow.conftest import ago, at_status, fresh, policies, world  # noqa: F401  (fixtures)

DAY = datetime.date(2026, 6, 10)


def operations_pairs(users, registry) -> dict:
    """One RU and one TJ row of every operations model, for the scope tests and matrix."""
    from homeward.operations import models

    officer = users["mfa.officer"]
    made = {}
    for code, child in (("RU", registry["ru_child"]), ("TJ", registry["tj_child"])):
        operation = models.Operation.objects.create(
            reference=f"{code}-2026-06-10",
            home_state=HomeState.objects.get(code=code),
            planned_date=DAY,
            created_by=officer,
        )
        member = models.OperationMember.objects.create(
            operation=operation, role="doctor", side="home", name=f"Doctor {code}"
        )
        change = models.OperationDateChange.objects.create(
            operation=operation,
            from_date=DAY - datetime.timedelta(days=7),
            to_date=DAY,
            reason="Weather",
            actor=officer,
        )
        entry = models.ManifestEntry.objects.create(
            operation=operation, person=child, case=child.case
        )
        handover = models.Handover.objects.create(
            operation=operation,
            handed_over_at=timezone.now(),
            location="Baghdad International Airport",
            attested_by=officer,
        )
        item = models.HandoverItem.objects.create(
            entry=entry, identity_checked_by="Officer", identity_method="photo"
        )
        reconciliation = models.Reconciliation.objects.create(
            operation=operation, planned_count=1, actual_count=1, reconciled_by=officer
        )
        report = models.FollowUpReport.objects.create(case=child.case, due_date=DAY)
        arrival = models.Arrival.objects.create(
            case=child.case, arrived_on=DAY, placement="relatives", confirmed_by=officer
        )
        made[code] = {
            models.Operation: operation,
            models.OperationMember: member,
            models.OperationDateChange: change,
            models.ManifestEntry: entry,
            models.Handover: handover,
            models.HandoverItem: item,
            models.Reconciliation: reconciliation,
            models.FollowUpReport: report,
            models.Arrival: arrival,
        }
    return {model: (made["RU"][model], made["TJ"][model]) for model in made["RU"]}


@pytest.fixture
def pairs(users, registry):
    return operations_pairs(users, registry)


# -- helpers for the service tests ---------------------------------------------------------------


FLIGHT = ago(-30)


def ready(w, case, *, valid_until=None):
    """An APPROVED Russian case with a travel document and exit authorisation (the gate)."""
    case = at_status(case, "APPROVED", actor=w["mfa.officer"])
    ev.record_travel_document(
        case,
        actor=w["consul.ru"],
        document_type="passport",
        number=f"P-{case.reference}",
        issued_by="Embassy of Russia",
        issued_on=ago(5),
        valid_until=valid_until or ago(-365),
    )
    ev.record_exit_authorization(
        case,
        actor=w["moi.residency"],
        reference=f"E-{case.reference}",
        judicial_decision_reference="J-1",
        authorised_on=ago(2),
    )
    return fresh(case)


def new_child(w, name, **fields):
    return register(w["mfa.officer"], name=name, state="RU", **fields)


def plan(w, *, planned_date=FLIGHT):
    return ops.propose_operation(
        HomeState.objects.get(code="RU"),
        actor=w["mfa.officer"],
        planned_date=planned_date,
        carrier="EMERCOM of Russia",
        carrier_kind="state_aircraft",
        aircraft="Il-76",
        route="BGW → ZIA",
        handover_location="Baghdad International Airport",
        members=[
            {"role": "doctor", "side": "home", "name": "Dr Ivanova", "organisation": "EMERCOM"},
            {"role": "observer", "side": "observer", "name": "M. Haddad", "organisation": "UNICEF"},
        ],
    )


def confirmed(w, operation):
    officer = w["mfa.officer"]
    operation = ops.advance_operation(operation, actor=officer, expected_version=operation.version)
    return ops.advance_operation(operation, actor=officer, expected_version=operation.version)


def siblings(w, *cases):
    return create_family_group(actor=w["mfa.officer"], label="Husseinov", cases=cases)
