"""Finding a child by any spelling: the search page.

An adapter like every page: the scope comes from ScopedViewMixin (model Person, action
view), the matcher searches only `Person.objects.for_user(user)`, and each search is written
to the audit trail with what was asked and which records were shown.
"""

import datetime

from django.shortcuts import render
from django.views.generic import View

from homeward.audit.services import record_list
from homeward.core.views import ScopedViewMixin
from homeward.matching import events
from homeward.matching.engine import age_range, find_candidates, parameters, record_for_query
from homeward.matching.forms import MatchSearchForm
from homeward.people.models import Person

__all__ = ["MatchSearchView"]

RESULT_LIMIT = 20
AUDITED_VALUE_LIMIT = 200


def query_record(data: dict):
    """The matcher's Record for the search form's cleaned data."""
    earliest = latest = None
    if data.get("age") is not None:
        earliest, latest = age_range(data["age"])
    elif data.get("birth_year"):
        earliest = datetime.date(data["birth_year"], 1, 1)
        latest = datetime.date(data["birth_year"], 12, 31)
    return record_for_query(
        names=[data["name"]],
        sex=data.get("sex", ""),
        born_earliest=earliest,
        born_latest=latest,
        mother=[data.get("mother_name", "")],
        father=[data.get("father_name", "")],
    )


class MatchSearchView(ScopedViewMixin, View):
    """Ranked children the user may see who may be the one described, each with its "why"."""

    model = Person
    action = "view"
    template_name = "matching/search.html"

    def get(self, request):
        form = MatchSearchForm(request.GET or None)
        candidates = None
        params = parameters()
        if form.is_bound and form.is_valid():
            candidates = find_candidates(
                request.user,
                query_record(form.cleaned_data),
                limit=RESULT_LIMIT,
                min_score=0.05,
                params=params,
            )
            query = {
                key: str(value)[:AUDITED_VALUE_LIMIT]
                for key, value in form.cleaned_data.items()
                if value
            }
            record_list(
                events.CANDIDATES_LISTED,
                actor=request.user,
                ids=[candidate.person.pk for candidate in candidates],
                query=query,
                total=len(candidates),
            )
        context = {"form": form, "candidates": candidates, "threshold": params.threshold}
        return render(request, self.template_name, context)
