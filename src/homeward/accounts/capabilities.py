"""Every capability a role can grant, in one place.

Codes follow Django's "app_label.action_model" so that ScopedQuerySet.for_user can derive
the code from a model and an action. A role holding a code not listed here is refused
by Role.clean(), so a typo cannot silently grant nothing.
"""

from django.utils.translation import gettext_lazy as _

VIEW_PERSON = "people.view_person"
ADD_PERSON = "people.add_person"
CHANGE_PERSON = "people.change_person"
VIEW_FACILITY = "people.view_facility"
VIEW_CASE = "cases.view_case"
CHANGE_CASE = "cases.change_case"
VIEW_HOME_STATE = "core.view_homestate"
VIEW_AUDIT = "audit.view_auditevent"

# Workflow (issue 3): moving cases through their gates, closing them, publishing policy.
MOVE_CASE = "workflow.move_case"
PROFILE_CASE = "workflow.profile_case"
APPROVE_CASE = "workflow.approve_case"
HAND_OVER_CASE = "workflow.hand_over_case"
CONFIRM_ARRIVAL = "workflow.confirm_arrival"
APPROVE_CLOSURE = "workflow.approve_closure"
PUBLISH_POLICY = "workflow.publish_policy"

# Evidence (the parallel tracks). The two view_* codes are sealed-field grants: the model
# names match the sealed tables, so ScopedQuerySet.for_user applies them automatically.
ADD_NATIONALITY_CLAIM = "evidence.add_nationalityclaim"
ACKNOWLEDGE_CLAIM = "evidence.acknowledge_nationalityclaim"
ADD_DETERMINATION = "evidence.add_nationalitydetermination"
ADD_DNA_SAMPLE = "evidence.add_dnasample"
ADD_DNA_COMPARISON = "evidence.add_dnacomparison"
VIEW_DNA_RESULT = "evidence.view_dnaresult"
ADD_CONSENT = "evidence.add_consent"
DECIDE_CONSENT_SUBSTITUTE = "evidence.decide_consentsubstitute"
ADD_GUARDIAN = "evidence.add_guardiancandidate"
VET_GUARDIAN = "evidence.vet_guardiancandidate"
ADD_ASSURANCE = "evidence.add_assurance"
ADD_BIA = "evidence.add_bestinterestsassessment"
REQUEST_CLEARANCE = "evidence.request_clearance"
DECIDE_JUDICIAL_CLEARANCE = "evidence.decide_judicial_clearance"
DECIDE_SECURITY_CLEARANCE = "evidence.decide_security_clearance"
VIEW_SECURITY_ASSESSMENT = "evidence.view_securityassessment"
# Sealed-data grants (issue 8): criminal records (charges) and health notes (the conditions
# and comments of medical clearances) are sealed at rest and shown only to these holders.
VIEW_CRIMINAL_RECORD = "evidence.view_criminal_record"
VIEW_HEALTH = "evidence.view_health"
DECIDE_MEDICAL_CLEARANCE = "evidence.decide_medical_clearance"
DECIDE_MINISTRY_CLEARANCE = "evidence.decide_ministry_clearance"
DECIDE_FEE_CLEARANCE = "evidence.decide_fee_clearance"
ADD_TRAVEL_DOCUMENT = "evidence.add_traveldocument"
ADD_EXIT_AUTHORIZATION = "evidence.add_exitauthorization"
ADD_COURT_CASE = "evidence.add_courtcase"
ADD_INCIDENT = "evidence.add_incident"
VIEW_ATTACHMENT = "attachments.view_attachment"
DOWNLOAD_ATTACHMENT = "attachments.download_attachment"
VIEW_SENSITIVE_ATTACHMENT = "attachments.view_sensitive_attachment"
ADD_ATTACHMENT = "attachments.add_attachment"
ADD_ANY_ATTACHMENT = "attachments.add_any_attachment"
WITHDRAW_ATTACHMENT = "attachments.withdraw_attachment"

CAPABILITIES: dict[str, str] = {
    VIEW_PERSON: _("See children and relatives, their names, family and custody"),
    ADD_PERSON: _("Register children and relatives"),
    CHANGE_PERSON: _("Edit records, link relatives, record custody moves"),
    VIEW_FACILITY: _("See facilities"),
    VIEW_CASE: _("See cases and their status"),
    CHANGE_CASE: _("Change a case's home state or owner"),
    VIEW_HOME_STATE: _("See home states"),
    VIEW_AUDIT: _("Read the audit trail and a record's access history"),
    VIEW_ATTACHMENT: _("See which documents are attached to a record (not their content)"),
    DOWNLOAD_ATTACHMENT: _("Download attached documents that are not highly sensitive"),
    VIEW_SENSITIVE_ATTACHMENT: _(
        "Download highly sensitive documents (DNA reports, medical records, photos) "
        "and see their titles"
    ),
    ADD_ATTACHMENT: _(
        "Attach a home state's documents: travel documents, assurance letters, identity documents, "
        "correspondence"
    ),
    ADD_ANY_ATTACHMENT: _(
        "Attach documents of every kind (court decisions, DNA reports, consent forms…)"
    ),
    WITHDRAW_ATTACHMENT: _("Withdraw an attached document (the file is kept for the record)"),
}

READ_REGISTRY = [VIEW_PERSON, VIEW_FACILITY, VIEW_CASE, VIEW_HOME_STATE]
EDIT_REGISTRY = [*READ_REGISTRY, ADD_PERSON, CHANGE_PERSON]

# Attachments: what each kind of agency does with documents (see accounts/roles.py).
READ_DOCUMENTS = [VIEW_ATTACHMENT, DOWNLOAD_ATTACHMENT]
FILE_DOCUMENTS = [*READ_DOCUMENTS, ADD_ATTACHMENT, ADD_ANY_ATTACHMENT]

# Workflow and evidence (issue 3).
CAPABILITIES.update(
    {
        MOVE_CASE: _("Move a case through the workflow (claims, care, scheduling, holds)"),
        PROFILE_CASE: _("Mark a registered child as profiled"),
        APPROVE_CASE: _("Issue the judicial decision that approves a child's handover"),
        HAND_OVER_CASE: _("Record a child's handover"),
        CONFIRM_ARRIVAL: _("Confirm a child's arrival and first placement in the home state"),
        APPROVE_CLOSURE: _("Approve the closing of a case requested by another officer"),
        PUBLISH_POLICY: _("Publish a new version of a home state's requirements policy"),
        ADD_NATIONALITY_CLAIM: _("Record nationality claims and the note verbale sent"),
        ACKNOWLEDGE_CLAIM: _("Acknowledge a nationality claim for the home state"),
        ADD_DETERMINATION: _("Record the home state's answer on a child's nationality"),
        ADD_DNA_SAMPLE: _("Record DNA samples"),
        ADD_DNA_COMPARISON: _("Record DNA comparisons and their results"),
        VIEW_DNA_RESULT: _("See sealed DNA results (conclusions, statistics, reports)"),
        ADD_CONSENT: _("Record a mother's or guardian's consent"),
        DECIDE_CONSENT_SUBSTITUTE: _("Issue a judicial decision substituting for consent"),
        ADD_GUARDIAN: _("Propose a receiving guardian"),
        VET_GUARDIAN: _("Record the home state's vetting of a guardian"),
        ADD_ASSURANCE: _("Record the home state's legal assurances"),
        ADD_BIA: _("Record best-interests assessments and determinations"),
        REQUEST_CLEARANCE: _("Request clearances"),
        DECIDE_JUDICIAL_CLEARANCE: _("Decide judicial clearances"),
        DECIDE_SECURITY_CLEARANCE: _("Decide security clearances"),
        VIEW_SECURITY_ASSESSMENT: _("See sealed security assessments"),
        VIEW_CRIMINAL_RECORD: _("See the charges of court cases (sealed criminal records)"),
        VIEW_HEALTH: _("See health notes of medical clearances (sealed)"),
        DECIDE_MEDICAL_CLEARANCE: _("Decide medical fitness-to-travel clearances"),
        DECIDE_MINISTRY_CLEARANCE: _("Give the ministry's sign-off on a case"),
        DECIDE_FEE_CLEARANCE: _("Confirm that an agreed fee was paid"),
        ADD_TRAVEL_DOCUMENT: _("Record travel documents issued by the home state"),
        ADD_EXIT_AUTHORIZATION: _("Record exit authorisations"),
        ADD_COURT_CASE: _("Record court cases and sentences"),
        ADD_INCIDENT: _("Record incidents (death, illness, transfer…)"),
    }
)

# Diplomacy (issue 4): profiles, engagements and action items, scoped by home state.
VIEW_PROFILE = "diplomacy.view_homestateprofile"
CHANGE_PROFILE = "diplomacy.change_homestateprofile"
VIEW_ENGAGEMENT = "diplomacy.view_engagement"
ADD_ENGAGEMENT = "diplomacy.add_engagement"
VIEW_ACTION_ITEM = "diplomacy.view_actionitem"
ADD_ACTION_ITEM = "diplomacy.add_actionitem"
CHANGE_ACTION_ITEM = "diplomacy.change_actionitem"
# A consul answers the ministry's notes and files its state's documents on an engagement,
# without recording meetings or action items itself.
RECORD_REPLY = "diplomacy.reply_engagement"

READ_DIPLOMACY = [VIEW_PROFILE, VIEW_ENGAGEMENT, VIEW_ACTION_ITEM]
WRITE_DIPLOMACY = [
    *READ_DIPLOMACY,
    CHANGE_PROFILE,
    ADD_ENGAGEMENT,
    RECORD_REPLY,
    ADD_ACTION_ITEM,
    CHANGE_ACTION_ITEM,
]

CAPABILITIES.update(
    {
        VIEW_PROFILE: _("See home-state profiles, their focal points and figures"),
        CHANGE_PROFILE: _("Edit home-state profiles and focal points"),
        VIEW_ENGAGEMENT: _("See notes verbales, meetings and visits with home states"),
        ADD_ENGAGEMENT: _("Record notes verbales, meetings, visits and replies"),
        VIEW_ACTION_ITEM: _("See action items agreed with home states"),
        ADD_ACTION_ITEM: _("Record action items agreed at an engagement"),
        CHANGE_ACTION_ITEM: _("Mark action items done or cancelled"),
        RECORD_REPLY: _(
            "Record a home state's reply to a note verbale and file documents on engagements"
        ),
    }
)

# Exports (issue 8): asking for a file of what one may see, and the second person who
# approves it (four-eyes). `exports.approve_exportrequest` is the "exports.approve" grant.
VIEW_EXPORT = "exports.view_exportrequest"
REQUEST_EXPORT = "exports.add_exportrequest"
APPROVE_EXPORT = "exports.approve_exportrequest"

REQUEST_EXPORTS = [VIEW_EXPORT, REQUEST_EXPORT]

CAPABILITIES.update(
    {
        VIEW_EXPORT: _("See your own export requests and their files"),
        REQUEST_EXPORT: _("Ask for an export of the records you may see, for a stated purpose"),
        APPROVE_EXPORT: _("Approve or refuse other people's exports (four-eyes)"),
    }
)

# Disclosure log (issue 8): who records that a child's data was shared outside, who
# approves such a disclosure (never the recorder), who reads the log.
VIEW_DISCLOSURE = "disclosures.view_disclosure"
ADD_DISCLOSURE = "disclosures.add_disclosure"
APPROVE_DISCLOSURE = "disclosures.approve_disclosure"

CAPABILITIES.update(
    {
        VIEW_DISCLOSURE: _("See with whom a child's data was shared"),
        ADD_DISCLOSURE: _("Record a disclosure of a child's data to an outside body"),
        APPROVE_DISCLOSURE: _("Approve a disclosure of a child's data recorded by someone else"),
    }
)

# Retention (issue 8): legal holds stop the retention schedule for a case.
MANAGE_LEGAL_HOLD = "retention.manage_legalhold"

CAPABILITIES.update(
    {
        MANAGE_LEGAL_HOLD: _(
            "Place and release legal holds, which stop the destruction of a case's records"
        ),
    }
)

# Imports (issue 9): bringing registers and lists in from files. Each kind has its own grant,
# and its commit also needs the grants of the services it calls (a registry role registers
# children, the laboratory records DNA results, a consul records its own state's replies).
VIEW_IMPORT = "imports.view_importbatch"
ADD_IMPORT = "imports.add_importbatch"
IMPORT_CHILDREN = "imports.import_children"
IMPORT_CUSTODY = "imports.import_custody"
IMPORT_DNA_RESULTS = "imports.import_dna_results"
IMPORT_HOME_STATE_REPLIES = "imports.import_home_state_replies"
IMPORT_PRIMERO_CASES = "imports.import_primero_cases"
IMPORT_TRACING_REQUESTS = "imports.import_tracing_requests"

IMPORT_FILES = [VIEW_IMPORT, ADD_IMPORT]

CAPABILITIES.update(
    {
        VIEW_IMPORT: _("See imports of files and their dry-run reports"),
        ADD_IMPORT: _("Upload files for import, run their dry run and commit them"),
        IMPORT_CHILDREN: _("Import registers of children with their mothers and relatives"),
        IMPORT_CUSTODY: _("Import custody placements and moves"),
        IMPORT_DNA_RESULTS: _("Import DNA results from the laboratory"),
        IMPORT_HOME_STATE_REPLIES: _("Import a home state's replies on nationality claims"),
        IMPORT_PRIMERO_CASES: _("Import Primero child-protection case exports"),
        IMPORT_TRACING_REQUESTS: _("Import lists of tracing requests from relatives abroad"),
    }
)

# Adult returnees (issue 10): adult cases, their legal track and return gate, consular visits.
VIEW_ADULT_CASE = "adults.view_adultcase"
ADD_ADULT_CASE = "adults.add_adultcase"
CHANGE_ADULT_CASE = "adults.change_adultcase"
VIEW_CONSULAR_VISIT = "adults.view_consularvisit"
ADD_CONSULAR_VISIT = "adults.add_consularvisit"

CAPABILITIES.update(
    {
        VIEW_ADULT_CASE: _("See adult cases (mothers and others in custody) and releases due"),
        ADD_ADULT_CASE: _("Open adult cases"),
        CHANGE_ADULT_CASE: _("Record an adult's legal status, route home and return steps"),
        VIEW_CONSULAR_VISIT: _("See consular visits to nationals in custody"),
        ADD_CONSULAR_VISIT: _("Record consular visits to nationals in custody"),
    }
)

# Judicial cooperation (issue 10): home states' requests for evidence and judicial records.
# What is sent is approved by a second person (four-eyes) and logged as a disclosure.
VIEW_EVIDENCE_REQUEST = "judicial.view_evidencerequest"
ADD_EVIDENCE_REQUEST = "judicial.add_evidencerequest"
APPROVE_EVIDENCE_TRANSMISSION = "judicial.approve_evidencerequest"

CAPABILITIES.update(
    {
        VIEW_EVIDENCE_REQUEST: _("See requests for evidence and judicial records, and answers"),
        ADD_EVIDENCE_REQUEST: _(
            "Record requests for evidence, their decisions and the documents to be sent"
        ),
        APPROVE_EVIDENCE_TRANSMISSION: _(
            "Approve sending documents in answer to a request for evidence (four-eyes)"
        ),
    }
)

# Return operations (issue 5): the ministry plans batches and freezes manifests, protocol
# records the handover on the day, the home state's consul confirms its nationals' arrival
# and sends follow-up reports. Arrivals and follow-up reports share one read grant.
VIEW_OPERATION = "operations.view_operation"
PLAN_OPERATION = "operations.plan_operation"
FREEZE_MANIFEST = "operations.freeze_manifest"
RECORD_OPERATION_HANDOVER = "operations.record_handover"
CONFIRM_OPERATION_ARRIVAL = "operations.confirm_arrival"
VIEW_FOLLOW_UP = "operations.view_followupreport"
RECORD_FOLLOW_UP = "operations.record_follow_up"

CAPABILITIES.update(
    {
        VIEW_OPERATION: _("See return operations, their manifests and handovers"),
        PLAN_OPERATION: _("Plan return operations and their manifests"),
        FREEZE_MANIFEST: _("Freeze a manifest and start an operation"),
        RECORD_OPERATION_HANDOVER: _(
            "Record the handover of an operation, who did not board, and complete it"
        ),
        CONFIRM_OPERATION_ARRIVAL: _("Confirm the arrival of returned children of your state"),
        VIEW_FOLLOW_UP: _("See arrivals and follow-up reports of returned children"),
        RECORD_FOLLOW_UP: _("Schedule and record follow-up reports on returned children"),
    }
)

# Statistics (issue 6): the dashboard counts only what the reader's scope covers; the public
# figures are the same for everyone (suppressed aggregates), for those who publish them.
VIEW_DASHBOARD = "reports.view_dashboard"
VIEW_PUBLIC_STATISTICS = "reports.view_publicstatistics"

CAPABILITIES.update(
    {
        VIEW_DASHBOARD: _("See the statistics dashboard of the cases in your scope"),
        VIEW_PUBLIC_STATISTICS: _(
            "See and export the public statistics (suppressed totals) and the press statement"
        ),
    }
)

# Tracing requests (issue 7): filing a relative's request, reading it with its candidates,
# and confirming or rejecting a proposed child or mother.
VIEW_TRACING = "matching.view_tracingrequest"
ADD_TRACING = "matching.add_tracingrequest"
REVIEW_TRACING = "matching.change_tracingrequest"

CAPABILITIES.update(
    {
        VIEW_TRACING: _("See tracing requests and the candidates proposed for them"),
        ADD_TRACING: _("File a relative's tracing request"),
        REVIEW_TRACING: _("Confirm or reject a tracing request's candidates, close a request"),
    }
)
# Webhooks (issue 9): a home state's or a partner's system subscribes to events on the
# cases it may see; the subscription's owner must keep the view grant to receive anything.
VIEW_WEBHOOK = "webhooks.view_webhooksubscription"
ADD_WEBHOOK = "webhooks.add_webhooksubscription"
CHANGE_WEBHOOK = "webhooks.change_webhooksubscription"

MANAGE_WEBHOOKS = [VIEW_WEBHOOK, ADD_WEBHOOK, CHANGE_WEBHOOK]

CAPABILITIES.update(
    {
        VIEW_WEBHOOK: _("See webhook subscriptions and their delivery log"),
        ADD_WEBHOOK: _("Subscribe a system to events on the cases you may see"),
        CHANGE_WEBHOOK: _("Deactivate webhook subscriptions"),
    }
)

# The JSON case file (issue 9): a case's whole file as the requester may see it, taken out of
# Homeward (a home state's transfer of its child's file), always logged as a disclosure.
EXPORT_CASE_FILE = "cases.export_case"

CAPABILITIES.update({EXPORT_CASE_FILE: _("Export a case's file as JSON (logged as a disclosure)")})
