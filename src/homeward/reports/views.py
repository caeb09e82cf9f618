"""Statistics pages under /reports/: the scoped dashboard, the public figures and their files.

The dashboard declares `Case` as its model: every figure is read through the viewer's scope.
The public pages declare `Case` too (the scope matrix needs a model), but what they show is
the same for every reader: suppressed aggregates without facility or case detail.
"""

from collections import defaultdict

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.cases.choices import IN_CUSTODY_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.core.views import ScopedViewMixin
from homeward.reports import charts, queries, services
from homeward.reports.files import CONTENT_TYPES, public_chart, render_public
from homeward.reports.forms import DashboardFilterForm, PublicOptionsForm
from homeward.reports.public import build_public_figures
from homeward.reports.statement import press_statements

PHASES = {
    "registration": gettext_lazy("Registration and profile"),
    "nationality": gettext_lazy("Nationality"),
    "care": gettext_lazy("Care planning and clearance"),
    "ready": gettext_lazy("Approved or scheduled"),
    "side": gettext_lazy("On hold, in proceedings or another side state"),
}
PHASE_OF = {
    CaseStatus.REGISTERED: "registration",
    CaseStatus.PROFILED: "registration",
    CaseStatus.NATIONALITY_CLAIMED: "nationality",
    CaseStatus.HOME_STATE_ENGAGED: "nationality",
    CaseStatus.VERIFICATION: "nationality",
    CaseStatus.NATIONALITY_CONFIRMED: "nationality",
    CaseStatus.CARE_PLANNING: "care",
    CaseStatus.CLEARANCE: "care",
    CaseStatus.APPROVED: "ready",
    CaseStatus.SCHEDULED: "ready",
}


class DashboardView(ScopedViewMixin, View):
    """Every figure of issue 6 §1 for the viewer's scope, with date and home-state filters."""

    model = Case

    def required_capability(self) -> str:
        return cap.VIEW_DASHBOARD

    def get(self, request):
        user = request.user
        form = DashboardFilterForm(request.GET or None, user=user)
        filters = form.filters() if form.is_bound else queries.ReportFilters()
        figures = queries.dashboard(user, filters)
        names = queries.state_names()
        can_see_cases = user.has_capability(cap.VIEW_CASE)
        watchlist = figures["age_watchlist"] if can_see_cases else []
        services.record_dashboard_viewed(
            actor=user,
            query={key: request.GET.getlist(key) for key in sorted(request.GET)},
            case_ids=[row["case"] for row in watchlist],
        )
        context = {
            "form": form,
            "filters": filters,
            "figures": figures,
            "names": names,
            "status_labels": dict(CaseStatus.choices),
            "can_see_cases": can_see_cases,
            "can_see_public": user.has_capability(cap.VIEW_PUBLIC_STATISTICS),
            "watchlist": watchlist,
            "watch_counts": _watch_counts(figures["age_watchlist"]),
            "charts": _charts(figures, names),
            "pending_table": _pending_table(figures["pending_by_stage"]),
            "by_month": _by_month(figures["returns_by_month"]),
            **_adult_figures(user, filters),
            "section": "reports",
        }
        return render(request, "reports/dashboard.html", context)


def _adult_figures(user, filters) -> dict:
    """Issue 10's figures beside the children's: adults still in custody by nationality and
    legal status, releases expected in the next twelve months, and requests for evidence per
    requesting state — each only for a viewer who may see them, in the viewer's scope."""
    from homeward.adults.choices import LegalStatus
    from homeward.adults.queries import pending_by_nationality_and_status, releases_by_month
    from homeward.judicial.queries import request_figures

    wanted = set(filters.home_states)
    found = {}
    if user.has_capability(cap.VIEW_ADULT_CASE):
        pending = pending_by_nationality_and_status(user)
        if wanted:
            pending = [row for row in pending if row[0] in wanted]
        found["adults_pending"] = pending
        found["legal_labels"] = dict(LegalStatus.choices)
        found["releases_by_month"] = releases_by_month(user, home_states=sorted(wanted))
    if user.has_capability(cap.VIEW_EVIDENCE_REQUEST):
        requests = request_figures(user)
        found["evidence_requests"] = [f for f in requests if not wanted or f.home_state in wanted]
    return found


def _watch_counts(rows) -> list[dict]:
    counts = defaultdict(lambda: {"within_30": 0, "within_90": 0, "estimated": 0})
    for row in rows:
        entry = counts[row["threshold"]]
        entry["within_90"] += 1
        entry["within_30"] += row["within_30_days"]
        entry["estimated"] += row["estimated"]
    return [{"threshold": t, **counts[t]} for t in queries.THRESHOLDS]


def _by_month(rows) -> list[tuple[str, int]]:
    """Children returned per month, all nationalities of the filter together."""
    months: dict[str, int] = defaultdict(int)
    for row in rows:
        months[row["month"]] += row["children"]
    return sorted(months.items())


def _pending_table(rows) -> dict:
    """Nationality rows × status columns (only the statuses that occur), with totals."""
    statuses = [s for s in IN_CUSTODY_STATES if any(r["status"] == s for r in rows)]
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        table[row["home_state"]][row["status"]] = row["cases"]
    return {
        "statuses": statuses,
        "rows": [
            (code, [(s, cells.get(s, 0)) for s in statuses], sum(cells.values()))
            for code, cells in sorted(table.items())
        ],
        "column_totals": [(s, sum(table[c].get(s, 0) for c in table)) for s in statuses],
        "total": sum(r["cases"] for r in rows),
    }


def _charts(figures: dict, names: dict) -> dict:
    cumulative = figures["returns_cumulative"]
    by_month = defaultdict(int)
    for row in figures["returns_by_month"]:
        by_month[row["month"]] += row["children"]
    # the chart stacks five phases (distinguishable colours); the table has every status
    stacks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in figures["pending_by_stage"]:
        stacks[PHASE_OF.get(row["status"], "side")][row["home_state"]] += row["cases"]
    groups = sorted({row["home_state"] for row in figures["pending_by_stage"]})
    # eight distinguishable colours: the seven largest nationalities, then the rest together
    series = dict(
        sorted(cumulative["series"].items(), key=lambda item: -(item[1][-1] if item[1] else 0))
    )
    if len(series) > 8:
        codes = list(series)
        rest = [series[code] for code in codes[7:]]
        series = {code: series[code] for code in codes[:7]}
        series["_other"] = [sum(values) for values in zip(*rest, strict=True)]
        names = {**names, "_other": _("Other nationalities")}
    return {
        "cumulative": charts.line_chart(
            _("Children returned, running total by nationality"),
            cumulative["dates"],
            series,
            names,
        ),
        "by_month": charts.bar_chart(
            _("Children returned per month"), list(by_month), list(by_month.values())
        ),
        "by_operation": charts.bar_chart(
            _("Children returned per operation"),
            [row["reference"] for row in figures["returns_by_operation"]],
            [row["children"] for row in figures["returns_by_operation"]],
        ),
        "pending": charts.stacked_bar_chart(
            _("Children still in custody, by nationality and stage"),
            groups,
            {phase: stacks[phase] for phase in PHASES if phase in stacks},
            {phase: str(label) for phase, label in PHASES.items()},
            names,
        ),
    }


class PublicMixin(ScopedViewMixin):
    model = Case

    def required_capability(self) -> str:
        return cap.VIEW_PUBLIC_STATISTICS

    def figures(self):
        form = PublicOptionsForm(self.request.GET or None)
        as_of, threshold = form.options()
        batches = queries.returned_batches(as_of=as_of)
        return form, build_public_figures(batches, as_of=as_of, threshold=threshold)


class PublicStatisticsView(PublicMixin, View):
    """The public figures, the press statement in Arabic and English, and the files."""

    def get(self, request):
        form, figures = self.figures()
        services.record_public_export(
            actor=request.user,
            fmt="html",
            as_of=figures.as_of,
            threshold=figures.threshold,
            viewed=True,
        )
        context = {
            "form": form,
            "figures": figures,
            "statements": press_statements(figures),
            "chart": public_chart(figures),
            "query": request.GET.urlencode(),
            "section": "reports",
        }
        return render(request, "reports/public.html", context)


class PublicFileView(PublicMixin, View):
    """One file of the public figures; `fmt` is fixed per route."""

    fmt = "json"

    def get(self, request):
        _form, figures = self.figures()
        body = render_public(figures, self.fmt)
        services.record_public_export(
            actor=request.user, fmt=self.fmt, as_of=figures.as_of, threshold=figures.threshold
        )
        response = HttpResponse(body, content_type=CONTENT_TYPES[self.fmt])
        name = f"homeward-public-statistics-{figures.as_of.isoformat()}.{self.fmt}"
        disposition = "inline" if self.fmt in ("pdf", "json") else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        response["Content-Language"] = translation.get_language()
        response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
        return response


class PublicCSVView(PublicFileView):
    fmt = "csv"


class PublicXLSXView(PublicFileView):
    fmt = "xlsx"


class PublicJSONView(PublicFileView):
    fmt = "json"


class PublicPDFView(PublicFileView):
    fmt = "pdf"
