"""Operations pages under /operations/."""

from django.urls import path

from homeward.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.OperationListView.as_view(), name="operation_list"),
    path("new/", views.OperationCreateView.as_view(), name="operation_create"),
    path("<uuid:pk>/", views.OperationDetailView.as_view(), name="operation_detail"),
    path("<uuid:pk>/edit/", views.OperationEditView.as_view(), name="operation_edit"),
    path("<uuid:pk>/manifest.pdf", views.ManifestPdfView.as_view(), name="manifest_pdf"),
    *[
        path(f"<uuid:pk>/{step}/", view.as_view(), name=f"operation_{step}")
        for step, view in views.STEP_VIEWS.items()
    ],
    path("<uuid:pk>/manifest/plan/", views.ManifestPlanView.as_view(), name="manifest_plan"),
    path("<uuid:pk>/handover/", views.HandoverDayView.as_view(), name="handover_day"),
    path("<uuid:pk>/reconcile/", views.ReconcileView.as_view(), name="reconcile"),
    path("entries/<uuid:pk>/remove/", views.EntryRemoveView.as_view(), name="entry_remove"),
    path("entries/<uuid:pk>/confirm/", views.EntryConfirmView.as_view(), name="entry_confirm"),
    path("entries/<uuid:pk>/handover/", views.EntryHandoverView.as_view(), name="entry_handover"),
    path(
        "entries/<uuid:pk>/handover.pdf",
        views.HandoverRecordPdfView.as_view(),
        name="handover_record_pdf",
    ),
    path("cases/<uuid:pk>/arrival/", views.ArrivalView.as_view(), name="arrival_confirm"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path(
        "follow-ups/<uuid:pk>/receive/",
        views.FollowUpReceiveView.as_view(),
        name="follow_up_receive",
    ),
]
