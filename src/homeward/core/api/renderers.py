"""Renderers that let content negotiation accept the file types some views answer with.

A view that sends a file (a meeting pack PDF, a stored document) builds the HTTP response
itself; DRF never renders it. Without a renderer for the file's type, a client asking for
exactly that type (`Accept: application/pdf`) was refused with 406 before the view ran.
An error raised on the way (a 404, a refusal) is still a problem document: rendered as
JSON, with the content type the exception handler set (core.api.exceptions).
"""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

__all__ = ["StrictContentNegotiation", "file_renderers"]


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` given empty is a 404, like a format the view does not offer: DRF would
    ignore it and answer by the Accept header, so a malformed request passed as a good one."""

    def select_renderer(self, request, renderers, format_suffix=None):
        name = self.settings.URL_FORMAT_OVERRIDE
        given = request.query_params
        if format_suffix is None and name and name in given and not given.get(name):
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)


class _FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None and response.content_type is None:
            response["Content-Type"] = JSONRenderer.media_type
        return JSONRenderer().render(data, JSONRenderer.media_type, renderer_context)


def file_renderers(*media_types: str) -> list[type[BaseRenderer]]:
    """JSON first (the default answer and every error), then one renderer per file type."""
    return [
        JSONRenderer,
        *(
            type(
                f"FileRenderer[{media_type}]",
                (_FileRenderer,),
                {"media_type": media_type, "format": media_type.rpartition("/")[2]},
            )
            for media_type in media_types
        ),
    ]
