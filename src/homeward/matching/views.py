"""Finding a child by any spelling: the search page.

An adapter like every page: the scope comes from ScopedViewMixin (model Person, action
view), the matcher searches only `Person.objects.for_user(user)`, and each search is written
to the audit trail with what was asked and which records were shown.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.audit.services import record_list, record_view, without_names
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.matching import events, services
from homeward.matching.duplicates import comparisons_from
from homeward.matching.engine import (
    Candidate,
    age_range,
    find_candidates,
    parameters,
    record_for_query,
)
from homeward.matching.forms import (
    DuplicateDecisionForm,
    MatchSearchForm,
    TracingCloseForm,
    TracingDecisionForm,
    TracingEditForm,
    TracingRequestForm,
)
from homeward.matching.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    TracingMatch,
    TracingMatchStatus,
    TracingRequest,
    TracingRole,
    TracingStatus,
)
from homeward.people.choices import RelationshipType
from homeward.people.models import Person

__all__ = [
    "DuplicateDetailView",
    "DuplicateListView",
    "MatchSearchView",
    "TracingCreateView",
    "TracingDetailView",
    "TracingEditView",
    "TracingListView",
]

RESULT_LIMIT = 20
AUDITED_VALUE_LIMIT = 200
# the search form's fields that carry a typed name: the audit trail keeps only that one was given
NAME_FIELDS = ("name", "mother_name", "father_name")


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
        # Search terms (names) never come from a query string (G22): the form POSTs.
        return self.search(request, MatchSearchForm())

    def post(self, request):
        return self.search(request, MatchSearchForm(request.POST))

    def search(self, request, form):
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
            query = without_names(
                {
                    key: str(value)[:AUDITED_VALUE_LIMIT]
                    for key, value in form.cleaned_data.items()
                    if value
                },
                NAME_FIELDS,
            )
            record_list(
                events.CANDIDATES_LISTED,
                actor=request.user,
                ids=[candidate.person.pk for candidate in candidates],
                query=query,
                total=len(candidates),
            )
        context = {"form": form, "candidates": candidates, "threshold": params.threshold}
        return render(request, self.template_name, context)


# -- duplicate review ---------------------------------------------------------------------------

LIST_LIMIT = 100


def _pairs(user):
    return DuplicateCandidate.objects.for_user(user, "view").select_related(
        "left__case", "right__case", "reviewed_by"
    )


class DuplicateListView(ScopedViewMixin, View):
    """Pairs the batch job proposed, both of whose records the reviewer may see."""

    model = DuplicateCandidate
    action = "view"
    template_name = "matching/duplicates.html"

    def get(self, request):
        status = request.GET.get("status") or DuplicateStatus.PROPOSED
        if status not in DuplicateStatus.values:
            status = DuplicateStatus.PROPOSED
        pairs = list(
            _pairs(request.user)
            .filter(status=status)
            .prefetch_related("left__names", "right__names")[:LIST_LIMIT]
        )
        record_list(
            events.DUPLICATES_LISTED,
            actor=request.user,
            ids=[pk for pair in pairs for pk in (pair.left_id, pair.right_id)],
            query={"status": status},
            total=len(pairs),
        )
        context = {"pairs": pairs, "status": status, "statuses": DuplicateStatus.choices}
        return render(request, self.template_name, context)


class DuplicateDetailView(ScopedObjectMixin, View):
    """Both records side by side with the matcher's reasons; confirm, reject, merge, undo.

    Reading needs the people view capability; deciding (any POST) needs the change one.
    """

    model = DuplicateCandidate
    action = "view"
    template_name = "matching/duplicate_detail.html"

    def required_capability(self) -> str:
        request = getattr(self, "request", None)
        self.action = "change" if request is not None and request.method == "POST" else "view"
        return super().required_capability()

    def get_queryset(self):
        return _pairs(self.request.user)

    def get(self, request, pk):
        pair = self.get_object()
        record_view(events.DUPLICATE_VIEWED, actor=request.user, target=pair)
        return self.render_page(pair, DuplicateDecisionForm())

    def render_page(self, pair, form, status=200):
        merges = MergeRecord.objects.for_user(self.request.user, "view").filter(candidate=pair)
        candidate = Candidate(
            person=pair.right, score=pair.score, comparisons=comparisons_from(pair.explanation)
        )
        context = {
            "pair": pair,
            "candidate": candidate,
            "sides": [pair.left, pair.right],
            "merges": list(merges.select_related("performed_by", "undone_by")),
            "form": form,
            "threshold": parameters().threshold,
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        pair = self.get_object()
        form = DuplicateDecisionForm(request.POST)
        if not form.is_valid():
            return self.render_page(pair, form, status=400)
        data = form.cleaned_data
        try:
            message = self.perform(pair, data)
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.render_page(pair, form, status=400)
        messages.success(request, message)
        return redirect("matching:duplicate_detail", pk=pair.pk)

    def perform(self, pair, data) -> str:
        user, action = self.request.user, data["action"]
        if action in ("confirm", "reject"):
            services.decide_duplicate(pair, actor=user, confirmed=action == "confirm")
            return _("The decision was recorded.")
        if action == "merge":
            survivor, duplicate = (
                (pair.left, pair.right) if data["survivor"] == "left" else (pair.right, pair.left)
            )
            services.merge_people(
                survivor, duplicate, actor=user, reason=data["reason"], candidate=pair
            )
            return _("The records were merged.")
        merge = (
            MergeRecord.objects.for_user(user, "change")
            .filter(candidate=pair, undone_at__isnull=True)
            .first()
        )
        if merge is None:
            raise ValidationError(_("There is no merge of these records to undo."))
        services.unmerge_people(merge, actor=user, reason=data["reason"])
        return _("The merge was undone.")


# -- tracing requests ---------------------------------------------------------------------------


class TracingListView(ScopedViewMixin, View):
    """The tracing requests the user may see, by status, with how many candidates wait."""

    model = TracingRequest
    action = "view"
    template_name = "matching/tracing_list.html"

    def get(self, request):
        status = request.GET.get("status") or TracingStatus.OPEN
        if status not in TracingStatus.values:
            status = TracingStatus.OPEN
        visible_matches = TracingMatch.objects.for_user(request.user, "view").filter(
            status=TracingMatchStatus.PROPOSED
        )
        rows = list(
            self.get_queryset()
            .filter(status=status)
            .select_related("home_state")
            .annotate(
                waiting=Count(
                    "matches", filter=Q(matches__in=visible_matches.values("pk")), distinct=True
                )
            )[:LIST_LIMIT]
        )
        record_list(
            events.TRACING_LISTED,
            actor=request.user,
            ids=[row.pk for row in rows],
            query={"status": status},
            total=len(rows),
        )
        context = {
            "requests": rows,
            "status": status,
            "statuses": TracingStatus.choices,
            "can_file": request.user.has_capability(cap.ADD_TRACING),
        }
        return render(request, self.template_name, context)


class TracingCreateView(ScopedViewMixin, View):
    """File a relative's request; the candidates are proposed as it is saved."""

    model = TracingRequest
    action = "add"
    template_name = "matching/tracing_form.html"

    def get(self, request):
        return self.render_form(TracingRequestForm(user=request.user))

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def post(self, request):
        form = TracingRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            created = services.create_tracing_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_error(form, exc)
            return self.render_form(form, status=400)
        messages.success(request, _("The request was filed."))
        return redirect("matching:tracing_detail", pk=created.pk)


class TracingEditView(ScopedObjectMixin, View):
    """Correct a request as filed: whoever may file may edit, within the same scope.

    The page needs the filing capability; a request outside the user's scope answers 404
    like a missing one. Changed names look for candidates again (see the service).
    """

    model = TracingRequest
    action = "add"
    template_name = "matching/tracing_form.html"

    def get(self, request, pk):
        tracing = self.get_object()
        form = TracingEditForm(initial=TracingEditForm.initial_for(tracing), user=request.user)
        return self.render_form(form, tracing)

    def render_form(self, form, tracing, status=200):
        context = {"form": form, "tracing": tracing}
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        tracing = self.get_object()
        form = TracingEditForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form, tracing, status=400)
        data = dict(form.cleaned_data)
        version = data.pop("expected_version")
        try:
            services.update_tracing_request(
                tracing, actor=request.user, expected_version=version, **data
            )
        except (ValidationError, StaleEditError) as exc:
            apply_service_error(form, exc)
            return self.render_form(form, tracing, status=400)
        messages.success(request, _("The request was saved."))
        return redirect("matching:tracing_detail", pk=tracing.pk)


class TracingDetailView(ScopedObjectMixin, View):
    """The request as the relative described it, and the ranked candidates with their "why".

    Reading needs the tracing view capability; deciding, refreshing and closing (any POST)
    need the change one. Candidates are those the reader may see: a consul never sees a
    child of another state proposed for their state's request.
    """

    model = TracingRequest
    action = "view"
    template_name = "matching/tracing_detail.html"

    def required_capability(self) -> str:
        request = getattr(self, "request", None)
        self.action = "change" if request is not None and request.method == "POST" else "view"
        return super().required_capability()

    def get(self, request, pk):
        tracing = self.get_object()
        record_view(events.TRACING_VIEWED, actor=request.user, target=tracing)
        return self.render_page(tracing)

    def render_page(self, tracing, decision_form=None, close_form=None, status=200):
        user = self.request.user
        matches = (
            TracingMatch.objects.for_user(user, "view")
            .filter(request=tracing)
            .select_related("person__case", "reviewed_by", "guardian", "claim")
            .prefetch_related("person__names")
        )
        groups = []
        for role, label in TracingRole.choices:
            items = [
                (
                    match,
                    Candidate(
                        person=match.person,
                        score=match.score,
                        comparisons=comparisons_from(match.explanation),
                    ),
                )
                for match in matches
                if match.role == role
            ]
            groups.append((label, items))
        context = {
            "tracing": tracing,
            "groups": groups,
            "threshold": parameters().threshold,
            "can_review": user.has_capability(cap.REVIEW_TRACING),
            "can_edit": user.has_capability(cap.ADD_TRACING),
            "can_guardian": user.has_capability(cap.ADD_GUARDIAN),
            "can_claim": user.has_capability(cap.ADD_NATIONALITY_CLAIM),
            "decision_form": decision_form,
            "close_form": close_form or TracingCloseForm(),
            "relationship_label": RelationshipType(tracing.requester_relationship).label,
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        tracing = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "refresh":
                found = services.refresh_tracing_matches(tracing, actor=request.user)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d new candidate proposed.",
                        "%(count)d new candidates proposed.",
                        len(found),
                    )
                    % {"count": len(found)},
                )
            elif action == "close":
                form = TracingCloseForm(request.POST)
                if not form.is_valid():
                    return self.render_page(tracing, close_form=form, status=400)
                services.close_tracing_request(
                    tracing, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The request was closed."))
            else:
                form = TracingDecisionForm(request.POST)
                if not form.is_valid():
                    return self.render_page(tracing, decision_form=form, status=400)
                data = form.cleaned_data
                match = (
                    TracingMatch.objects.for_user(request.user, "change")
                    .filter(request=tracing, pk=data["match"])
                    .first()
                )
                if match is None:
                    raise Http404(_("No such record."))
                services.decide_tracing_match(
                    match,
                    actor=request.user,
                    confirmed=data["decision"] == "confirm",
                    link_guardian=data["link_guardian"],
                    open_claim=data["open_claim"],
                )
                messages.success(request, _("The decision was recorded."))
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        except PermissionDenied:
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="rule"
            )
            raise
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return self.render_page(tracing, status=400)
        return redirect("matching:tracing_detail", pk=tracing.pk)
