"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error the API answers in JSON has the same shape:

    {"type": "urn:homeward:problem:invalid", "title": "Invalid request", "status": 400,
     "detail": "The request is invalid: see the errors.", "errors": {"field": ["message"]}}

`type` names the kind of problem (one URN per kind, listed in docs/api.md), `title` is its
short, translated name, `status` the HTTP status, `detail` what happened this time. Field
errors go in `errors` (field -> messages; `non_field_errors` for the whole body). Other
members an operation documents (`code`, `unmet`, `version`…) are kept beside them.

The exception handler builds these for raised errors; `ProblemDetailsMiddleware` converts the
few JSON error answers a view builds itself (a 409 naming unmet requirements, a 412 naming
the current version) and the API's 404 for unmatched paths, so no JSON error escapes the shape.
"""

import json

from django.utils.translation import gettext_lazy as _

__all__ = ["PROBLEM_CONTENT_TYPE", "ProblemDetailsMiddleware", "problem", "problem_type"]

PROBLEM_CONTENT_TYPE = "application/problem+json"
URN = "urn:homeward:problem:"

# status -> (type slug, title)
KINDS = {
    400: ("invalid", _("Invalid request")),
    401: ("not_authenticated", _("Not signed in")),
    403: ("permission_denied", _("Not allowed")),
    404: ("not_found", _("Not found")),
    405: ("method_not_allowed", _("Method not allowed")),
    406: ("not_acceptable", _("Not acceptable")),
    409: ("conflict", _("Conflict")),
    412: ("precondition_failed", _("Changed since read")),
    413: ("too_large", _("Request too large")),
    415: ("unsupported_media_type", _("Unsupported media type")),
    422: ("idempotency_key_reused", _("Idempotency key reused")),
    428: ("precondition_required", _("If-Match required")),
    429: ("throttled", _("Too many requests")),
}
INVALID_DETAIL = _("The request is invalid: see the errors.")


def problem_type(status: int) -> str:
    return URN + KINDS.get(status, ("error", ""))[0]


def problem(status: int, data) -> dict:
    """The problem document for an error answer whose body was `data`.

    A dict with a string `detail` keeps its other members; anything else (field errors, a
    list of messages) becomes `errors` under a generic detail.
    """
    slug, title = KINDS.get(status, ("error", _("Error")))
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        extra = {key: value for key, value in data.items() if key not in {"type", "title"}}
        return {"type": URN + slug, "title": str(title), **extra, "status": status}
    return {
        "type": URN + slug,
        "title": str(title),
        "status": status,
        "detail": str(INVALID_DETAIL if status == 400 else title),
        "errors": data,
    }


class ProblemDetailsMiddleware:
    """Turns any JSON error answer under /api/ into problem+json (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").split(";")[0].strip() != "application/json"
            or getattr(response, "streaming", False)
        ):
            return response
        try:
            data = json.loads(response.content)
        except ValueError:
            return response
        response.content = json.dumps(problem(response.status_code, data)).encode()
        response["Content-Type"] = PROBLEM_CONTENT_TYPE
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
