"""Evidence use cases, one module per track. Import from here.

Every service: keyword-only `actor`; checks the actor's capability (PermissionDenied) and
scope (OutOfScopeError) itself; validates with the model's `clean()`; one durable
transaction with its `evidence.*` audit event; records the policy version in force.
"""

from homeward.evidence.services.care import (
    propose_guardian,
    record_assurance,
    record_bia,
    record_consent,
    record_consent_substitute,
    record_guardian_vetting,
)
from homeward.evidence.services.clearances import decide_clearance, request_clearance
from homeward.evidence.services.dna import record_dna_comparison, record_dna_sample
from homeward.evidence.services.documents import (
    record_exit_authorization,
    record_incident,
    record_travel_document,
)
from homeward.evidence.services.judicial import (
    record_court_case,
    record_court_stage,
    record_sentence,
    record_sentence_status,
)
from homeward.evidence.services.nationality import (
    acknowledge_claim,
    notify_home_state,
    record_home_state_determination,
    record_nationality_claim,
)

__all__ = [
    "acknowledge_claim",
    "decide_clearance",
    "notify_home_state",
    "propose_guardian",
    "record_assurance",
    "record_bia",
    "record_consent",
    "record_consent_substitute",
    "record_court_case",
    "record_court_stage",
    "record_dna_comparison",
    "record_dna_sample",
    "record_exit_authorization",
    "record_guardian_vetting",
    "record_home_state_determination",
    "record_incident",
    "record_nationality_claim",
    "record_sentence",
    "record_sentence_status",
    "record_travel_document",
    "request_clearance",
]
