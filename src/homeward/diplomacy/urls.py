"""Diplomacy pages under /diplomacy/."""

from django.urls import path

from homeward.diplomacy import views

app_name = "diplomacy"

urlpatterns = [
    path("states/", views.StateListView.as_view(), name="state_list"),
    path("states/download/", views.StateListDownloadView.as_view(), name="state_list_download"),
    path("states/<str:code>/", views.StateDetailView.as_view(), name="state_detail"),
    path("states/<str:code>/pack.pdf", views.MeetingPackView.as_view(), name="meeting_pack"),
    path("states/<str:code>/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path(
        "states/<str:code>/focal-points/new/",
        views.FocalPointCreateView.as_view(),
        name="focal_point_create",
    ),
    path("states/<str:code>/policy/new/", views.PolicyPublishView.as_view(), name="policy_publish"),
    path(
        "focal-points/<int:pk>/edit/", views.FocalPointEditView.as_view(), name="focal_point_edit"
    ),
    path(
        "engagements/<uuid:pk>/documents/new/",
        views.EngagementDocumentView.as_view(),
        name="engagement_document",
    ),
    path("engagements/new/", views.EngagementCreateView.as_view(), name="engagement_create"),
    path("engagements/<uuid:pk>/", views.EngagementDetailView.as_view(), name="engagement_detail"),
    path("engagements/<uuid:pk>/reply/", views.ReplyCreateView.as_view(), name="reply_create"),
    path(
        "engagements/<uuid:pk>/action-items/new/",
        views.ActionItemCreateView.as_view(),
        name="action_item_create",
    ),
    path(
        "action-items/<uuid:pk>/done/",
        views.ActionItemCompleteView.as_view(),
        name="action_item_complete",
    ),
    path(
        "action-items/<uuid:pk>/cancel/",
        views.ActionItemCancelView.as_view(),
        name="action_item_cancel",
    ),
]
