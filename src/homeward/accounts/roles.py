"""The standard roles of domain.md §1.5, as data. `sync_standard_roles()` writes them.

Documents: every agency that reads the registry may download ordinary documents, except
UNICEF and the auditor, who see only what is attached (their work does not need the files).
Highly sensitive documents (DNA reports, medical records, photos; domain.md §3.1 L4) are
downloaded only by the ministry that owns the cases and by the DNA laboratory. A consul
attaches only what a home state issues (travel documents, assurances, identity documents,
correspondence), never an Iraqi court decision or a DNA report.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    capabilities: tuple[str, ...]


# Registry and documents: what each role reads and files.
REGISTRY_ROLES = [
    RoleSpec(
        "mfa_case_officer",
        _("MFA case officer"),
        (
            *cap.EDIT_REGISTRY,
            cap.CHANGE_CASE,
            cap.VIEW_AUDIT,
            *cap.FILE_DOCUMENTS,
            cap.VIEW_SENSITIVE_ATTACHMENT,
            cap.WITHDRAW_ATTACHMENT,
        ),
    ),
    RoleSpec("mfa_protocol", _("MFA protocol officer"), (*cap.READ_REGISTRY, *cap.READ_DOCUMENTS)),
    RoleSpec(
        "hjc_judge", _("Judge (Higher Judicial Council)"), (*cap.READ_REGISTRY, *cap.FILE_DOCUMENTS)
    ),
    RoleSpec(
        "moj_registrar",
        _("MoJ correctional registrar"),
        (*cap.EDIT_REGISTRY, *cap.FILE_DOCUMENTS, cap.WITHDRAW_ATTACHMENT),
    ),
    RoleSpec(
        "molsa_carer",
        _("MOLSA care worker"),
        (*cap.EDIT_REGISTRY, *cap.FILE_DOCUMENTS, cap.WITHDRAW_ATTACHMENT),
    ),
    RoleSpec(
        "moh_lab",
        _("MoH DNA laboratory"),
        (*cap.READ_REGISTRY, *cap.FILE_DOCUMENTS, cap.VIEW_SENSITIVE_ATTACHMENT),
    ),
    RoleSpec("security_liaison", _("Security liaison"), (*cap.READ_REGISTRY, *cap.READ_DOCUMENTS)),
    RoleSpec(
        "moi_residency", _("MoI residency officer"), (*cap.READ_REGISTRY, *cap.READ_DOCUMENTS)
    ),
    RoleSpec(
        "unicef_officer",
        _("UNICEF child-protection officer"),
        (*cap.READ_REGISTRY, cap.VIEW_ATTACHMENT),
    ),
    RoleSpec("auditor", _("Auditor"), (*cap.READ_REGISTRY, cap.VIEW_AUDIT, cap.VIEW_ATTACHMENT)),
    RoleSpec(
        "home_state_consul",
        _("Home-state consular officer"),
        (*cap.READ_REGISTRY, *cap.READ_DOCUMENTS, cap.ADD_ATTACHMENT),
    ),
    RoleSpec("mfa_supervisor", _("MFA supervisor"), ()),
]

# Workflow and evidence (issue 3): who moves cases and who records each track's evidence.
# Kept as one table so that the separation of duties reads in one place: the lab records
# DNA, the judge decides judicial clearances and approves, the consul speaks for its state,
# and a supervisor (never the requesting officer) approves a closure.
WORKFLOW_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (
        cap.MOVE_CASE,
        cap.PROFILE_CASE,
        cap.ADD_NATIONALITY_CLAIM,
        cap.ADD_CONSENT,
        cap.ADD_GUARDIAN,
        cap.ADD_ASSURANCE,
        cap.REQUEST_CLEARANCE,
        cap.DECIDE_FEE_CLEARANCE,
        cap.ADD_INCIDENT,
        cap.VIEW_HEALTH,
    ),
    "mfa_protocol": (cap.HAND_OVER_CASE,),
    "hjc_judge": (
        cap.APPROVE_CASE,
        cap.DECIDE_JUDICIAL_CLEARANCE,
        cap.DECIDE_CONSENT_SUBSTITUTE,
        cap.VIEW_DNA_RESULT,
        cap.ADD_COURT_CASE,
        cap.VIEW_CRIMINAL_RECORD,
    ),
    "moj_registrar": (
        cap.PROFILE_CASE,
        cap.ADD_COURT_CASE,
        cap.ADD_INCIDENT,
        cap.DECIDE_MEDICAL_CLEARANCE,
        cap.VIEW_CRIMINAL_RECORD,
        cap.VIEW_HEALTH,
    ),
    "molsa_carer": (
        cap.PROFILE_CASE,
        cap.ADD_INCIDENT,
        cap.DECIDE_MEDICAL_CLEARANCE,
        cap.VIEW_HEALTH,
    ),
    "moh_lab": (cap.ADD_DNA_SAMPLE, cap.ADD_DNA_COMPARISON, cap.VIEW_DNA_RESULT),
    "security_liaison": (cap.DECIDE_SECURITY_CLEARANCE, cap.VIEW_SECURITY_ASSESSMENT),
    "moi_residency": (cap.ADD_EXIT_AUTHORIZATION,),
    "unicef_officer": (cap.ADD_BIA, cap.VIEW_HEALTH),
    "home_state_consul": (
        cap.ACKNOWLEDGE_CLAIM,
        cap.ADD_DETERMINATION,
        cap.ADD_GUARDIAN,
        cap.VET_GUARDIAN,
        cap.ADD_ASSURANCE,
        cap.ADD_TRAVEL_DOCUMENT,
        cap.CONFIRM_ARRIVAL,
    ),
    "mfa_supervisor": (
        *cap.READ_REGISTRY,
        cap.VIEW_AUDIT,
        cap.MOVE_CASE,
        cap.REQUEST_CLEARANCE,
        cap.DECIDE_MINISTRY_CLEARANCE,
        cap.APPROVE_CLOSURE,
        cap.PUBLISH_POLICY,
    ),
}

# Diplomacy (issue 4): the ministry conducts it; the judiciary, the justice ministry and the
# security agencies sit at the table and read it; a consul reads its own state's record.
DIPLOMACY_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": tuple(cap.WRITE_DIPLOMACY),
    "mfa_supervisor": tuple(cap.WRITE_DIPLOMACY),
    "hjc_judge": tuple(cap.READ_DIPLOMACY),
    "moj_registrar": tuple(cap.READ_DIPLOMACY),
    "security_liaison": tuple(cap.READ_DIPLOMACY),
    "home_state_consul": (*cap.READ_DIPLOMACY, cap.RECORD_REPLY),
}

# Exports (issue 8): the agencies that work on lists of children may ask for a file of what
# they see; a supervisor (never the requester) approves it. The consul's file holds only its
# own state's children, because the export reads through the consul's scope.
EXPORT_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": tuple(cap.REQUEST_EXPORTS),
    "moj_registrar": tuple(cap.REQUEST_EXPORTS),
    "molsa_carer": tuple(cap.REQUEST_EXPORTS),
    "home_state_consul": tuple(cap.REQUEST_EXPORTS),
    "mfa_supervisor": (*cap.REQUEST_EXPORTS, cap.APPROVE_EXPORT),
}

# Disclosure log (issue 8): the ministry records what it shares and a supervisor approves
# it; the auditor reads the log.
DISCLOSURE_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (cap.VIEW_DISCLOSURE, cap.ADD_DISCLOSURE),
    "mfa_supervisor": (cap.VIEW_DISCLOSURE, cap.ADD_DISCLOSURE, cap.APPROVE_DISCLOSURE),
    "auditor": (cap.VIEW_DISCLOSURE,),
}

# Retention (issue 8): a supervisor decides what must outlive its retention period.
RETENTION_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_supervisor": (cap.MANAGE_LEGAL_HOLD,),
}

# Imports (issue 9): registry roles bring in registers and custody lists, the ministry also
# UNICEF's Primero exports, the laboratory its DNA results, a consul its own state's replies;
# the ministry and the consuls the tracing requests relatives abroad send them.
IMPORT_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (
        *cap.IMPORT_FILES,
        cap.IMPORT_CHILDREN,
        cap.IMPORT_CUSTODY,
        cap.IMPORT_PRIMERO_CASES,
        cap.IMPORT_TRACING_REQUESTS,
    ),
    "moj_registrar": (*cap.IMPORT_FILES, cap.IMPORT_CHILDREN, cap.IMPORT_CUSTODY),
    "molsa_carer": (
        *cap.IMPORT_FILES,
        cap.IMPORT_CHILDREN,
        cap.IMPORT_CUSTODY,
        cap.IMPORT_PRIMERO_CASES,
    ),
    "moh_lab": (*cap.IMPORT_FILES, cap.IMPORT_DNA_RESULTS),
    "home_state_consul": (
        *cap.IMPORT_FILES,
        cap.IMPORT_HOME_STATE_REPLIES,
        cap.IMPORT_TRACING_REQUESTS,
    ),
}

# Adult returnees (issue 10): the ministry and the correctional service keep adult cases; the
# judiciary and protocol read them; a consul reads its nationals' cases and logs its visits.
ADULTS_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (
        cap.VIEW_ADULT_CASE,
        cap.ADD_ADULT_CASE,
        cap.CHANGE_ADULT_CASE,
        cap.VIEW_CONSULAR_VISIT,
        cap.ADD_CONSULAR_VISIT,
    ),
    "moj_registrar": (
        cap.VIEW_ADULT_CASE,
        cap.ADD_ADULT_CASE,
        cap.CHANGE_ADULT_CASE,
        cap.VIEW_CONSULAR_VISIT,
        cap.ADD_CONSULAR_VISIT,
    ),
    "mfa_supervisor": (cap.VIEW_ADULT_CASE, cap.VIEW_CONSULAR_VISIT),
    "mfa_protocol": (cap.VIEW_ADULT_CASE,),
    "hjc_judge": (cap.VIEW_ADULT_CASE,),
    "moi_residency": (cap.VIEW_ADULT_CASE,),
    "auditor": (cap.VIEW_ADULT_CASE, cap.VIEW_CONSULAR_VISIT),
    "home_state_consul": (cap.VIEW_ADULT_CASE, cap.VIEW_CONSULAR_VISIT, cap.ADD_CONSULAR_VISIT),
}

# Judicial cooperation (issue 10): the ministry and the judiciary record requests and
# decisions; a supervisor approves what is sent (never the one who prepared it); a consul
# follows its own state's requests.
JUDICIAL_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (cap.VIEW_EVIDENCE_REQUEST, cap.ADD_EVIDENCE_REQUEST),
    "hjc_judge": (cap.VIEW_EVIDENCE_REQUEST, cap.ADD_EVIDENCE_REQUEST),
    "mfa_supervisor": (
        cap.VIEW_EVIDENCE_REQUEST,
        cap.ADD_EVIDENCE_REQUEST,
        cap.APPROVE_EVIDENCE_TRANSMISSION,
    ),
    "auditor": (cap.VIEW_EVIDENCE_REQUEST,),
    "home_state_consul": (cap.VIEW_EVIDENCE_REQUEST,),
}

# Statistics (issue 6): every agency that works on cases reads the dashboard of its scope;
# the ministry, which publishes the figures, and the auditor see the public statistics.
REPORT_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (cap.VIEW_DASHBOARD, cap.VIEW_PUBLIC_STATISTICS),
    "mfa_supervisor": (cap.VIEW_DASHBOARD, cap.VIEW_PUBLIC_STATISTICS),
    "mfa_protocol": (cap.VIEW_DASHBOARD, cap.VIEW_PUBLIC_STATISTICS),
    "hjc_judge": (cap.VIEW_DASHBOARD,),
    "moj_registrar": (cap.VIEW_DASHBOARD,),
    "molsa_carer": (cap.VIEW_DASHBOARD,),
    "unicef_officer": (cap.VIEW_DASHBOARD,),
    "auditor": (cap.VIEW_DASHBOARD, cap.VIEW_PUBLIC_STATISTICS),
    "home_state_consul": (cap.VIEW_DASHBOARD,),
}

# Return operations (issue 5): the ministry plans and freezes; protocol records the day (the
# judge attends and reads); the consul confirms arrivals and reports on its own nationals;
# UNICEF observes operations and reads follow-up.
_SEE_OPERATIONS = (cap.VIEW_OPERATION, cap.VIEW_FOLLOW_UP)
OPERATIONS_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (*_SEE_OPERATIONS, cap.PLAN_OPERATION, cap.FREEZE_MANIFEST),
    "mfa_supervisor": (*_SEE_OPERATIONS, cap.PLAN_OPERATION, cap.FREEZE_MANIFEST),
    "mfa_protocol": (*_SEE_OPERATIONS, cap.RECORD_OPERATION_HANDOVER),
    "hjc_judge": (cap.VIEW_OPERATION,),
    "security_liaison": (cap.VIEW_OPERATION,),
    "moi_residency": (cap.VIEW_OPERATION,),
    "unicef_officer": _SEE_OPERATIONS,
    "home_state_consul": (
        *_SEE_OPERATIONS,
        cap.CONFIRM_OPERATION_ARRIVAL,
        cap.RECORD_FOLLOW_UP,
    ),
}

# Tracing requests (issue 7): the ministry files and reviews; a consul files and reviews its
# own state's requests; UNICEF files and reads the requests its agency filed or partners
# (TracingRequestQuerySet); the registrars read what a new registration answered.
TRACING_GRANTS: dict[str, tuple[str, ...]] = {
    "mfa_case_officer": (cap.VIEW_TRACING, cap.ADD_TRACING, cap.REVIEW_TRACING),
    "mfa_supervisor": (cap.VIEW_TRACING, cap.REVIEW_TRACING),
    "home_state_consul": (cap.VIEW_TRACING, cap.ADD_TRACING, cap.REVIEW_TRACING),
    "unicef_officer": (cap.VIEW_TRACING, cap.ADD_TRACING),
    "moj_registrar": (cap.VIEW_TRACING,),
    "molsa_carer": (cap.VIEW_TRACING,),
    "auditor": (cap.VIEW_TRACING,),
}

# Webhooks (issue 9): home-state missions and partners subscribe their systems; the
# ministry's supervisor manages subscriptions too.
# The JSON case file goes to the consul (its nationals') and the ministry's officers.
WEBHOOK_GRANTS: dict[str, tuple[str, ...]] = {
    "home_state_consul": (*cap.MANAGE_WEBHOOKS, cap.EXPORT_CASE_FILE),
    "unicef_officer": tuple(cap.MANAGE_WEBHOOKS),
    "mfa_supervisor": (*cap.MANAGE_WEBHOOKS, cap.EXPORT_CASE_FILE),
    "mfa_case_officer": (cap.EXPORT_CASE_FILE,),
}

# Each role: its registry grants plus its grants in every later area.
STANDARD_ROLES = [
    RoleSpec(
        spec.code,
        spec.name,
        (
            *spec.capabilities,
            *WORKFLOW_GRANTS.get(spec.code, ()),
            *DIPLOMACY_GRANTS.get(spec.code, ()),
            *EXPORT_GRANTS.get(spec.code, ()),
            *DISCLOSURE_GRANTS.get(spec.code, ()),
            *RETENTION_GRANTS.get(spec.code, ()),
            *IMPORT_GRANTS.get(spec.code, ()),
            *ADULTS_GRANTS.get(spec.code, ()),
            *JUDICIAL_GRANTS.get(spec.code, ()),
            *OPERATIONS_GRANTS.get(spec.code, ()),
            *REPORT_GRANTS.get(spec.code, ()),
            *TRACING_GRANTS.get(spec.code, ()),
            *WEBHOOK_GRANTS.get(spec.code, ()),
        ),
    )
    for spec in REGISTRY_ROLES
]
