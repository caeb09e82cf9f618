"""Travel documents (the home state), exit authorisations (MoI) and incidents."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.evidence import events
from homeward.evidence.models import ExitAuthorization, Incident, TravelDocument
from homeward.evidence.services._common import authorize, mission_country, policy_for, save_new

__all__ = ["record_exit_authorization", "record_incident", "record_travel_document"]


@transaction.atomic(durable=True)
def record_travel_document(
    case,
    *,
    actor,
    document_type: str,
    number: str,
    issued_by: str,
    issued_on: datetime.date,
    valid_until: datetime.date,
) -> TravelDocument:
    """Record the travel document the child's home state issued."""
    case = authorize(actor, cap.ADD_TRAVEL_DOCUMENT, case)
    country = mission_country(actor)
    if country is not None and country != case.home_state_id:
        raise PermissionDenied
    document = save_new(
        TravelDocument(
            case=case,
            document_type=document_type,
            number=number,
            issued_by=issued_by,
            issued_on=issued_on,
            valid_until=valid_until,
            recorded_by=actor,
            policy=policy_for(case, issued_on),
        )
    )
    record_event(
        events.TRAVEL_DOCUMENT_RECORDED,
        actor=actor,
        target=document,
        # never the number: it is sealed, and audit data is kept for ever in clear
        data={"document_type": document_type, "valid_until": valid_until},
    )
    return document


@transaction.atomic(durable=True)
def record_exit_authorization(
    case,
    *,
    actor,
    reference: str,
    judicial_decision_reference: str,
    authorised_on: datetime.date,
) -> ExitAuthorization:
    """Record the residency directorate's exit authorisation, citing the judge's decision."""
    case = authorize(actor, cap.ADD_EXIT_AUTHORIZATION, case)
    authorization = save_new(
        ExitAuthorization(
            case=case,
            reference=reference,
            judicial_decision_reference=judicial_decision_reference,
            authorised_on=authorised_on,
            recorded_by=actor,
            policy=policy_for(case, authorised_on),
        )
    )
    record_event(
        events.EXIT_AUTHORIZATION_RECORDED,
        actor=actor,
        target=authorization,
        data={"reference": reference, "judicial_decision": judicial_decision_reference},
    )
    return authorization


@transaction.atomic(durable=True)
def record_incident(
    case,
    *,
    actor,
    incident_type: str,
    occurred_on: datetime.date,
    description: str,
    reported_to=(),
) -> Incident:
    """Record an incident. A death is followed by `workflow.services.mark_deceased`."""
    case = authorize(actor, cap.ADD_INCIDENT, case)
    incident = save_new(
        Incident(
            case=case,
            incident_type=incident_type,
            occurred_on=occurred_on,
            description=description,
            reported_to=list(reported_to),
            recorded_by=actor,
            policy=policy_for(case, occurred_on),
        )
    )
    record_event(
        events.INCIDENT_RECORDED,
        actor=actor,
        target=incident,
        data={"incident_type": incident_type, "occurred_on": occurred_on},
    )
    return incident
