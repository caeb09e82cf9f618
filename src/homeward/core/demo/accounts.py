"""The demo's agencies and accounts: one user per standard role, one consul per home state.

Usernames follow tests/conftest.py's DEMO_USERS. Every non-mission user sees all home
states; a consul's scope is their mission's country, always. All demo accounts share one
password, set with `homeward seed_demo --password PW` (or a random one, printed once).
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.choices import AgencyKind
from homeward.accounts.mfa import DEMO_DEVICE_NAME, demo_totp_key, totp_secret
from homeward.accounts.models import Agency, User
from homeward.accounts.services import sync_standard_roles
from homeward.core.demo.names import NATIONALITIES
from homeward.core.models import HomeState

__all__ = [
    "ADMIN",
    "STAFF",
    "AccountRow",
    "account_rows",
    "create_demo_accounts",
    "demo_authenticator_keys",
    "demo_users",
    "set_demo_passwords",
]

ADMIN = "admin"
CONSUL_PREFIX = "consul."
# username -> (role code, agency name, agency kind)
STAFF: dict[str, tuple[str, str, str]] = {
    "mfa.officer": ("mfa_case_officer", "MFA Legal Directorate", AgencyKind.COORDINATING_MINISTRY),
    "mfa.supervisor": (
        "mfa_supervisor",
        "MFA Legal Directorate",
        AgencyKind.COORDINATING_MINISTRY,
    ),
    "mfa.protocol": ("mfa_protocol", "MFA Protocol Department", AgencyKind.COORDINATING_MINISTRY),
    "hjc.judge": ("hjc_judge", "Higher Judicial Council", AgencyKind.JUDICIARY),
    "moj.registrar": ("moj_registrar", "MoJ Iraqi Correctional Service", AgencyKind.CORRECTIONS),
    "molsa.carer": (
        "molsa_carer",
        "MOLSA Women and Child Welfare Authority",
        AgencyKind.SOCIAL_AFFAIRS,
    ),
    "moh.lab": ("moh_lab", "MoH DNA Laboratory", AgencyKind.HEALTH),
    "security.liaison": ("security_liaison", "National Security Service", AgencyKind.INTERIOR),
    "moi.residency": ("moi_residency", "MoI Residency Directorate", AgencyKind.INTERIOR),
    "unicef.officer": ("unicef_officer", "UNICEF Iraq", AgencyKind.HUMANITARIAN),
    "auditor": ("auditor", "Office of the Inspector General", AgencyKind.OVERSIGHT),
}
CONSUL_ROLE = "home_state_consul"


@dataclass(frozen=True)
class AccountRow:
    username: str
    role: str
    agency: str
    scope: str


def consul_username(code: str) -> str:
    return f"{CONSUL_PREFIX}{code.lower()}"


def mission_name(code: str) -> str:
    nationality = NATIONALITIES.get(code)
    country = nationality.country if nationality else HomeState.objects.get(pk=code).name
    return f"Embassy of {country}"


def _demo_filter() -> Q:
    consuls = Q(username__startswith=CONSUL_PREFIX, agency__kind=AgencyKind.HOME_STATE_MISSION)
    return Q(username__in=[ADMIN, *STAFF]) | consuls


def demo_users():
    """Every demo account that exists: admin, the staff users and the consuls."""
    return User.objects.filter(_demo_filter()).select_related("agency").prefetch_related("roles")


def _agency(name: str, kind: str, country: str | None = None) -> Agency:
    agency = Agency(name=name, kind=kind, country_id=country)
    agency.full_clean()
    agency.save(force_insert=True)
    return agency


def _user(username: str, encoded_password: str, agency: Agency | None, role) -> User:
    is_mission = agency is not None and agency.is_mission
    user = User(username=username, agency=agency, all_home_states=not is_mission)
    user.password = encoded_password
    user.full_clean()
    user.save(force_insert=True)
    user.roles.add(role)
    return user


@transaction.atomic
def create_demo_accounts(states: list[str], password: str) -> list[User]:
    """Create the agencies, admin, one user per standard role and a consul per state."""
    # One hash for the one shared password: hashing it once per account would only cost time.
    encoded = make_password(password)
    roles = sync_standard_roles()
    admin = User(username=ADMIN, is_staff=True, is_superuser=True, all_home_states=True)
    admin.password = encoded
    admin.full_clean()
    admin.save(force_insert=True)
    users = [admin]
    agencies: dict[str, Agency] = {}
    for username, (role, agency_name, kind) in STAFF.items():
        agency = agencies.get(agency_name) or _agency(agency_name, kind)
        agencies[agency_name] = agency
        users.append(_user(username, encoded, agency, roles[role]))
    for code in sorted(states):
        mission = _agency(mission_name(code), AgencyKind.HOME_STATE_MISSION, code)
        users.append(_user(consul_username(code), encoded, mission, roles[CONSUL_ROLE]))
    _give_authenticators(users, password)
    return users


def _give_authenticators(users, password: str) -> None:
    """A confirmed TOTP device per account, its key derived from the demo password.

    Demo tooling only: `homeward otp_code --demo USERNAME` prints the current code.
    """
    TOTPDevice.objects.filter(user__in=users).delete()
    TOTPDevice.objects.bulk_create(
        TOTPDevice(
            user=user,
            name=DEMO_DEVICE_NAME,
            confirmed=True,
            key=demo_totp_key(user.username, password),
        )
        for user in users
    )


@transaction.atomic
def set_demo_passwords(password: str) -> int:
    """Give every existing demo account `password` (and its authenticator key)."""
    encoded = make_password(password)
    users = list(User.objects.filter(_demo_filter()))
    _give_authenticators(users, password)
    return User.objects.filter(pk__in=[user.pk for user in users]).update(password=encoded)


def demo_authenticator_keys() -> dict[str, str]:
    """username -> base32 TOTP key of each demo account's demo authenticator."""
    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, user__in=demo_users())
    return {device.user.username: totp_secret(device) for device in devices.select_related("user")}


def account_rows() -> list[AccountRow]:
    rows = []
    for user in demo_users().order_by("username"):
        role = "Superuser" if user.is_superuser else ", ".join(str(r) for r in user.roles.all())
        rows.append(AccountRow(user.username, role, str(user.agency or "—"), user.scope_label))
    order = {ADMIN: 0, **{name: index + 1 for index, name in enumerate(STAFF)}}
    return sorted(rows, key=lambda row: (order.get(row.username, len(order)), row.username))
