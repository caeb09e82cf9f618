"""Every dashboard figure under /api/v1/stats/, and the public figures.

Figures are computed by `reports.queries` within the caller's scope (a consul's answer
counts only its own nationals, totals included); the public figures are the same for
everyone who may read them, suppressed before they leave.
"""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.cases.models import Case
from homeward.reports import queries, services
from homeward.reports.api import serializers as s
from homeward.reports.files import render_public
from homeward.reports.public import build_public_figures
from homeward.security.api import RowScopeAPIMixin

TAGS = ["statistics"]


class FigureView(RowScopeAPIMixin, GenericAPIView):
    """One figure: `figure` names the query, `serializer_class` its rows."""

    queryset = Case.objects.none()  # the figures are about cases (scope matrix)
    permission = cap.VIEW_DASHBOARD
    pagination_class = None
    filter_backends = []
    figure = ""
    many = True

    def get(self, request, *args, **kwargs):
        query = s.FigureQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        rows = queries.figure(self.figure, request.user, query.filters())
        return Response(self.get_serializer(rows, many=self.many).data)


def _figure_view(name: str, serializer, summary: str, description: str, many: bool = True):
    """A FigureView subclass for `name`, with its own `get` so its schema is its own."""

    def get(self, request, *args, **kwargs):
        return FigureView.get(self, request, *args, **kwargs)

    get = extend_schema(
        summary=summary,
        description=description,
        parameters=[s.FigureQuery],
        responses={200: serializer(many=many)},
        tags=TAGS,
        operation_id=f"stats_{name}",
    )(get)
    return type(
        "".join(part.title() for part in name.split("_")) + "View",
        (FigureView,),
        {"figure": name, "serializer_class": serializer, "many": many, "get": get},
    )


FIGURE_VIEWS = {
    "returns_cumulative": _figure_view(
        "returns_cumulative",
        s.ReturnsCumulativeSerializer,
        _("Cumulative children returned by nationality"),
        _("Running totals at each handover date, one series per nationality."),
        many=False,
    ),
    "returns_by_month": _figure_view(
        "returns_by_month",
        s.ReturnsByMonthSerializer,
        _("Children returned per month"),
        _("Children handed over per calendar month and nationality."),
    ),
    "returns_by_operation": _figure_view(
        "returns_by_operation",
        s.ReturnsByOperationSerializer,
        _("Children returned per operation"),
        _("Each operation with its planned and actual counts and children handed over."),
    ),
    "pending_by_stage": _figure_view(
        "pending_by_stage",
        s.PendingByStageSerializer,
        _("Children in custody by nationality and stage"),
        _("Open cases not yet handed over, by current status."),
    ),
    "pending_by_blocker": _figure_view(
        "pending_by_blocker",
        s.PendingByBlockerSerializer,
        _("Children in custody by what blocks them"),
        _("The first unmet requirement of each case's next gate, and who owes it."),
    ),
    "time_in_limbo": _figure_view(
        "time_in_limbo",
        s.TimeInLimboSerializer,
        _("Time in limbo"),
        _("Days held: median, P90 and maximum by nationality and age band."),
    ),
    "stage_cycle_times": _figure_view(
        "stage_cycle_times",
        s.StageCycleTimeSerializer,
        _("Stage cycle times"),
        _("Days spent in each status before the next move, by home state."),
    ),
    "responsiveness": _figure_view(
        "responsiveness",
        s.ResponsivenessRowSerializer,
        _("Home-state responsiveness"),
        _("Notes verbales sent and answered, days to first reply, refusals."),
    ),
    "age_watchlist": _figure_view(
        "age_watchlist",
        s.WatchlistSerializer,
        _("Age-threshold watchlist"),
        _("Children in custody turning 3, 9, 15 or 18 within 90 days."),
    ),
    "juveniles_in_proceedings": _figure_view(
        "juveniles_in_proceedings",
        s.JuvenilesSerializer,
        _("Juveniles in proceedings"),
        _("Children in open proceedings or serving a sentence, by nationality."),
    ),
    "mothers_sentenced": _figure_view(
        "mothers_sentenced",
        s.MothersSerializer,
        _("Children of mothers sentenced to death or life"),
        _("Children in custody whose mother's death or life sentence is in force."),
    ),
    "dna_pipeline": _figure_view(
        "dna_pipeline",
        s.DNAPipelineSerializer,
        _("DNA pipeline"),
        _("Samples, comparisons by laboratory and, for the DNA grant, conclusions."),
        many=False,
    ),
    "follow_up_compliance": _figure_view(
        "follow_up_compliance",
        s.FollowUpSerializer,
        _("Follow-up compliance"),
        _("Follow-up reports due, received and overdue, by home state."),
    ),
}


class PublicStatisticsView(RowScopeAPIMixin, GenericAPIView):
    """The public figures: the same for every reader, suppressed."""

    queryset = Case.objects.none()
    permission = cap.VIEW_PUBLIC_STATISTICS
    serializer_class = s.PublicStatisticsSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=_("Public statistics"),
        description=_(
            "Children returned by month, nationality and operation, with small counts shown "
            "as “<5” and complementary cells as “x” (count null), and the press statement "
            "in Arabic and English."
        ),
        parameters=[s.PublicQuery],
        responses={200: s.PublicStatisticsSerializer},
        tags=TAGS,
        operation_id="stats_public",
    )
    def get(self, request, *args, **kwargs):
        query = s.PublicQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of, threshold = query.options()
        figures = build_public_figures(
            queries.returned_batches(as_of=as_of), as_of=as_of, threshold=threshold
        )
        services.record_public_export(
            actor=request.user, fmt="api", as_of=as_of, threshold=threshold
        )
        return Response(json.loads(render_public(figures, "json")))
