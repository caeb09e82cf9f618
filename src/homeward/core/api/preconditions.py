"""Optimistic locking over HTTP: a case's `version` is its ETag, a write sends it in If-Match.

A request that changes a case must say which version its author saw. Without `If-Match` the
answer is 428 Precondition Required (a client that never sends it would silently overwrite);
with a version that is no longer current it is 412 Precondition Failed and nothing is
written. The services check the same version again under a row lock, so two writers racing
past this check still cannot both win (`StaleEditError`, also answered 412).
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

from homeward.core.exceptions import StaleEditError

__all__ = [
    "PreconditionFailed",
    "PreconditionRequired",
    "etag_for",
    "expected_version",
    "precondition_failed",
]

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the If-Match header with the case's ETag (its version) to change the case."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = StaleEditError.message
    default_code = "precondition_failed"


def etag_for(version: int) -> str:
    """The strong ETag of a case at `version`: `"7"`."""
    return f'"{version}"'


def expected_version(request) -> int:
    """The version named by the request's If-Match header; 428 if absent, 412 if unreadable."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    match = _ETAG.match(header)
    if match is None:
        raise PreconditionFailed()
    return int(match.group(1))


def precondition_failed(current_version: int) -> PreconditionFailed:
    """A 412 whose detail names the current ETag, so the client knows what to reload."""
    return PreconditionFailed(
        detail=_(
            "Someone else changed this case while you were working on it (it is now at "
            "version %(version)s). Reload it and apply your change again."
        )
        % {"version": current_version}
    )
