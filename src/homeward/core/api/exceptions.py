"""API errors: Django's model ValidationError becomes a 400 with field errors, like DRF's own;
every error answer is a problem document (RFC 9457, `homeward.core.api.problems`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from homeward.core.api.problems import PROBLEM_CONTENT_TYPE, problem
from homeward.core.exceptions import OutOfScopeError, StaleEditError


def exception_handler(exc, context):
    response = _handle(exc, context)
    if response is not None:
        response.data = problem(response.status_code, response.data)
        response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, StaleEditError):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, OutOfScopeError):
        return Response({"detail": str(exc.message)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
