"""The dashboard: the viewer's own figures, nothing from outside their scope."""

from django.views.generic import TemplateView

from homeward.audit.services import record_event
from homeward.cases import events
from homeward.cases.models import Case
from homeward.cases.queries import dashboard_figures
from homeward.core.views import ScopedViewMixin

__all__ = ["DashboardView"]


class DashboardView(ScopedViewMixin, TemplateView):
    """Counts of children in custody, by nationality and status, within the viewer's scope."""

    model = Case
    action = "view"
    template_name = "cases/dashboard.html"

    def get(self, request, *args, **kwargs):
        record_event(events.DASHBOARD_VIEWED, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=dashboard_figures(self.request.user), **kwargs)
