from django.urls import path

from homeward.audit.views import AccessHistoryView
from homeward.disclosures.views import SharedWithView
from homeward.people import views

app_name = "people"

urlpatterns = [
    path("children/", views.ChildListView.as_view(), name="child_list"),
    path("children/new/", views.ChildCreateView.as_view(), name="child_create"),
    path("lookup/", views.PersonLookupView.as_view(), name="lookup"),
    path("<uuid:pk>/reveal-name/", views.RevealNameView.as_view(), name="reveal_name"),
    path("<uuid:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<uuid:pk>/access/", AccessHistoryView.as_view(), name="access_history"),
    path("<uuid:pk>/shared/", SharedWithView.as_view(), name="shared_with"),
    path("<uuid:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("<uuid:pk>/names/new/", views.NameCreateView.as_view(), name="name_create"),
    path("<uuid:pk>/relatives/new/", views.RelativeCreateView.as_view(), name="relative_create"),
    path("<uuid:pk>/custody/new/", views.CustodyCreateView.as_view(), name="custody_create"),
]
