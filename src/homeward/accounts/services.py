"""Account use cases: API tokens and denial records."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homeward.accounts import events
from homeward.accounts.models import ApiToken, Role, User
from homeward.accounts.roles import STANDARD_ROLES
from homeward.audit.services import record_event

__all__ = [
    "issue_api_token",
    "record_denial",
    "record_hidden_lookup",
    "record_rate_limited",
    "revoke_api_tokens",
    "sync_standard_roles",
]


@transaction.atomic(durable=True)
def issue_api_token(user: User, *, actor, expires_at=None, read_only=False) -> str:
    """Create a token for `user` and return its clear key (shown once, stored hashed)."""
    raw = ApiToken.new_key()
    token = ApiToken.build(user, raw, expires_at=expires_at, read_only=read_only)
    token.save(force_insert=True)
    record_event(
        events.API_TOKEN_CREATED,
        actor=actor,
        target=token,
        data={
            "user": user.get_username(),
            "prefix": token.prefix,
            "expires_at": expires_at,
            "read_only": read_only,
        },
    )
    return raw


@transaction.atomic
def revoke_api_tokens(tokens, *, actor) -> list[ApiToken]:
    """Revoke each token of `tokens` not yet revoked (a queryset); one audit event each."""
    now = timezone.now()
    revoked = list(tokens.filter(revoked_at__isnull=True).select_related("user").order_by("pk"))
    for token in revoked:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record_event(
            events.API_TOKEN_REVOKED,
            actor=actor,
            target=token,
            data={"user": token.user.get_username(), "prefix": token.prefix},
        )
    return revoked


def record_hidden_lookup(request, visible, **lookup) -> bool:
    """Audit a lookup that found nothing because the record lies outside the caller's scope.

    `visible` is the caller's scoped queryset. A record missing everywhere, a malformed id
    or a row filtered out by the caller's own query is not a denial and is not recorded.
    Returns whether a denial was recorded; the caller answers 404 either way.
    """
    model = visible.model
    try:
        hidden = (
            model._default_manager.filter(**lookup).exists()
            and not visible.filter(**lookup).exists()
        )
    except (ValidationError, ValueError, TypeError):  # a malformed id exists nowhere
        return False
    if hidden:
        record_denial(actor=request.user, path=request.path, method=request.method, reason="scope")
    return hidden


def record_denial(*, actor, path: str, method: str, reason: str) -> None:
    """Record a refused request: a missing capability, or a record outside the actor's scope."""
    record_event(
        events.ACCESS_DENIED,
        actor=actor,
        data={"path": path[:300], "method": method, "reason": reason},
    )


@transaction.atomic
def record_rate_limited(*, actor, path: str, method: str, limit: int) -> None:
    """Record that `actor` went over the per-minute search rate and is refused for a while."""
    record_event(
        events.RATE_LIMITED,
        actor=actor,
        data={"path": path[:300], "method": method, "limit_per_minute": limit},
    )


@transaction.atomic
def sync_standard_roles() -> dict[str, Role]:
    """Create or update the standard roles so their capabilities match roles.py."""
    roles = {}
    for spec in STANDARD_ROLES:
        role, _created = Role.objects.update_or_create(
            code=spec.code,
            defaults={"name": str(spec.name), "capabilities": list(spec.capabilities)},
        )
        roles[spec.code] = role
    return roles
