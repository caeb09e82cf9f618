from django.urls import path

from homeward.matching import views

app_name = "matching"

urlpatterns = [
    path("search/", views.MatchSearchView.as_view(), name="search"),
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/", views.DuplicateDetailView.as_view(), name="duplicate_detail"),
    path("tracing/", views.TracingListView.as_view(), name="tracing_list"),
    path("tracing/new/", views.TracingCreateView.as_view(), name="tracing_create"),
    path("tracing/<int:pk>/", views.TracingDetailView.as_view(), name="tracing_detail"),
    path("tracing/<int:pk>/edit/", views.TracingEditView.as_view(), name="tracing_edit"),
]
