"""Shared views: the scoped base classes every page builds on, and the health check.

Scope is applied here, once: a page declares its model and action, and its queryset is
`Model.objects.for_user(user, action)`. A missing capability answers 403; a record that
exists but lies outside the user's scope answers 404 exactly like a missing one. Both
refusals are written to the audit trail.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.accounts.services import record_denial, record_hidden_lookup
from homeward.core.scoping import capability_for

__all__ = ["ScopedObjectMixin", "ScopedViewMixin", "healthz"]


class ScopedViewMixin(LoginRequiredMixin):
    """Declare `model` and `action` ("view", "add", "change"); get a scoped queryset."""

    model = None
    action = "view"

    def required_capability(self) -> str:
        return capability_for(self.model, self.action)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_capability(
            self.required_capability()
        ):
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="capability"
            )
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, self.action)


class ScopedObjectMixin(ScopedViewMixin):
    """A page about one record, found through the scoped queryset or not at all."""

    pk_url_kwarg = "pk"

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        pk = self.kwargs[self.pk_url_kwarg]
        try:
            return queryset.get(pk=pk)
        except (self.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
            # A malformed id is "not found" too, never a 500.
            record_hidden_lookup(self.request, queryset, pk=pk)
            raise Http404(_("No such record.")) from exc


@require_GET
def healthz(request):
    """200 when the database answers a query; 503 otherwise. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  (any database failure means "unhealthy")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
