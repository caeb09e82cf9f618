"""The authorization matrix (G09): every route × method, with the roles that may call it.

Derived, never written by hand: routes come from the URL configuration
(homeward.security.routes), the capability each method needs from what its view declares
(`required_capability()` for pages; `permission` / `write_permission` or the permission
class's `matrix_capabilities()` for the API), and the roles from accounts/roles.py. Each
standard role is tried as a user holding exactly that role's capabilities. `homeward
authz_matrix --write` commits the result to MATRIX_PATH; a test regenerates it and fails
when a route is missing or extra or its roles changed without regenerating, so every change
of who may do what shows up in review as a diff of this file.

Capability is one axis; scope is the other: a route about a scoped model answers only for
records of the caller's home states (404 otherwise), which the scope matrix test and
row-level security enforce. The matrix records the model so a reader sees which rule applies.
"""

import json
import re
from pathlib import Path
from types import SimpleNamespace

from rest_framework.permissions import SAFE_METHODS

from homeward.accounts.models import User
from homeward.accounts.roles import STANDARD_ROLES
from homeward.core.api.permissions import HasCapability
from homeward.security.routes import (
    UNSCOPED_ROUTES,
    all_routes,
    route_methods,
    route_model_and_capability,
)

__all__ = ["MATRIX_PATH", "build_matrix", "dumps", "load_committed"]

MATRIX_PATH = Path(__file__).with_name("authz_matrix.json")
SUPERUSER = "superuser"


def _role_user(capabilities) -> User:
    """An unsaved active user holding exactly `capabilities` (no database access)."""
    user = User(username="authz-matrix", is_active=True)
    user.__dict__["capabilities"] = frozenset(capabilities)
    return user


def _needed(pattern, method: str, action: str | None, user: User) -> set[str]:
    """The capabilities any one of which lets `user` call `method` on the route."""
    callback = pattern.callback
    if not hasattr(callback, "cls"):  # a Django page declares `required_capability()`
        page = callback.view_class(**getattr(callback, "view_initkwargs", {}))
        page.request = SimpleNamespace(user=user, method=method)
        page.args, page.kwargs = (), {}
        return {page.required_capability()}
    view = callback.cls(**getattr(callback, "initkwargs", {}))
    view.action = action
    view.request = SimpleNamespace(user=user, method=method, data={})
    view.kwargs, view.args, view.format_kwarg = {}, (), None
    needed: set[str] = set()
    for permission in view.get_permissions():
        if hasattr(permission, "matrix_capabilities"):
            needed |= set(permission.matrix_capabilities(view.request, view))
        elif isinstance(permission, HasCapability):
            code = (
                getattr(view, "permission", None)
                if method in SAFE_METHODS
                else getattr(view, "write_permission", None)
            )
            needed |= {code} if code else set()
        else:
            raise TypeError(f"{permission!r}: the matrix cannot read what it requires")
    return needed


def build_matrix() -> dict:
    users = {spec.code: _role_user(spec.capabilities) for spec in STANDARD_ROLES}
    routes = {}
    for name, raw_path, pattern in sorted(all_routes(), key=lambda item: item[0]):
        path = _readable(raw_path)
        if name in UNSCOPED_ROUTES:
            reason, methods, who = UNSCOPED_ROUTES[name]
            routes[name] = {
                "path": path,
                "model": None,
                "note": reason,
                "methods": {method: {"capabilities": [], "roles": [who]} for method in methods},
            }
            continue
        model, _capability = route_model_and_capability(pattern)
        methods = {}
        for method, action in sorted(route_methods(pattern).items()):
            needed: set[str] = set()
            allowed = [SUPERUSER]
            for code, user in users.items():
                alternatives = _needed(pattern, method, action, user)
                needed |= alternatives
                if any(user.has_capability(alternative) for alternative in alternatives):
                    allowed.append(code)
            methods[method] = {"capabilities": sorted(needed), "roles": allowed}
        routes[name] = {"path": path, "model": model._meta.label_lower, "methods": methods}
    return {
        "generated_by": "homeward authz_matrix --write",
        "roles": [SUPERUSER, *users],
        "routes": routes,
    }


def dumps(matrix: dict) -> str:
    """JSON with one line per route and method, so a change of roles is a one-line diff."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "generated_by": {one(matrix["generated_by"])},']
    lines.append(f'  "roles": {one(matrix["roles"])},')
    lines.append('  "routes": {')
    names = list(matrix["routes"])
    for index, name in enumerate(names):
        route = matrix["routes"][name]
        head = {key: value for key, value in route.items() if key != "methods"}
        lines.append(f"    {one(name)}: {one(head)[:-1]}, " + '"methods": {')
        methods = list(route["methods"].items())
        for position, (method, rule) in enumerate(methods):
            comma = "," if position < len(methods) - 1 else ""
            lines.append(f"      {one(method)}: {one(rule)}{comma}")
        lines.append("    }}" + ("," if index < len(names) - 1 else ""))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def _readable(path: str) -> str:
    """`api/v1/^cases/(?P<pk>[^/.]+)/$` -> `api/v1/cases/<pk>/`."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", path)
    return path.replace("^", "").replace("$", "")


def load_committed() -> dict:
    return json.loads(MATRIX_PATH.read_text(encoding="utf-8"))
