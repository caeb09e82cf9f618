from django.urls import path

from homeward.matching import views

app_name = "matching"

urlpatterns = [
    path("search/", views.MatchSearchView.as_view(), name="search"),
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/", views.DuplicateDetailView.as_view(), name="duplicate_detail"),
]
