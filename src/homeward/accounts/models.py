"""Who uses Homeward: agencies, roles (bundles of capabilities) and users with a scope."""

import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.capabilities import CAPABILITIES
from homeward.accounts.choices import AgencyKind

__all__ = ["Agency", "ApiToken", "ConductAcceptance", "Role", "User"]


class Agency(models.Model):
    """An organisation whose staff use Homeward.

    Invariant: a home-state mission names its country, and only a mission does; the
    country is what scopes every one of its users.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    country = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=AgencyKind.HOME_STATE_MISSION) & models.Q(country__isnull=False)
                )
                | (~models.Q(kind=AgencyKind.HOME_STATE_MISSION) & models.Q(country__isnull=True)),
                name="agency_mission_has_country",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mission(self) -> bool:
        return self.kind == AgencyKind.HOME_STATE_MISSION

    def clean(self) -> None:
        if self.is_mission and not self.country_id:
            raise ValidationError({"country": _("A home-state mission must name its country.")})
        if not self.is_mission and self.country_id:
            raise ValidationError({"country": _("Only a home-state mission has a country.")})


class Role(models.Model):
    """A named bundle of capabilities (e.g. "MFA case officer")."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = sorted(set(self.capabilities) - set(CAPABILITIES))
        if unknown:
            raise ValidationError(
                {
                    "capabilities": _("Unknown capabilities: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )


class User(AbstractUser):
    """A person working for an agency.

    Scope: a mission's users see their own country's records and nothing else, whatever
    `all_home_states` or `home_states` say; other users see every home state or the
    listed ones.
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    all_home_states = models.BooleanField(_("all home states"), default=False)
    home_states = models.ManyToManyField(
        "core.HomeState", verbose_name=_("home states in scope"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        codes: set[str] = set()
        for role in self.roles.all():
            codes.update(role.capabilities)
        return frozenset(codes)

    def has_capability(self, code: str) -> bool:
        return self.is_active and (self.is_superuser or code in self.capabilities)

    def home_state_scope(self) -> frozenset[str] | None:
        """ISO codes this user may see, or None for all. Cached for the request."""
        cached = self.__dict__.get("_home_state_scope", False)
        if cached is not False:
            return cached
        if self.is_superuser:
            scope = None
        elif self.agency_id and self.agency.is_mission:
            scope = frozenset({self.agency.country_id})
        elif self.all_home_states:
            scope = None
        else:
            scope = frozenset(self.home_states.values_list("code", flat=True))
        self.__dict__["_home_state_scope"] = scope
        return scope

    @property
    def scope_label(self) -> str:
        scope = self.home_state_scope()
        if scope is None:
            return str(_("All home states"))
        return ", ".join(sorted(scope)) or str(_("No home state"))


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )

    def matching(self, raw: str):
        return self.usable().filter(key_hash=_hash_token(raw))


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the clear key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A read-only token may only GET/HEAD/OPTIONS, whatever its user's capabilities allow.
    read_only = models.BooleanField(_("read only"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_key() -> str:
        return "hw_" + secrets.token_urlsafe(32)

    @classmethod
    def build(cls, user: User, raw: str, expires_at=None, read_only=False) -> "ApiToken":
        return cls(
            user=user,
            prefix=raw[:8],
            key_hash=_hash_token(raw),
            expires_at=expires_at,
            read_only=read_only,
        )


class ConductAcceptance(models.Model):
    """A user accepted a version of the code of conduct (shown after the second factor)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="conduct_acceptances", verbose_name=_("user")
    )
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("code of conduct acceptance")
        verbose_name_plural = _("code of conduct acceptances")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="conduct_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.version}"
