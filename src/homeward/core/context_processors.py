"""Template context shared by every page."""

from homeward.accounts import capabilities


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    can = {}
    if user is not None and user.is_authenticated:
        can = {
            "view_people": user.has_capability(capabilities.VIEW_PERSON),
            "add_person": user.has_capability(capabilities.ADD_PERSON),
            "change_person": user.has_capability(capabilities.CHANGE_PERSON),
            "view_audit": user.has_capability(capabilities.VIEW_AUDIT),
            "view_diplomacy": user.has_capability(capabilities.VIEW_PROFILE),
            "view_exports": user.has_capability(capabilities.VIEW_EXPORT),
            "view_disclosures": user.has_capability(capabilities.VIEW_DISCLOSURE),
            "view_imports": user.has_capability(capabilities.VIEW_IMPORT),
            "view_adult_cases": user.has_capability(capabilities.VIEW_ADULT_CASE),
            "view_evidence_requests": user.has_capability(capabilities.VIEW_EVIDENCE_REQUEST),
            "view_operations": user.has_capability(capabilities.VIEW_OPERATION),
            "confirm_arrival": user.has_capability(capabilities.CONFIRM_OPERATION_ARRIVAL),
            "view_statistics": user.has_capability(capabilities.VIEW_DASHBOARD),
            "view_tracing": user.has_capability(capabilities.VIEW_TRACING),
            "request_export": user.has_capability(capabilities.REQUEST_EXPORT),
        }
    return {"can": can}
