"""Workflow pages: the desk, the closure decision, and one route per transition (workflow.steps)."""

from django.urls import path

from homeward.workflow import views

app_name = "workflow"

urlpatterns = [
    path("desk/", views.DeskView.as_view(), name="desk"),
    path(
        "cases/<uuid:pk>/approve-group/",
        views.GroupApprovalView.as_view(),
        name="approve_group",
    ),
    path(
        "cases/<uuid:pk>/closure/decide/",
        views.ClosureDecisionView.as_view(),
        name="closure_decide",
    ),
    *[
        path(f"cases/<uuid:pk>/{slug.replace('_', '-')}/", view.as_view(), name=slug)
        for slug, view in views.TRANSITION_VIEWS.items()
    ],
]
