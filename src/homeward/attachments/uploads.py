"""Receiving uploaded files: an oversized file is dropped as it arrives, never stored.

Django would otherwise write a whole 2 GB upload to a temporary file before any form could
say "too large". SizeLimitedUploadHandler runs first for every file field: it passes chunks
on until a file exceeds HOMEWARD_ATTACHMENT_MAX_BYTES, then skips the rest of that file
(Django reads and discards it) and notes the field name on the request, so the form or
serializer can answer with a clear error on that field instead of "this field is required".
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

__all__ = ["SizeLimitedUploadHandler", "oversized_fields"]

OVERSIZED_ATTR = "homeward_oversized_uploads"


class SizeLimitedUploadHandler(FileUploadHandler):
    """Skips any uploaded file larger than the attachment limit, remembering which field."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.HOMEWARD_ATTACHMENT_MAX_BYTES:
            if self.request is not None:
                oversized = getattr(self.request, OVERSIZED_ATTR, set())
                oversized.add(self.field_name)
                setattr(self.request, OVERSIZED_ATTR, oversized)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the uploaded file


def oversized_fields(request) -> set[str]:
    """The file fields of `request` (Django's or DRF's) that were dropped for their size."""
    django_request = getattr(request, "_request", request)
    return set(getattr(django_request, OVERSIZED_ATTR, set()))
