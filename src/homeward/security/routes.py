"""Route discovery, shared by the scope matrix test and the authorization matrix (G09).

Every named URL pattern of the project, with the view behind it and what it declares: the
model it is about and the capability it needs. A route that is not about records is listed
in UNSCOPED_ROUTES with the reason and who may call it.
"""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

__all__ = [
    "UNSCOPED_ROUTES",
    "all_routes",
    "discovered_routes",
    "route_methods",
    "route_model_and_capability",
]

# Routes that are not about records: (reason, methods, who may call them).
UNSCOPED_ROUTES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "login": ("the sign-in page itself", ("GET", "POST", "PUT"), "anyone"),
    "logout": ("signs out the caller; POST only", ("POST",), "anyone"),
    "set_language": ("stores a language preference", ("GET", "POST"), "anyone"),
    "healthz": ("answers whether the database is up; no data", ("GET",), "anyone"),
    "api:schema": ("the API's shape, for any signed-in caller", ("GET",), "signed_in"),
    "api:docs": ("the API's reference page, for any signed-in caller", ("GET",), "signed_in"),
    "mfa_verify": (
        "the second sign-in step; tested in tests/test_auth_mfa.py",
        ("GET", "POST"),
        "signed_in",
    ),
    "mfa_enrol": (
        "first sign-in: set up the authenticator; tested in tests/test_auth_mfa.py",
        ("GET", "POST"),
        "signed_in",
    ),
    "webauthn_verify": (
        "privileged sign-in: confirm with the security key; tested in tests/test_auth_webauthn.py",
        ("GET",),
        "signed_in",
    ),
    "webauthn_enrol": (
        "privileged sign-in: register a security key; tested in tests/test_auth_webauthn.py",
        ("GET",),
        "signed_in",
    ),
    "otp_webauthn:credential-registration-begin": (
        "WebAuthn ceremony (JSON) for the caller's own key; tested in tests/test_auth_webauthn.py",
        ("POST",),
        "signed_in",
    ),
    "otp_webauthn:credential-registration-complete": (
        "WebAuthn ceremony (JSON) for the caller's own key; tested in tests/test_auth_webauthn.py",
        ("POST",),
        "signed_in",
    ),
    "otp_webauthn:credential-authentication-begin": (
        "WebAuthn ceremony (JSON) for the caller's own key; tested in tests/test_auth_webauthn.py",
        ("POST",),
        "signed_in",
    ),
    "otp_webauthn:credential-authentication-complete": (
        "WebAuthn ceremony (JSON) for the caller's own key; tested in tests/test_auth_webauthn.py",
        ("POST",),
        "signed_in",
    ),
    "otp_webauthn:js-i18n-catalog": (
        "translations for the WebAuthn script; no data",
        ("GET",),
        "anyone",
    ),
    "conduct": (
        "the code of conduct after the second factor; tested in tests/test_auth_mfa.py",
        ("GET", "POST"),
        "signed_in",
    ),
    "exports:download": (
        "a single-use token link (410 once spent), only for the export's requester; "
        "tested in tests/exports/test_views.py",
        ("GET",),
        "signed_in",
    ),
}

_NOT_LISTED = {"options", "head"}  # OPTIONS answers for every route; HEAD follows GET


def _walk(resolver, namespace="", prefix="") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route, entry


def all_routes() -> list[tuple[str, str, URLPattern]]:
    """(name, path, pattern) of every named route, format-suffix duplicates left out."""
    return [
        (name, route, pattern)
        for name, route, pattern in _walk(get_resolver())
        if "format" not in pattern.pattern.regex.groupindex
    ]


def route_model_and_capability(pattern: URLPattern):
    """(model, read capability) declared by the view behind `pattern`."""
    callback = pattern.callback
    if hasattr(callback, "cls"):  # a DRF view or viewset action
        view = callback.cls()
        model = view.queryset.model
        return model, view.permission
    view_class = callback.view_class
    view = view_class()
    return view_class.model, view.required_capability()


def route_methods(pattern: URLPattern) -> dict[str, str | None]:
    """HTTP method -> DRF action (None for plain views) that the route answers."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:  # DRF adds "head" to this dict in place on the first request: leave it out
        return {
            method.upper(): action
            for method, action in actions.items()
            if method not in _NOT_LISTED
        }
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return {
        method.upper(): None
        for method in view_class.http_method_names
        if method not in _NOT_LISTED and hasattr(view_class, method)
    }


def discovered_routes() -> list[tuple[str, URLPattern]]:
    """The record routes that answer GET: the ones the scope matrix requests."""
    routes = []
    for name, _route, pattern in all_routes():
        if name in UNSCOPED_ROUTES:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions is not None and "get" not in actions:
            continue  # a POST-only API action (acknowledge, vetting, decision): not a read
        routes.append((name, pattern))
    return routes
