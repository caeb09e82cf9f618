"""Resource limits: request bodies too large to be honest, and too many searches per user.

(Also refused at the door: a NUL character in the address, which PostgreSQL cannot store.)

A body is refused (413) from its declared length before a byte of it is read: JSON and form
bodies may be at most DATA_UPLOAD_MAX_MEMORY_SIZE, multipart uploads the attachment limit plus
room for the form around the file. (DRF parses JSON from the stream, which Django's own
DATA_UPLOAD_MAX_MEMORY_SIZE check never sees.)

Searching is how someone would harvest the registry, so each user may run
HOMEWARD_SEARCH_RATE_PER_MINUTE searches and lookups a minute — pages and API lists together —
and gets 429 with Retry-After beyond that. The first refusal of each minute is written to the
audit trail; the ones after it would only repeat it.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from homeward.accounts.services import record_rate_limited

__all__ = [
    "RequestSizeLimitMiddleware",
    "SearchRateLimitMiddleware",
    "SearchRateThrottle",
    "count_search",
]

WINDOW_SECONDS = 60
MULTIPART_OVERHEAD = 1024 * 1024  # the form fields and part headers around an uploaded file
SEARCH_PARAMETERS = ("q", "search")


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_limit(content_type: str) -> int:
    """The largest body accepted for `content_type`."""
    if content_type.startswith("multipart/"):
        return settings.HOMEWARD_ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """413 for a body whose declared length is over the limit, without reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) > body_limit(request.META.get("CONTENT_TYPE", "")):
            return HttpResponse(
                _("The request is too large."), status=413, content_type="text/plain"
            )
        # PostgreSQL refuses NUL in text, so a NUL in a filter would surface as a server error
        # (found by the API fuzzer); no legitimate address carries one.
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            return HttpResponse(
                _("The request could not be accepted."), status=400, content_type="text/plain"
            )
        return self.get_response(request)


def count_search(request, user) -> int:
    """Count one search by `user`; return 0 if allowed, else the seconds until it may retry.

    A fixed one-minute window in Django's cache, shared by pages and API. (With the default
    local-memory cache each server process counts on its own; a shared cache makes the limit
    exact across processes.)
    """
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"homeward:search-rate:{user.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    limit = settings.HOMEWARD_SEARCH_RATE_PER_MINUTE
    if count <= limit:
        return 0
    if count == limit + 1:
        record_rate_limited(actor=user, path=request.path, method=request.method, limit=limit)
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def _is_search(request) -> bool:
    """A name search: POSTed to a search route (names never travel in URLs), or an older
    GET with a search parameter."""
    if request.method == "POST":
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in settings.HOMEWARD_SEARCH_ROUTES
    return request.method == "GET" and any(
        request.GET.get(name, "").strip() for name in SEARCH_PARAMETERS
    )


class SearchRateLimitMiddleware:
    """429 for a signed-in user's search page beyond the per-minute rate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.resolver_match.view_name not in settings.HOMEWARD_SEARCH_ROUTES:
            return None
        if not _is_search(request):
            return None  # the empty form, a page of a saved search, a record
        wait = count_search(request, user)
        if not wait:
            return None
        response = HttpResponse(
            _("Too many searches. Please wait a minute and try again."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response


class SearchRateThrottle(BaseThrottle):
    """The same per-user search rate for API lists asked with ?q= or ?search=."""

    def allow_request(self, request, view):
        self.wait_seconds = 0
        if not request.user.is_authenticated or not _is_search(request):
            return True
        self.wait_seconds = count_search(request, request.user)
        return not self.wait_seconds

    def wait(self):
        return self.wait_seconds
