"""Base API viewsets: scope applied once, capability declared, out of scope = 404."""

from rest_framework import viewsets

from homeward.core.scoping import capability_for
from homeward.security.api import RowScopeAPIMixin


class ScopedReadOnlyViewSet(RowScopeAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Subclasses set `queryset` (for the model) and get it narrowed to the caller's scope.

    `permission` defaults to the model's view capability, checked by HasCapability. The
    caller's scope also goes to PostgreSQL's row-level security (RowScopeAPIMixin).
    """

    action_name = "view"

    @property
    def permission(self) -> str:
        return capability_for(self.queryset.model, self.action_name)

    def get_queryset(self):
        return self.queryset.for_user(self.request.user, self.action_name)
