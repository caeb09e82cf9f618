from django.urls import path

from homeward.matching import views

app_name = "matching"

urlpatterns = [
    path("search/", views.MatchSearchView.as_view(), name="search"),
]
