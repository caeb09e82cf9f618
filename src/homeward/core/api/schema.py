"""The API schema declares every error an operation can really answer, once, here.

drf-spectacular documents the success answers; this AutoSchema adds the errors the shared
machinery gives to every operation (homeward/core/api/exceptions.py, the limits middleware):

- 400: a body or a query value fails validation (`ValidationError`: field -> messages, or a
  list of messages), or a NUL in the path or query (plain text, RequestSizeLimitMiddleware);
- 401: no or bad credentials; 403: the caller lacks the capability (`Error`: `detail`);
- 404: a record missing or outside the caller's scope, or a page beyond the last;
- 413: a body larger than the limit (plain text), on operations that take a body;
- 414: a request line too long for gunicorn (its HTML page; a long query string);
- 429: a search beyond the per-minute rate, on lists that search (`q`/`search`).

Operations that already declare a code (412/428/409 for optimistic locking and conflicts, a
richer 400…) keep their own; a declaration without a body gets the shared one.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from homeward.core.limits import SEARCH_PARAMETERS

PROBLEM_PROPERTIES = {
    "type": {"type": "string", "description": "The kind of problem: urn:homeward:problem:…"},
    "title": {"type": "string"},
    "status": {"type": "integer"},
    "detail": {"type": "string"},
}
ERROR = {
    "type": "object",
    "description": "A problem document (RFC 9457).",
    "properties": PROBLEM_PROPERTIES,
    "required": ["type", "title", "status", "detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "A problem document (RFC 9457) with the messages in `errors`.",
    "properties": {
        **PROBLEM_PROPERTIES,
        "errors": {
            "oneOf": [
                {
                    "type": "object",
                    "description": "Messages per field (`non_field_errors` for the whole request).",
                    "additionalProperties": {},
                },
                {"type": "array", "items": {"type": "string"}},
            ],
        },
    },
    # a 400 that is not about fields (a body that is not JSON, a record out of reach) has a
    # `detail` and no `errors`
    "required": ["type", "title", "status", "detail"],
}
PROBLEM = "application/problem+json"
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "pattern": r"^[\x21-\x7e]{1,255}$"},
    "description": "Makes the POST safe to retry: the same key and body replay the first "
    "answer (Idempotent-Replayed: true); the same key with another body is a 422.",
}
PLAIN_TEXT = {"text/plain": {"schema": {"type": "string"}}}

DESCRIPTIONS = {
    "400": _("The request is invalid: see the messages."),
    "401": _("No valid credentials were sent."),
    "403": _("The caller may not do this."),
    "404": _("No such record, or not in the caller's scope."),
    "409": _("The record is not in a state that allows this."),
    "412": _("The record changed since it was read."),
    "413": _("The request is too large."),
    "414": _("The request line is too long."),
    "422": _("The Idempotency-Key was already used with another body."),
    "428": _("If-Match is missing."),
    "429": _("Too many searches: wait for Retry-After seconds."),
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class HomewardAutoSchema(AutoSchema):
    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _json(self, name: str, schema: dict) -> dict:
        return {PROBLEM: {"schema": self._component(name, schema)}}

    def error_responses(self, operation: dict) -> dict[str, dict]:
        """The error answers this operation can give, code -> content."""
        error = self._json("Error", ERROR)
        answers = {
            "400": {**self._json("ValidationError", VALIDATION_ERROR), **PLAIN_TEXT},
            "401": error,
            "403": error,
            "404": error,
            # gunicorn's own page, before Django: a request line over 4094 bytes
            "414": {"text/html": {"schema": {"type": "string"}}},
        }
        if self.method in BODY_METHODS:
            answers["413"] = PLAIN_TEXT
        if self._idempotent():
            answers["409"] = error
            answers["422"] = error
        names = {param.get("name") for param in operation.get("parameters", [])}
        if self.method == "GET" and names & set(SEARCH_PARAMETERS):
            answers["429"] = {**error, **PLAIN_TEXT}
        return answers

    def _map_basic_serializer(self, serializer, direction):
        """`Meta.schema_optional_fields`: keys a response may leave out (sealed content)."""
        schema = super()._map_basic_serializer(serializer, direction)
        optional = getattr(getattr(serializer, "Meta", None), "schema_optional_fields", ())
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        if direction == "request":
            schema["additionalProperties"] = False  # unknown fields answer 400 (G12)
        return schema

    def _idempotent(self) -> bool:
        """A POST of a view that takes Idempotency-Key (core.api.idempotency)."""
        from homeward.core.api.idempotency import IdempotencyMixin

        return (
            self.method == "POST"
            and isinstance(self.view, IdempotencyMixin)
            and getattr(self.view, "action", None) not in self.view.idempotency_exempt_actions
        )

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return operation
        if self._idempotent():
            operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
        responses = operation.setdefault("responses", {})
        for code in self.error_responses(operation):
            responses.setdefault(code, {"description": str(DESCRIPTIONS[code])})
        error = {PROBLEM: {"schema": self._component("Error", ERROR)}}
        for code, response in responses.items():
            if code in DESCRIPTIONS and "content" not in response:
                content = self.error_responses(operation).get(code, error)
                response["content"] = content
            content = response.get("content", {})
            if code >= "400" and "application/json" in content:
                # every JSON error is a problem document (core.api.problems)
                content[PROBLEM] = content.pop("application/json")
        operation["responses"] = dict(sorted(responses.items()))
        return operation
