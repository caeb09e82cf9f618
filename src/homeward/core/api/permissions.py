"""Deny-by-default API permission: a view declares the capability it needs, or nobody passes."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class HasCapability(BasePermission):
    """Grants a request when the user holds the view's `permission` (reads) or
    `write_permission` (writes)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        needed = (
            getattr(view, "permission", None)
            if request.method in SAFE_METHODS
            else getattr(view, "write_permission", None)
        )
        return bool(needed) and user.has_capability(needed)


class IsAuthenticatedOnly(BasePermission):
    """For endpoints any signed-in user may call (the schema and its docs)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)
