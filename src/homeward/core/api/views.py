"""Shared API building blocks: audited reads, pagination, the schema and its self-hosted docs.

Every viewset of the API reads through ScopedReadOnlyViewSet (scope applied once). The
mixins here add what the pages already do, so that the API is never the quiet way in: a
read of personal data leaves a view or list event, and a refusal (missing capability, or a
record outside the caller's scope) leaves a denial event, while the answer itself stays a
plain 403 or a 404 identical to "does not exist".

The docs page is rendered on the server from the schema dict: ministry networks are closed,
and drf-spectacular's Swagger UI and Redoc load from a CDN.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.accounts.services import record_denial, record_hidden_lookup
from homeward.audit.services import record_list, record_view
from homeward.core.api.idempotency import IdempotencyMixin
from homeward.core.api.pagination import ApiPagination
from homeward.core.api.permissions import IsAuthenticatedOnly
from homeward.core.api.preconditions import etag_for
from homeward.core.api.serializers import HomeStateSerializer
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.exceptions import OutOfScopeError
from homeward.core.models import HomeState

__all__ = [
    "ApiPagination",
    "AuditedReadMixin",
    "BearerTokenScheme",
    "DenialAuditMixin",
    "DocsView",
    "HomeStateViewSet",
    "ListPagination",
    "SchemaView",
    "operations_reference",
]

HTTP_METHODS = ("get", "put", "patch", "post", "delete", "head", "options", "trace")


class _Cursor(CursorPagination):
    """DRF's cursor pagination with the API's page size rules (see ListPagination)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def __init__(self, ordering):
        self.ordering = ordering


class ListPagination(ApiPagination):
    """Page numbers by default; a cursor for clients that walk a large list.

    `?paginate=cursor` asks for the first page by cursor: the answer has `next` and
    `previous` links carrying an opaque `cursor` (and no `count`), stable while rows are
    added, and each page costs the same however deep it is. Only GET lists of views that
    declare `cursor_ordering` (a unique, unchanging order) offer it; page numbers stay the
    default so existing clients keep working. An unknown `paginate` value is a 400, and so is
    a page number asked for by cursor; a tampered cursor a 404, like a page beyond the last.
    """

    mode_query_param = "paginate"
    cursor_query_param = "cursor"

    def _cursor_for(self, request, view):
        mode = request.query_params.get(self.mode_query_param)
        if mode not in (None, "page", "cursor"):
            raise ValidationError({self.mode_query_param: [_("Give page or cursor.")]})
        wanted = mode == "cursor" or self.cursor_query_param in request.query_params
        ordering = self._cursor_ordering(view)
        if not wanted or request.method != "GET" or not ordering:
            return None
        if self.page_query_param in request.query_params:
            raise ValidationError({self.page_query_param: [_("Give a page number or a cursor.")]})
        ordering = list(ordering)
        chosen = request.query_params.get("ordering")
        if chosen and chosen.lstrip("-") in getattr(view, "ordering_fields", ()):
            ordering = [chosen, *(field for field in ordering if field.lstrip("-") != chosen)]
        return _Cursor(tuple(ordering))

    @staticmethod
    def _cursor_ordering(view):
        """The view's cursor order, for its plain list only (not a search by POST)."""
        if getattr(view, "action", None) not in (None, "list"):
            return None
        return getattr(view, "cursor_ordering", None)

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = self._cursor_for(request, view)
        if self.cursor is not None:
            self.get_page_size(request)  # the same 400 for a malformed page_size
            return self.cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if getattr(self, "cursor", None) is not None:
            return self.cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def total(self) -> int | None:
        """How many rows matched (None by cursor: counting would cost what cursors save)."""
        if getattr(self, "cursor", None) is not None:
            return None
        return self.page.paginator.count

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["results"]
        described["properties"]["count"]["description"] = force_str(
            _("Absent when paginated by cursor.")
        )
        return described

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if self._cursor_ordering(view):
            parameters += [
                {
                    "name": self.mode_query_param,
                    "required": False,
                    "in": "query",
                    "description": force_str(
                        _("`cursor` to walk the list by cursor (default `page`).")
                    ),
                    "schema": {"type": "string", "enum": ["page", "cursor"]},
                },
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": force_str(
                        _("The pagination cursor value (from a `next` or `previous` link).")
                    ),
                    "schema": {"type": "string"},
                },
            ]
        return parameters


def etag_of(data: dict) -> str:
    """A record's ETag: its `version` where it has one (what If-Match names on writes), else
    a weak tag of the representation's hash."""
    if isinstance(data.get("version"), int):
        return etag_for(data["version"])
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'W/"{digest[:32]}"'


def not_found(request, exception=None):
    """handler404: a JSON body under the API (a path no route matches, e.g. a malformed id),
    Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """handler400: under the API a JSON body (made a problem document on its way out), e.g.
    for a Host header that is not one of ours; Django's page elsewhere."""
    if request.path.startswith("/api/"):
        detail = _("The request could not be accepted.")
        return JsonResponse({"detail": str(detail)}, status=400)
    return django_bad_request(request, exception)


class DenialAuditMixin(IdempotencyMixin):
    """Writes an access-denied event for a refused, signed-in caller, as the pages do.

    The response does not change: 403 for a missing capability, and for a record outside
    the caller's scope the same 404 as for a record that does not exist. Every API view
    derives from it, so it also carries the protocol: Idempotency-Key on POST
    (core.api.idempotency) and an ETag on every read of one record (`etag_of`).
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method == "GET"
            and getattr(self, "action", None) == "retrieve"
            and response.status_code == 200
            and isinstance(getattr(response, "data", None), dict)
            and not response.has_header("ETag")
        ):
            response["ETag"] = etag_of(response.data)
        return response

    def permission_denied(self, request, message=None, code=None):
        if request.user and request.user.is_authenticated:
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="capability"
            )
        super().permission_denied(request, message=message, code=code)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            record_hidden_lookup(self.request, self.get_queryset(), **{self.lookup_field: value})
            raise


class AuditedListMixin(DenialAuditMixin):
    """Lists of personal data: every list writes `list_event` (see AuditedReadMixin)."""

    list_event: str = ""
    pagination_class = ListPagination

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        record_list(
            self.list_event,
            actor=request.user,
            ids=[self.audited_id(obj) for obj in page],
            query=request.query_params.dict(),
            total=self.paginator.total(),
        )
        return self.get_paginated_response(data)

    def audited_id(self, obj):
        """How the list event names a returned record (its primary key by default)."""
        return obj.pk


class AuditedReadMixin(AuditedListMixin):
    """Reads of personal data: every detail writes `view_event`, every list `list_event`.

    A list event carries the query and the ids on the page returned (what the caller saw,
    not what matched). The event is written after the page is serialized, so only data
    that is actually returned is logged; if the event cannot be written, nothing is returned.
    """

    view_event: str = ""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        record_view(self.view_event, actor=request.user, target=instance)
        return Response(data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List home states"),
        description=_(
            "The home states in the caller's scope: a home-state user sees only its own."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Read one home state"), description=_("By ISO alpha-2 code, e.g. RU.")
    ),
)
class HomeStateViewSet(DenialAuditMixin, ScopedReadOnlyViewSet):
    """Reference data, narrowed to the caller's scope: a consul learns of no other state."""

    queryset = HomeState.objects.all()
    serializer_class = HomeStateSerializer
    pagination_class = ApiPagination


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes `Authorization: Bearer <token>` (from `homeward api_token`) in the schema."""

    target_class = "homeward.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A token printed by `homeward api_token USERNAME`.")),
        }


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, for signed-in users and token holders only.

    `?format=json` answers JSON; the default is YAML. The schema names no records, but the
    API's shape is still not for anonymous callers.
    """

    permission_classes = [IsAuthenticatedOnly]


class DocsView(APIView):
    """A readable API reference, built on the server from the same schema (no CDN, no script)."""

    permission_classes = [IsAuthenticatedOnly]
    renderer_classes = [TemplateHTMLRenderer]
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
        schema = generator.get_schema(request=request, public=True)
        return Response(
            {
                "title": schema["info"]["title"],
                "version": schema["info"]["version"],
                "description": schema["info"].get("description", ""),
                "sections": operations_reference(schema),
                "components": components_reference(schema),
            }
        )


def _type_label(schema: dict) -> str:
    """A short human type for a schema fragment: "string (uuid)", "Case", "array of Name"."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for combiner in ("allOf", "oneOf", "anyOf"):
        if combiner in schema:
            return " | ".join(_type_label(part) for part in schema[combiner])
    if schema.get("type") == "array":
        return str(_("array of %(item)s")) % {"item": _type_label(schema.get("items", {}))}
    label = schema.get("type", "")
    if "format" in schema:
        label = f"{label} ({schema['format']})"
    if "enum" in schema:
        values = ", ".join(str(value) for value in schema["enum"] if value not in ("", None))
        label = f"{label}: {values}"
    if schema.get("nullable"):
        label = f"{label}, null"
    return label


def operations_reference(schema: dict) -> list[dict]:
    """The schema's operations grouped by tag, in path order, ready for a template.

    Each operation: method, path, summary, description, parameters (name, location,
    required, type, description) and responses (status, description, body type).
    """
    sections: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [
                {
                    "name": parameter["name"],
                    "location": parameter.get("in", ""),
                    "required": bool(parameter.get("required")),
                    "type": _type_label(parameter.get("schema", {})),
                    "description": parameter.get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            responses = [
                {
                    "status": status,
                    "description": response.get("description", ""),
                    "type": _type_label(
                        response.get("content", {}).get("application/json", {}).get("schema", {})
                    ),
                }
                for status, response in operation.get("responses", {}).items()
            ]
            tag = (operation.get("tags") or [""])[0]
            sections.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in sections.items()]


def components_reference(schema: dict) -> list[dict]:
    """The schema's object types with their fields, so a response type can be looked up."""
    components = []
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        required = set(component.get("required", []))
        fields = [
            {
                "name": field,
                "type": _type_label(field_schema),
                "required": field in required,
                "read_only": bool(field_schema.get("readOnly")),
                "description": field_schema.get("description", ""),
            }
            for field, field_schema in component.get("properties", {}).items()
        ]
        components.append(
            {
                "name": name,
                "description": component.get("description", ""),
                "type": _type_label(component),
                "fields": fields,
            }
        )
    return components


class ServiceCallMixin:
    """Calls a service as the caller: out of scope is a 404, a refused capability an
    audited 403; the service's field errors and stale edits go to the exception handler
    (400 with `errors`, 409)."""

    def call(self, service, *args, **kwargs):
        try:
            return service(*args, actor=self.request.user, **kwargs)
        except OutOfScopeError as exc:
            raise Http404 from exc
        except DjangoPermissionDenied as exc:
            record_denial(
                actor=self.request.user,
                path=self.request.path,
                method=self.request.method,
                reason="capability",
            )
            raise exceptions.PermissionDenied(str(exc) or None) from exc

    def step(self, service, serializer_class, **extra):
        """Run `service` on the addressed record with the validated body; answer the record
        as the viewset's `output` does."""
        record = self.get_object()
        return self.output(self.call(service, record, **self.given(serializer_class), **extra))

    def visible(self, model, **lookup):
        """The record of `model` matching `lookup` in the caller's scope, else the 404 of a
        missing one (the probe is recorded)."""
        visible = model.objects.for_user(self.request.user, "view")
        found = visible.filter(**lookup).first()
        if found is None:
            record_hidden_lookup(self.request, visible, **lookup)
            raise Http404
        return found

    def cases(self, references, field: str = "cases") -> list:
        """The cases named by reference, all in the caller's scope, else a 400 on `field`
        naming the ones not found (a case out of scope reads as unknown)."""
        from homeward.cases.models import Case

        found = list(
            Case.objects.for_user(self.request.user, "view")
            .filter(reference__in=references)
            .order_by("reference")
        )
        missing = sorted(set(references) - {case.reference for case in found})
        if missing:
            raise exceptions.ValidationError(
                {field: [_("Unknown cases: %(refs)s") % {"refs": ", ".join(missing)}]}
            )
        return found

    def given(self, serializer_class) -> dict:
        given = serializer_class(data=self.request.data)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    def scoped(self, model, field: str, message, **lookup):
        """The record of `model` matching `lookup` the caller may see, else a 400 on `field`."""
        found = model.objects.for_user(self.request.user, "view").filter(**lookup).first()
        if found is None:
            raise exceptions.ValidationError({field: [message]})
        return found
