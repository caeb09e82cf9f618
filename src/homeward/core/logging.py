"""Logs as JSON lines, and one line per request.

Every record becomes exactly one line holding one JSON object. `json.dumps` with
`ensure_ascii=True` escapes every control character (CR, LF, ESC…) and every non-ASCII one
(U+2028, C1 controls), so a username, a path or an exception message cannot start a new line,
forge a field or colour a terminal.

The request line names the request id, the user's id (never the name), the route's name, the
method, the path without its query string (searches carry names), the status and the duration.
Cookies, tokens, passwords and query strings are never logged.
"""

import datetime
import json
import logging
import time

from django.urls import Resolver404, resolve

__all__ = ["JsonFormatter", "RequestLogMiddleware"]

request_logger = logging.getLogger("homeward.request")

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
PATH_LIMIT = 300


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True, default=str, separators=(",", ":"))


def _route(request) -> str | None:
    """The route's name, also for a request answered before URL resolution (a redirect to the
    second sign-in step, a refused oversized body)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name


class RequestLogMiddleware:
    """Log every request once it is answered (outermost, so error answers are logged too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "request_id": getattr(request, "id", ""),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "route": _route(request),
                "method": request.method,
                "path": request.path[:PATH_LIMIT],
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
