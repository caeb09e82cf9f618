"""Workflow routes under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from django.urls import path

from homeward.workflow.api.decisions import ClosureDecisionView, GroupApprovalView
from homeward.workflow.api.views import (
    CaseRequirementsView,
    CaseTransitionsView,
    DeskView,
    StatusChangeFeedView,
)

urlpatterns = [
    path(
        "cases/<uuid:case_pk>/requirements/",
        CaseRequirementsView.as_view(),
        name="case-requirements",
    ),
    path(
        "cases/<uuid:case_pk>/transitions/",
        CaseTransitionsView.as_view(),
        name="case-transitions",
    ),
    path(
        "cases/<uuid:case_pk>/sibling-group/approve/",
        GroupApprovalView.as_view({"post": "create"}),
        name="case-group-approval",
    ),
    path(
        "cases/<uuid:case_pk>/closure/decide/",
        ClosureDecisionView.as_view({"post": "create"}),
        name="case-closure-decision",
    ),
    path("desk/", DeskView.as_view(), name="desk"),
    path("status-changes/", StatusChangeFeedView.as_view(), name="status-changes"),
]
