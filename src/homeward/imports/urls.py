"""Import pages under /imports/."""

from django.urls import path

from homeward.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("upload/", views.ImportUploadView.as_view(), name="upload"),
    path("template/", views.ImportTemplateView.as_view(), name="template"),
    path("<uuid:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<uuid:pk>/progress/", views.ImportProgressView.as_view(), name="progress"),
    path("<uuid:pk>/commit/", views.ImportCommitView.as_view(), name="commit"),
    path("<uuid:pk>/options/", views.ImportOptionsView.as_view(), name="options"),
    path("<uuid:pk>/file/", views.ImportFileView.as_view(), name="file"),
]
