"""Document pages under /attachments/ (namespace "attachments")."""

from django.urls import path

from homeward.attachments import views

app_name = "attachments"

urlpatterns = [
    path("new/<uuid:person_pk>/", views.AttachmentCreateView.as_view(), name="attachment_create"),
    path("<uuid:pk>/download/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("<uuid:pk>/withdraw/", views.AttachmentWithdrawView.as_view(), name="attachment_withdraw"),
]
