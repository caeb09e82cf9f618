"""Audit event codes of the evidence app (app.model.past_tense_verb).

Event data never carries sealed content: no DNA conclusion or statistic, no security
assessment or its conditions. Auditors read that a result was recorded, not what it says.
"""

from django.utils.translation import gettext_lazy as _

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

# What the timeline and the access history call each event.
LABELS = {
    CLAIM_RECORDED: _("Nationality claim recorded"),
    CLAIM_NOTIFIED: _("Home state notified of the nationality claim"),
    CLAIM_ACKNOWLEDGED: _("Home state acknowledged the nationality claim"),
    DETERMINATION_RECORDED: _("Nationality determination recorded"),
    DNA_SAMPLE_RECORDED: _("DNA sample recorded"),
    DNA_COMPARISON_RECORDED: _("DNA comparison recorded"),
    CONSENT_RECORDED: _("Consent recorded"),
    CONSENT_SUBSTITUTED: _("Judicial decision recorded in place of consent"),
    GUARDIAN_PROPOSED: _("Guardian proposed"),
    GUARDIAN_VETTED: _("Guardian vetting recorded"),
    ASSURANCE_RECORDED: _("Legal assurances recorded"),
    BIA_RECORDED: _("Best-interests assessment recorded"),
    CLEARANCE_REQUESTED: _("Clearance requested"),
    CLEARANCE_DECIDED: _("Clearance decided"),
    TRAVEL_DOCUMENT_RECORDED: _("Travel document recorded"),
    EXIT_AUTHORIZATION_RECORDED: _("Exit authorisation recorded"),
    COURT_CASE_RECORDED: _("Court case recorded"),
    COURT_CASE_UPDATED: _("Court case updated"),
    SENTENCE_RECORDED: _("Sentence recorded"),
    SENTENCE_UPDATED: _("Sentence updated"),
    INCIDENT_RECORDED: _("Incident recorded"),
    EVIDENCE_LISTED: _("Evidence records listed"),
    EVIDENCE_VIEWED: _("Evidence record read"),
}
