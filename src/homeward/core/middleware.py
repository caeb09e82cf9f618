"""Middleware that makes the request's id and address available to services."""

import uuid

from homeward.core.context import RequestContext, reset_request_context, set_request_context


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_request_context(
            RequestContext(
                request_id=request.id, ip_address=request.META.get("REMOTE_ADDR"), channel=channel
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request.id
        return response
