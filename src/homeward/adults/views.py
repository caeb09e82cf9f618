"""Adult cases pages: the list with releases due, and one adult's case. Reads only, audited.

Scope is applied once by ScopedViewMixin / ScopedObjectMixin: a consul's list holds its own
nationals, and another state's adult case answers 404 like a missing one. Court charges are
sealed criminal records, shown only to holders of `evidence.view_criminal_record`.
"""

from django.shortcuts import render
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.adults import events, queries
from homeward.adults.choices import LegalStatus
from homeward.adults.models import AdultCase
from homeward.audit.services import record_list, record_view
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.evidence.models import CourtCase
from homeward.judicial.queries import requests_for


def _months(request) -> int:
    try:
        return min(max(int(request.GET.get("months", "")), 1), 24)
    except ValueError:
        return queries.DEFAULT_RELEASE_HORIZON_MONTHS


class AdultCaseListView(ScopedViewMixin, View):
    """Releases due within N months (with the children's cases), then every adult case."""

    model = AdultCase

    def get(self, request):
        months = _months(request)
        due = queries.releases_due(request.user, months=months)
        cases = list(queries.adult_cases_for(request.user).order_by("reference")[:200])
        record_list(
            events.ADULT_CASES_LISTED,
            actor=request.user,
            ids=[case.pk for case in cases],
            query={"months": months},
            total=len(cases),
        )
        context = {
            "months": months,
            "due": due,
            "cases": cases,
            "pending": [
                (code, LegalStatus(status).label, n)
                for code, status, n in queries.pending_by_nationality_and_status(request.user)
            ],
            "section": "adults",
        }
        return render(request, "adults/adult_case_list.html", context)


class AdultCaseDetailView(ScopedObjectMixin, View):
    model = AdultCase

    def get(self, request, pk):
        user = request.user
        adult = self.get_object()
        record_view(events.ADULT_CASE_VIEWED, actor=user, target=adult)
        court_cases = CourtCase.objects.for_user(user, "view").filter(defendant=adult.person)
        visits = []
        if user.has_capability(cap.VIEW_CONSULAR_VISIT):
            visits = list(queries.consular_visits_for(user, adult))
        evidence_requests = []
        if user.has_capability(cap.VIEW_EVIDENCE_REQUEST):
            evidence_requests = list(requests_for(user).filter(subject=adult.person))
        context = {
            "adult": adult,
            "history": adult.status_changes.select_related("recorded_by"),
            "children": queries.children_cases(user, [adult])[adult.pk],
            "court_cases": court_cases.prefetch_related("sentences"),
            "show_charges": user.has_capability(cap.VIEW_CRIMINAL_RECORD),
            "missing": adult.missing_for_return(),
            "visits": visits,
            "evidence_requests": evidence_requests,
            "section": "adults",
        }
        return render(request, "adults/adult_case_detail.html", context)
