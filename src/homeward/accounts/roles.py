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
            *WEBHOOK_GRANTS.get(spec.code, ()),
        ),
    )
    for spec in REGISTRY_ROLES
]
