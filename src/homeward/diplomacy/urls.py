"""Diplomacy pages under /diplomacy/."""

from django.urls import path

from homeward.diplomacy import views

app_name = "diplomacy"

urlpatterns = [
    path("states/", views.StateListView.as_view(), name="state_list"),
    path("states/<str:code>/", views.StateDetailView.as_view(), name="state_detail"),
    path("states/<str:code>/pack.pdf", views.MeetingPackView.as_view(), name="meeting_pack"),
    path("states/<str:code>/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
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
]
