"""The "Shared with" tab of a child's record: the disclosure log of that child."""

from django.shortcuts import render
from django.views import View

from homeward.accounts import capabilities
from homeward.audit.services import record_list
from homeward.disclosures import events
from homeward.disclosures.queries import disclosures_for
from homeward.people.views import PersonPageMixin

__all__ = ["SharedWithView"]


class SharedWithView(PersonPageMixin, View):
    """Who received this child's data, what, on which basis, approved by whom. Audited.

    The person is found through the scoped Person queryset (404 out of scope); the tab needs
    `disclosures.view_disclosure` on top (403 without it).
    """

    action = "view"

    def required_capability(self) -> str:
        return capabilities.VIEW_DISCLOSURE

    def get(self, request, pk):
        person = self.get_object()
        case = getattr(person, "case", None) if person.is_child else None
        adult_case = getattr(person, "adult_case", None)
        rows = []
        if case is not None:
            rows = list(disclosures_for(request.user, case=case))
        elif adult_case is not None:
            rows = list(disclosures_for(request.user, adult_case=adult_case))
        record_list(
            events.DISCLOSURES_LISTED,
            actor=request.user,
            ids=[row.pk for row in rows],
            query={"person": str(person.pk)},
            total=len(rows),
        )
        context = {**self.person_context(person), "disclosures": rows, "active_tab": "shared"}
        return render(request, "disclosures/shared_with.html", context)
