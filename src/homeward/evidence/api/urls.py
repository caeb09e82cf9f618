"""Evidence routes under /api/v1/ (names live in the "api" namespace of core.api.urls)."""

from rest_framework.routers import SimpleRouter

from homeward.evidence.api import views

router = SimpleRouter()
router.register("nationality-claims", views.NationalityClaimViewSet, basename="nationalityclaim")
router.register(
    "nationality-determinations",
    views.NationalityDeterminationViewSet,
    basename="nationalitydetermination",
)
router.register("dna-samples", views.DNASampleViewSet, basename="dnasample")
router.register("dna-comparisons", views.DNAComparisonViewSet, basename="dnacomparison")
router.register("consents", views.ConsentViewSet, basename="consent")
router.register("guardians", views.GuardianCandidateViewSet, basename="guardiancandidate")
router.register("assurances", views.AssuranceViewSet, basename="assurance")
router.register(
    "best-interests-assessments",
    views.BestInterestsAssessmentViewSet,
    basename="bestinterestsassessment",
)
router.register("clearances", views.ClearanceViewSet, basename="clearance")
router.register("travel-documents", views.TravelDocumentViewSet, basename="traveldocument")
router.register("exit-authorizations", views.ExitAuthorizationViewSet, basename="exitauthorization")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("court-cases", views.CourtCaseViewSet, basename="courtcase")

urlpatterns = router.urls
