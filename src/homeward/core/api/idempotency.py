"""`Idempotency-Key` on API creates: a retried POST is answered once, not executed twice.

A client that sends `Idempotency-Key: <1–255 visible ASCII characters>` with a POST may
repeat the request (a timeout, a lost answer) safely:

- first time: the key is reserved for (user, method, path) with a hash of the body, the
  request runs, and a successful answer (2xx) is stored with it;
- the same key and body again: the stored answer is replayed, with `Idempotent-Replayed: true`;
- the same key with another body: 422, nothing runs;
- the same key while the first request is still running: 409;
- an error answer frees the key, so the corrected request may reuse it.

Stored answers are sealed at rest (`IdempotencyKey.response_body`, homeward.crypto): the
answer to a create may carry a secret shown once (a webhook subscription's signing secret).
A replay answers the same body, secret included, to the same user with the same key and body.

Keys are kept for `KEY_LIFETIME`; an older key is forgotten and starts over. Applied to every
POST by `core.api.views.DenialAuditMixin` (all write views derive from it), except actions
listed in a view's `idempotency_exempt_actions` (a search sent by POST stores no answer).
"""

import datetime
import hashlib
import json
import re

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from homeward.core.models import IdempotencyKey

__all__ = ["HEADER", "IdempotencyMixin"]

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
KEY_LIFETIME = datetime.timedelta(hours=24)
REPLAYED_HEADERS = ("ETag", "Location", "Content-Type")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request body.")
    default_code = "idempotency_key_reused"


class KeyInFlight(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed.")
    default_code = "idempotency_key_in_flight"


class _Replay(Exception):
    def __init__(self, record: IdempotencyKey):
        self.record = record


def _body_hash(request) -> str:
    """The body's SHA-256, read before anything parses it (Django keeps the bytes)."""
    try:
        return hashlib.sha256(request.body).hexdigest()
    except RequestDataTooBig:
        raise ValidationError(
            {HEADER: [_("An Idempotency-Key cannot be used with a body this large.")]}
        ) from None


class IdempotencyMixin:
    idempotency_exempt_actions: tuple[str, ...] = ("search",)

    def _idempotency_key(self, request) -> str | None:
        """The request's key, or None (not a POST, an exempt action, or no header)."""
        if request.method != "POST" or getattr(self, "action", None) in (
            self.idempotency_exempt_actions
        ):
            return None
        return request.headers.get(HEADER)

    def initial(self, request, *args, **kwargs):
        self._reserved_key = None
        key = self._idempotency_key(request)
        # hashed before the permission check, which may parse (and so consume) the body;
        # refusals come after it, so an anonymous caller still gets 401 first
        try:
            digest = _body_hash(request._request) if key is not None else ""
        except ValidationError as exc:
            digest = exc
        super().initial(request, *args, **kwargs)  # authentication, capability, throttles
        if key is None:
            return
        if not re.match(KEY_PATTERN, key):
            raise ValidationError(
                {HEADER: [_("Give 1 to 255 visible ASCII characters (a UUID, say).")]}
            )
        if isinstance(digest, ValidationError):
            raise digest
        lookup = {"user": request.user, "key": key, "method": request.method, "path": request.path}
        IdempotencyKey.objects.filter(
            **lookup, created_at__lt=timezone.now() - KEY_LIFETIME
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(**lookup, request_hash=digest)
        except IntegrityError:
            record = IdempotencyKey.objects.filter(**lookup).first()
            if record is None:
                raise KeyInFlight() from None
            if record.request_hash != digest:
                raise KeyReused() from None
            if record.status_code is None:
                raise KeyInFlight() from None
            raise _Replay(record) from None
        self._reserved_key = record

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            record = exc.record
            response = Response(json.loads(record.response_body), status=record.status_code)
            for name, value in record.response_headers.items():
                if name != "Content-Type":
                    response[name] = value
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            return super().handle_exception(exc)
        except Exception:
            # an unexpected error (a 500): free the key, or every retry would be a 409
            record, self._reserved_key = getattr(self, "_reserved_key", None), None
            if record is not None:
                IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_reserved_key", None)
        if record is None:
            return response
        self._reserved_key = None
        if 200 <= response.status_code < 300 and hasattr(response, "data"):
            record.status_code = response.status_code
            record.response_body = json.dumps(response.data, default=str)
            record.response_headers = {
                name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
            }
            record.save(update_fields=["status_code", "response_body", "response_headers"])
        else:
            record.delete()
        return response
