"""Shared fixtures: the standard roles, one user per demo role, and a small scoped registry.

The registry has a Russian child (with a mother and a sibling) and a Tajik child, so every
test can ask "does consul.ru see the Tajik child?" and expect exactly no.
"""

import datetime
import ipaddress
import socket

import pytest
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from homeward.accounts import conduct, webauthn
from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency, User
from homeward.accounts.services import sync_standard_roles
from homeward.core.countries import iso_countries
from homeward.core.models import HomeState
from homeward.people import services
from homeward.people.models import Facility

# username -> (role code, agency name, agency kind, mission country or None)
DEMO_USERS = {
    "mfa.officer": (
        "mfa_case_officer",
        "MFA Legal Directorate",
        AgencyKind.COORDINATING_MINISTRY,
        None,
    ),
    "mfa.protocol": (
        "mfa_protocol",
        "MFA Protocol Department",
        AgencyKind.COORDINATING_MINISTRY,
        None,
    ),
    "hjc.judge": ("hjc_judge", "Higher Judicial Council", AgencyKind.JUDICIARY, None),
    "moj.registrar": (
        "moj_registrar",
        "MoJ Iraqi Correctional Service",
        AgencyKind.CORRECTIONS,
        None,
    ),
    "molsa.carer": (
        "molsa_carer",
        "MOLSA Women and Child Welfare",
        AgencyKind.SOCIAL_AFFAIRS,
        None,
    ),
    "moh.lab": ("moh_lab", "MoH DNA Laboratory", AgencyKind.HEALTH, None),
    "security.liaison": (
        "security_liaison",
        "National Security Service",
        AgencyKind.INTERIOR,
        None,
    ),
    "moi.residency": ("moi_residency", "MoI Residency Directorate", AgencyKind.INTERIOR, None),
    "unicef.officer": ("unicef_officer", "UNICEF Iraq", AgencyKind.HUMANITARIAN, None),
    "auditor": ("auditor", "Office of the Inspector General", AgencyKind.OVERSIGHT, None),
    "consul.ru": ("home_state_consul", "Embassy of Russia", AgencyKind.HOME_STATE_MISSION, "RU"),
    "consul.tj": (
        "home_state_consul",
        "Embassy of Tajikistan",
        AgencyKind.HOME_STATE_MISSION,
        "TJ",
    ),
}


PASSWORD = "correct horse battery staple"

# -- signed-in test clients ---------------------------------------------------------------
# `client.force_login(user)` stands for a completed sign-in: password, second factor and the
# code of conduct. Tests about those steps use `unverified_client` (password step only).

_force_login = ClientMixin.force_login


def webauthn_key(user) -> WebAuthnCredential:
    """A registered security key for `user` (the signature checks are the library's)."""
    key = WebAuthnCredential.objects.filter(user=user, name="test key").first()
    if key is None:
        key = WebAuthnCredential.objects.create(
            user=user,
            name="test key",
            confirmed=True,
            credential_id=f"test-key-{user.pk}".encode(),
            public_key=b"test",
        )
    return key


def complete_second_step(client, user) -> None:
    """Mark `client`'s session as past the second factor and the code of conduct."""
    if webauthn.needs_webauthn(user):
        # A privileged user signs in with a security key (accounts.webauthn).
        device = webauthn_key(user)
    else:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="test authenticator", defaults={"confirmed": True}
        )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[conduct.SESSION_KEY] = conduct.CURRENT_VERSION
    session.save()


def _force_login_all_steps(self, user, backend=None):
    _force_login(self, user, backend)
    if getattr(self, "complete_second_step", True):
        complete_second_step(self, user)


@pytest.fixture(autouse=True)
def _signed_in_means_all_steps(monkeypatch):
    monkeypatch.setattr(ClientMixin, "force_login", _force_login_all_steps)


@pytest.fixture
def unverified_client(client):
    """A client whose force_login stops after the password, like a real sign-in would."""
    client.complete_second_step = False
    return client


def make_user(username: str, roles: dict | None = None) -> User:
    role_code, agency_name, kind, country = DEMO_USERS[username]
    roles = roles or sync_standard_roles()
    agency, _ = Agency.objects.get_or_create(
        name=agency_name, defaults={"kind": kind, "country_id": country}
    )
    user = User.objects.create_user(username, password=PASSWORD, agency=agency)
    user.all_home_states = country is None
    user.save(update_fields=["all_home_states"])
    user.roles.add(roles[role_code])
    return User.objects.get(pk=user.pk)  # fresh: no cached capabilities


@pytest.fixture
def users(db) -> dict[str, User]:
    """Every demo role's user, plus `admin` (superuser)."""
    roles = sync_standard_roles()
    made = {name: make_user(name, roles) for name in DEMO_USERS}
    made["admin"] = User.objects.create_superuser("admin", "", PASSWORD)
    return made


@pytest.fixture
def officer(users) -> User:
    return users["mfa.officer"]


@pytest.fixture
def prison(db) -> Facility:
    return Facility.objects.create(
        name="سجن الرصافة للنساء",
        name_en="Rusafa Women's Prison",
        facility_type="women_prison",
        authority="moj_ics",
        governorate="Baghdad",
    )


@pytest.fixture
def orphanage(db) -> Facility:
    return Facility.objects.create(
        name="دار الحنان للأيتام",
        name_en="Dar al-Hanan Orphanage",
        facility_type="orphanage",
        authority="molsa",
        governorate="Baghdad",
    )


def register(
    actor,
    *,
    name: str,
    state: str,
    facility=None,
    sex="female",
    born=datetime.date(2016, 3, 1),
    **fields,
):
    return services.register_child(
        actor=actor,
        fields={"sex": sex, "date_of_birth": born, "dob_precision": "day", **fields},
        names=[{"full_text": name, "name_type": "prison_register"}],
        home_state=HomeState.objects.get(code=state),
        custody={"facility": facility, "started_on": datetime.date(2018, 1, 10)}
        if facility
        else None,
    )


@pytest.fixture
def supervisor(users) -> User:
    """A ministry supervisor for every home state (holds, closures, four-eyes approvals)."""
    user = User.objects.create_user("mfa.supervisor", password="correct horse battery staple")
    user.all_home_states = True
    user.agency = users["mfa.officer"].agency
    user.save(update_fields=["all_home_states", "agency"])
    user.roles.add(sync_standard_roles()["mfa_supervisor"])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def registry(users, prison):
    """A Russian child with mother and brother; a Tajik child. Returns a dict of people."""
    officer = users["mfa.officer"]
    ru_child = register(officer, name="خديجة حسينوفا", state="RU", facility=prison)
    ru_brother = register(
        officer,
        name="آدم حسينوف",
        state="RU",
        facility=prison,
        sex="male",
        born=datetime.date(2014, 5, 2),
    )
    tj_child = register(
        officer, name="فاطمة رحيموفا", state="TJ", facility=prison, born=datetime.date(2017, 9, 9)
    )
    mother = services.register_adult(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(1992, 1, 1),
            "dob_precision": "year",
            "legal_status": "sentenced",
        },
        names=[{"full_text": "زلفية حسينوفا", "name_type": "court_record"}],
    )
    services.link_relative(
        ru_child, actor=officer, relative=mother, relationship_type="mother", basis="declared"
    )
    services.link_relative(
        ru_child,
        actor=officer,
        relative=ru_brother,
        relationship_type="full_sibling",
        basis="declared",
    )
    return {
        "ru_child": ru_child,
        "ru_brother": ru_brother,
        "tj_child": tj_child,
        "ru_mother": mother,
    }


@pytest.fixture(autouse=True, scope="session")
def _flush_steps_around_the_audit_guard():
    """Django's `flush` (run after every transactional test) empties the audit tables too, and
    a transactional test with `serialized_rollback` reloads them afterwards. After a flush the
    ISO country list is put back.

    The append-only triggers refuse both, as they should in production; in tests they run
    with the guard lifted (tests/audit_guard.py).
    """
    from django.core.management.commands import flush
    from django.db.backends.base.creation import BaseDatabaseCreation

    from tests.audit_guard import audit_guard_lifted

    def lifted(original):
        def run(*args, **kwargs):
            with audit_guard_lifted():
                return original(*args, **kwargs)

        return run

    handle, reload = flush.Command.handle, BaseDatabaseCreation.deserialize_db_from_string

    def flush_keeping_countries(self, *args, **options):
        lifted(handle)(self, *args, **options)
        # the ISO country list is reference data a migration loads; tests after a
        # transactional test find it as every database does
        HomeState.objects.using(options.get("database", "default")).bulk_create(
            [HomeState(code=a2, alpha_3=a3, name=name) for a2, a3, name in iso_countries()],
            ignore_conflicts=True,
        )

    def reload_over_recreated_content_types(self, data):
        # A transactional test without serialized_rollback flushes with post_migrate, which
        # makes the content types (and permissions) again under new ids; the serialized copy
        # then clashes on (app_label, model). It holds them all: clear them, then reload.
        from django.contrib.contenttypes.models import ContentType

        with audit_guard_lifted():
            ContentType.objects.using(self.connection.alias).all().delete()
            ContentType.objects.clear_cache()
            return reload(self, data)

    flush.Command.handle = flush_keeping_countries
    BaseDatabaseCreation.deserialize_db_from_string = reload_over_recreated_content_types
    yield
    flush.Command.handle, BaseDatabaseCreation.deserialize_db_from_string = handle, reload


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path):
    """Signed audit checkpoints and their key go to a per-test directory, never the data dir."""
    settings.HOMEWARD_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints" / "checkpoints.txt"
    settings.HOMEWARD_AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "audit-ed25519"
    settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE = tmp_path / "keys" / "audit-ed25519.pub"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the per-user search counters live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# What every *.example.org name resolves to in tests (a public address: example.org's own).
PUBLIC_TEST_ADDRESS = "93.184.215.14"


def fake_resolver(names: dict[str, list[str]] | None = None):
    """A `resolve_host` with no DNS: IP literals are themselves, `names` (then *.example.org,
    then localhost) resolve as given, anything else is not found."""
    names = names or {}

    def resolve(host: str, port: int) -> list[str]:
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            pass
        else:
            return [host]
        if host in names:
            return list(names[host])
        if host == "example.org" or host.endswith(".example.org"):
            return [PUBLIC_TEST_ADDRESS]
        if host == "localhost":
            return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return resolve


@pytest.fixture(autouse=True)
def _hermetic_dns(monkeypatch):
    """No test asks real DNS for a webhook target (homeward.webhooks.targets)."""
    monkeypatch.setattr("homeward.webhooks.targets.resolve_host", fake_resolver())
