"""Evidence pages: one form per evidence service, each about one case (`<uuid:pk>` is the case)."""

from django.urls import path

from homeward.evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<uuid:pk>/claims/new/", views.ClaimCreateView.as_view(), name="claim_create"),
    path("cases/<uuid:pk>/claims/notify/", views.ClaimNotifyView.as_view(), name="claim_notify"),
    path(
        "cases/<uuid:pk>/claims/acknowledge/",
        views.ClaimAcknowledgeView.as_view(),
        name="claim_acknowledge",
    ),
    path(
        "cases/<uuid:pk>/determinations/new/",
        views.DeterminationCreateView.as_view(),
        name="determination_create",
    ),
    path(
        "cases/<uuid:pk>/dna/samples/new/",
        views.DNASampleCreateView.as_view(),
        name="dna_sample_create",
    ),
    path(
        "cases/<uuid:pk>/dna/comparisons/new/",
        views.DNAComparisonCreateView.as_view(),
        name="dna_comparison_create",
    ),
    path("cases/<uuid:pk>/consents/new/", views.ConsentCreateView.as_view(), name="consent_create"),
    path(
        "cases/<uuid:pk>/consents/substitute/",
        views.ConsentSubstituteView.as_view(),
        name="consent_substitute",
    ),
    path(
        "cases/<uuid:pk>/guardians/new/", views.GuardianCreateView.as_view(), name="guardian_create"
    ),
    path("cases/<uuid:pk>/guardians/vet/", views.GuardianVetView.as_view(), name="guardian_vet"),
    path(
        "cases/<uuid:pk>/assurances/new/",
        views.AssuranceCreateView.as_view(),
        name="assurance_create",
    ),
    path("cases/<uuid:pk>/assessments/new/", views.BIACreateView.as_view(), name="bia_create"),
    path(
        "cases/<uuid:pk>/clearances/request/",
        views.ClearanceRequestView.as_view(),
        name="clearance_request",
    ),
    *[
        path(
            f"cases/<uuid:pk>/clearances/{kind}/decide/",
            view.as_view(),
            name=f"clearance_decide_{kind}",
        )
        for kind, view in views.CLEARANCE_DECIDE_VIEWS.items()
    ],
    path(
        "cases/<uuid:pk>/travel-documents/new/",
        views.TravelDocumentCreateView.as_view(),
        name="travel_document_create",
    ),
    path(
        "cases/<uuid:pk>/exit-authorisations/new/",
        views.ExitAuthorizationCreateView.as_view(),
        name="exit_authorization_create",
    ),
    path(
        "cases/<uuid:pk>/court-cases/new/",
        views.CourtCaseCreateView.as_view(),
        name="court_case_create",
    ),
    path(
        "cases/<uuid:pk>/incidents/new/", views.IncidentCreateView.as_view(), name="incident_create"
    ),
]
