"""Reading the audit trail: a record's access history, and the trail itself for auditors.

Both need the audit capability and read through `AuditEvent.objects.for_user`, so a scoped
auditor sees only the events of the home states in their scope.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from homeward.accounts import capabilities
from homeward.audit.models import AuditEvent
from homeward.audit.queries import EVENT_LABELS, event_label, person_access_history
from homeward.audit.services import record_view
from homeward.core.forms import HomewardForm
from homeward.core.views import ScopedViewMixin
from homeward.people import events as people_events
from homeward.people.views import PersonPageMixin

__all__ = ["AccessHistoryView", "AuditEventListView"]

PAGE_SIZE = 50


class AccessHistoryView(PersonPageMixin, View):
    """Who opened, listed or changed this person's record, and when. Itself audited.

    The person is found through the scoped Person queryset (404 out of scope); the page
    needs the audit capability on top (403 without it).
    """

    action = "view"

    def required_capability(self) -> str:
        return capabilities.VIEW_AUDIT

    def get(self, request, pk):
        person = self.get_object()
        page = Paginator(person_access_history(person, request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = [(event, event_label(event.event_type)) for event in page.object_list]
        record_view(people_events.ACCESS_HISTORY_VIEWED, actor=request.user, target=person)
        context = {
            **self.person_context(person),
            "page_obj": page,
            "rows": rows,
            "active_tab": "access",
        }
        return render(request, "audit/access_history.html", context)


class AuditFilterForm(HomewardForm):
    event_type = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("Any")), *sorted(EVENT_LABELS.items(), key=lambda c: c[0])],
    )
    actor = forms.CharField(label=_("User name"), required=False, max_length=150)
    person = forms.UUIDField(label=_("Person id"), required=False)


class AuditEventListView(ScopedViewMixin, View):
    """The whole trail, newest first, filterable by event, user and person."""

    model = AuditEvent
    action = "view"

    def get(self, request):
        form = AuditFilterForm(request.GET or None)
        events = self.get_queryset().order_by("-seq")
        if form.is_bound and form.is_valid():
            if form.cleaned_data["event_type"]:
                events = events.filter(event_type=form.cleaned_data["event_type"])
            if form.cleaned_data["actor"]:
                events = events.filter(actor_username__iexact=form.cleaned_data["actor"])
            if form.cleaned_data["person"]:
                events = events.filter(person_id=form.cleaned_data["person"])
        page = Paginator(events, PAGE_SIZE * 2).get_page(request.GET.get("page"))
        rows = [(event, event_label(event.event_type)) for event in page.object_list]
        return render(
            request, "audit/event_list.html", {"form": form, "page_obj": page, "rows": rows}
        )
