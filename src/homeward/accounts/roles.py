"""The standard roles of domain.md §1.5, as data. `sync_standard_roles()` writes them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from homeward.accounts import capabilities as cap


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    capabilities: tuple[str, ...]


STANDARD_ROLES = [
    RoleSpec("mfa_case_officer", _("MFA case officer"), (*cap.EDIT_REGISTRY, cap.CHANGE_CASE, cap.VIEW_AUDIT)),
    RoleSpec("mfa_protocol", _("MFA protocol officer"), tuple(cap.READ_REGISTRY)),
    RoleSpec("hjc_judge", _("Judge (Higher Judicial Council)"), tuple(cap.READ_REGISTRY)),
    RoleSpec("moj_registrar", _("MoJ correctional registrar"), tuple(cap.EDIT_REGISTRY)),
    RoleSpec("molsa_carer", _("MOLSA care worker"), tuple(cap.EDIT_REGISTRY)),
    RoleSpec("moh_lab", _("MoH DNA laboratory"), tuple(cap.READ_REGISTRY)),
    RoleSpec("security_liaison", _("Security liaison"), tuple(cap.READ_REGISTRY)),
    RoleSpec("moi_residency", _("MoI residency officer"), tuple(cap.READ_REGISTRY)),
    RoleSpec("unicef_officer", _("UNICEF child-protection officer"), tuple(cap.READ_REGISTRY)),
    RoleSpec("auditor", _("Auditor"), (*cap.READ_REGISTRY, cap.VIEW_AUDIT)),
    RoleSpec("home_state_consul", _("Home-state consular officer"), tuple(cap.READ_REGISTRY)),
]
