"""A case's file as one JSON document: everything about the case that the requester may see.

Each section is read through the API viewset that serves it, with the requester's request,
so scope, capabilities and sealing are exactly those of the API: a section the requester has
no capability for is left out (and named in `omitted`), sealed results stay sealed unless the
requester holds the grant, relatives and documents are narrowed to the requester's scope.
"""

from django.utils import timezone

from homeward.attachments.api.views import AttachmentViewSet
from homeward.cases.api.serializers import CaseSerializer
from homeward.cases.models import Case
from homeward.disclosures.api.views import DisclosureViewSet
from homeward.evidence.api import views as evidence
from homeward.people.api.serializers import PersonDetailSerializer
from homeward.people.models import Person
from homeward.workflow.api.serializers import TransitionSerializer
from homeward.workflow.models import CaseTransition

__all__ = ["SECTIONS", "case_file"]

# section -> (viewset, lookup from the case), in the order of the file
SECTIONS = {
    "nationality_claims": (evidence.NationalityClaimViewSet, "case"),
    "nationality_determinations": (evidence.NationalityDeterminationViewSet, "case"),
    "dna_samples": (evidence.DNASampleViewSet, "case"),
    "dna_comparisons": (evidence.DNAComparisonViewSet, "case"),
    "consents": (evidence.ConsentViewSet, "case"),
    "guardians": (evidence.GuardianCandidateViewSet, "case"),
    "assurances": (evidence.AssuranceViewSet, "case"),
    "best_interests_assessments": (evidence.BestInterestsAssessmentViewSet, "case"),
    "clearances": (evidence.ClearanceViewSet, "case"),
    "travel_documents": (evidence.TravelDocumentViewSet, "case"),
    "exit_authorizations": (evidence.ExitAuthorizationViewSet, "case"),
    "incidents": (evidence.IncidentViewSet, "case"),
    "documents": (AttachmentViewSet, "person"),
    "disclosures": (DisclosureViewSet, "case"),
}


def _section(request, viewset_class, lookup: dict):
    view = viewset_class(request=request, action="list", format_kwarg=None, kwargs={})
    if not request.user.has_capability(view.permission):
        return None
    rows = view.get_queryset().filter(**lookup)
    serializer = view.get_serializer_class()(rows, many=True, context=view.get_serializer_context())
    return serializer.data


def case_file(request, case: Case) -> dict:
    """The file of `case` as the requester of `request` may see it (the case is in scope)."""
    context = {"request": request}
    document = {
        "format": "homeward.case_file/1",
        "generated_at": timezone.now().isoformat(),
        "case": CaseSerializer(case, context=context).data,
        "child": None,
        "history": [],
        "omitted": [],
    }
    child = Person.objects.for_user(request.user, "view").filter(pk=case.child_id).first()
    if child is not None:
        document["child"] = PersonDetailSerializer(child, context=context).data
    else:
        document["omitted"].append("child")
    transitions = CaseTransition.objects.filter(case=case).select_related("actor", "policy")
    document["history"] = TransitionSerializer(
        transitions.order_by("at", "id"), many=True, context=context
    ).data
    for name, (viewset_class, field) in SECTIONS.items():
        lookup = {field: case if field == "case" else case.child_id}
        data = _section(request, viewset_class, lookup)
        if data is None:
            document["omitted"].append(name)
        else:
            document[name] = data
    return document
