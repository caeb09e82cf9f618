"""Audit event codes of the evidence app (app.model.past_tense_verb).

Event data never carries sealed content: no DNA conclusion or statistic, no security
assessment or its conditions. Auditors read that a result was recorded, not what it says.
"""

CLAIM_RECORDED = "evidence.nationality_claim.recorded"
CLAIM_NOTIFIED = "evidence.nationality_claim.notified"
CLAIM_ACKNOWLEDGED = "evidence.nationality_claim.acknowledged"
DETERMINATION_RECORDED = "evidence.nationality_determination.recorded"
DNA_SAMPLE_RECORDED = "evidence.dna_sample.recorded"
DNA_COMPARISON_RECORDED = "evidence.dna_comparison.recorded"
CONSENT_RECORDED = "evidence.consent.recorded"
CONSENT_SUBSTITUTED = "evidence.consent.substituted"
GUARDIAN_PROPOSED = "evidence.guardian.proposed"
GUARDIAN_VETTED = "evidence.guardian.vetted"
ASSURANCE_RECORDED = "evidence.assurance.recorded"
BIA_RECORDED = "evidence.best_interests_assessment.recorded"
CLEARANCE_REQUESTED = "evidence.clearance.requested"
CLEARANCE_DECIDED = "evidence.clearance.decided"
TRAVEL_DOCUMENT_RECORDED = "evidence.travel_document.recorded"
EXIT_AUTHORIZATION_RECORDED = "evidence.exit_authorization.recorded"
COURT_CASE_RECORDED = "evidence.court_case.recorded"
COURT_CASE_UPDATED = "evidence.court_case.updated"
SENTENCE_RECORDED = "evidence.sentence.recorded"
SENTENCE_UPDATED = "evidence.sentence.updated"
INCIDENT_RECORDED = "evidence.incident.recorded"

# Reads over the API: every list and detail of a track's records is audited.
EVIDENCE_LISTED = "evidence.record.listed"
EVIDENCE_VIEWED = "evidence.record.viewed"
