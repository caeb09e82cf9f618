"""Per-request context (request id, client address) for the audit trail.

Set by RequestContextMiddleware and read by audit.services.record_event, so services keep a
clean signature and still stamp every event with where it came from. CLI and background
work run with an empty context.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None
    channel: str = "cli"


_current: ContextVar[RequestContext] = ContextVar(
    "homeward_request",
    default=RequestContext(),  # noqa: B039  (a frozen dataclass: never mutated)
)


def current_request_context() -> RequestContext:
    return _current.get()


def set_request_context(context: RequestContext):
    return _current.set(context)


def reset_request_context(token) -> None:
    _current.reset(token)
