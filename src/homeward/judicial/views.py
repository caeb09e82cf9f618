"""Requests for evidence: the list and one request with its decision and what was sent.

A consul sees its own state's requests (status, decision, what was sent and when); another
state's request answers 404 like a missing one.
"""

from django.shortcuts import render
from django.views import View

from homeward.audit.services import record_list, record_view
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.judicial import events, queries
from homeward.judicial.models import EvidenceRequest


class EvidenceRequestListView(ScopedViewMixin, View):
    model = EvidenceRequest

    def get(self, request):
        rows = list(queries.requests_for(request.user)[:200])
        record_list(
            events.REQUESTS_LISTED,
            actor=request.user,
            ids=[row.pk for row in rows],
            query={},
            total=len(rows),
        )
        context = {
            "requests": rows,
            "figures": queries.request_figures(request.user),
            "section": "judicial",
        }
        return render(request, "judicial/request_list.html", context)


class EvidenceRequestDetailView(ScopedObjectMixin, View):
    model = EvidenceRequest

    def get(self, request, pk):
        evidence_request = self.get_object()
        record_view(events.REQUEST_VIEWED, actor=request.user, target=evidence_request)
        context = {
            "req": evidence_request,
            "transmissions": queries.transmissions_for(request.user, evidence_request),
            "overdue": evidence_request.is_overdue(),
            "section": "judicial",
        }
        return render(request, "judicial/request_detail.html", context)
