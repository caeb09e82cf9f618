"""People pages: the children list, a person's record, and the forms that change it.

Each view is an adapter: it finds the record through the scoped queryset (ScopedViewMixin /
ScopedObjectMixin: 403 without the capability, 404 out of scope), lets a form validate the
input, calls one service from `people.services`, and redirects. Service errors go back onto
the form; nothing is written by a view itself. Reads of personal data are audited here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, View

from homeward.accounts import capabilities
from homeward.attachments.queries import attachments_for
from homeward.audit.queries import event_label, person_timeline
from homeward.audit.services import record_list, record_view, without_names
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.forms import apply_service_error
from homeward.core.models import HomeState
from homeward.core.searches import load_search, save_search
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.matching import events as matching_events
from homeward.matching.engine import possible_duplicates
from homeward.people import events, services
from homeward.people.choices import LANGUAGES, PersonKind
from homeward.people.forms import (
    ChildListFilterSet,
    ChildRegistrationForm,
    CustodyMoveForm,
    LinkRelativeForm,
    NameForm,
    NameFormSet,
    PersonEditForm,
)
from homeward.people.models import CustodyEpisode, Person
from homeward.people.queries import (
    children_for,
    current_episode,
    find_people,
    relatives_visible_to,
)
from homeward.workflow.panel import case_progress

__all__ = [
    "ChildCreateView",
    "ChildListView",
    "CustodyCreateView",
    "NameCreateView",
    "PersonDetailView",
    "PersonEditView",
    "PersonLookupView",
    "RelativeCreateView",
    "RevealNameView",
]

SERVICE_ERRORS = (ValidationError, StaleEditError, OutOfScopeError)
LANGUAGE_LABELS = dict(LANGUAGES)
PAGE_SIZE = 50
AUDITED_QUERY_VALUE_LIMIT = 200
# search terms that carry a typed name: the audit trail keeps only that one was given
NAME_TERMS = ("q",)


def _isolated(text) -> str:
    """`text` in a bidi isolate, so a reference or a Latin name keeps its order in Arabic."""
    return f"\u2068{text}\u2069"


def _is_partial(request) -> bool:
    """An htmx request for a fragment (a history restore wants the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# Search terms that may hold a name: never read from a query string (G22).
NAME_TERMS = ("q",)


def _audited_query(terms: dict) -> dict:
    """The search as the audit trail keeps it: a typed name only as given (NAME_GIVEN)."""
    kept = {key: str(value)[:AUDITED_QUERY_VALUE_LIMIT] for key, value in terms.items() if value}
    return without_names(kept, NAME_TERMS)


class ChildListView(ScopedViewMixin, View):
    """Search and filter the children the user may see. htmx asks for the results only.

    The search form POSTs (a name must not travel in a URL); the terms are saved in the
    session and the page is reached again as `?s=<id>` (see core.searches). A plain GET may
    carry only the non-name filters (home state, status, ...); a `q` in it is ignored.
    """

    model = Person
    action = "view"

    def get(self, request):
        search_id = request.GET.get("s", "")
        terms = load_search(request, "children", search_id) if search_id else None
        if terms is None:
            terms = {
                key: value
                for key, value in request.GET.items()
                if key not in NAME_TERMS and key not in ("s", "page")
            }
        query = request.GET.copy()
        query.pop("page", None)
        return self.render_results(request, terms, export_query=query.urlencode())

    def post(self, request):
        fields = ChildListFilterSet.base_filters
        terms = {key: value for key, value in request.POST.items() if key in fields and value}
        search_id = save_search(request, "children", terms)
        url = f"{reverse('people:child_list')}?s={search_id}"
        if not _is_partial(request):
            return redirect(url)
        response = self.render_results(request, terms, export_query=f"s={search_id}")
        response["HX-Push-Url"] = url
        return response

    def render_results(self, request, terms: dict, export_query: str = ""):
        """The page (or its results); `export_query` carries this search to the Export button."""
        filterset = ChildListFilterSet(
            terms or None, queryset=children_for(request.user), request=request
        )
        paginator = Paginator(filterset.qs, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        rows = [(person, current_episode(person)) for person in page.object_list]
        record_list(
            events.PEOPLE_LISTED,
            actor=request.user,
            ids=[person.pk for person, _episode in rows],
            query=_audited_query(terms),
            total=paginator.count,
        )
        context = {
            "filterset": filterset,
            "page_obj": page,
            "rows": rows,
            "total": paginator.count,
            "export_query": export_query,
        }
        template = (
            "people/_child_results.html" if _is_partial(request) else "people/child_list.html"
        )
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PersonLookupView(ScopedViewMixin, View):
    """Autocomplete for the relative picker: visible people by name or case reference.

    The term comes in a POST body (htmx); a GET shows the empty picker whatever it carries.
    """

    model = Person
    action = "view"

    def get(self, request):
        return render(request, "people/_lookup_results.html", {"people": None, "query": ""})

    def post(self, request):
        query = request.POST.get("relative_q", request.POST.get("q", ""))[:100].strip()
        people = find_people(request.user, query, exclude_pk=request.POST.get("exclude"))
        if people is not None:
            record_list(
                events.PEOPLE_LISTED,
                actor=request.user,
                ids=[person.pk for person in people],
                query=without_names({"lookup": query}, ["lookup"]),
                total=len(people),
            )
        return render(request, "people/_lookup_results.html", {"people": people, "query": query})


class PersonPageMixin(ScopedObjectMixin):
    """A page about one person, found through the scoped Person queryset."""

    model = Person

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("case", "case__home_state", "case__owner", "place_of_birth_country")
            .prefetch_related("names")
        )

    def person_context(self, person: Person) -> dict:
        return {
            "person": person,
            "case": getattr(person, "case", None) if person.is_child else None,
        }


def merged_survivor(user, pk, hops: int = 10) -> Person | None:
    """The record a merged-away `pk` now lives in, when `user` may see both; else None.

    Follows chains (A merged into B, B into C); undoing a merge clears `merged_into`, so
    the old address opens the record itself again.
    """
    visible = Person.objects.for_user(user, "view", include_merged=True)
    current = pk
    for _hop in range(hops):
        target = visible.filter(pk=current).values_list("merged_into", flat=True).first()
        if target is None:
            break
        current = target
    if current == pk:
        return None
    return Person.objects.for_user(user, "view").filter(pk=current).first()


class PersonDetailView(PersonPageMixin, DetailView):
    """A child's or an adult's record. Every opening is written to the audit trail."""

    action = "view"
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get(self, request, *args, **kwargs):
        survivor = merged_survivor(request.user, kwargs["pk"])
        if survivor is not None:
            messages.info(
                request,
                _("The record you opened was merged into this one, which holds its history."),
            )
            return redirect("people:person_detail", pk=survivor.pk)
        response = super().get(request, *args, **kwargs)
        record_view(events.PERSON_VIEWED, actor=request.user, target=self.object)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context.update(self.person_context(person))
        context.update(
            names=list(person.names.all()),
            languages=[LANGUAGE_LABELS.get(code, code) for code in person.languages or []],
            relatives=relatives_visible_to(person, user),
            episodes=self._custody_history(person) if person.is_child else [],
            timeline=[(event, event_label(event.event_type)) for event in person_timeline(person)],
            attachments=attachments_for(person, user),
            progress=case_progress(context["case"], user) if context["case"] else None,
            active_tab="record",
        )
        return context

    def _custody_history(self, person: Person) -> list[tuple[CustodyEpisode, Person | None]]:
        """Episodes with the accompanying adult, shown only when the viewer may see them."""
        episodes = list(
            CustodyEpisode.objects.for_user(self.request.user, "view")
            .filter(child=person)
            .select_related("facility", "recorded_by")
        )
        adult_ids = {episode.with_person_id for episode in episodes if episode.with_person_id}
        visible = (
            Person.objects.for_user(self.request.user, "view")
            .filter(pk__in=adult_ids)
            .prefetch_related("names")
        )
        adults = {adult.pk: adult for adult in visible}
        return [(episode, adults.get(episode.with_person_id)) for episode in episodes]


class RevealNameView(PersonPageMixin, View):
    """A list row's "Reveal": the full name of this one person, as an audited read.

    POST only (it writes an audit event, so it must not be prefetched or replayed from a
    link). Scoped like the record page: out of scope is a 404 like a missing record.
    """

    action = "view"

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        person = self.get_object()
        names = services.reveal_name(person, actor=request.user)
        context = {"person": person, "other_names": names[1:]}
        return render(request, "people/_revealed_name.html", context)


class PersonFormView(PersonPageMixin, View):
    """GET shows the form; POST validates and calls `perform`. Errors re-render, write nothing."""

    action = "change"
    template_name = ""
    success_message = ""

    def get_form(self, person, data=None):
        raise NotImplementedError

    def perform(self, person, form):
        raise NotImplementedError

    def get(self, request, pk):
        person = self.get_object()
        return self.render_form(person, self.get_form(person))

    def post(self, request, pk):
        person = self.get_object()
        form = self.get_form(person, request.POST)
        if form.is_valid():
            try:
                self.perform(person, form)
            except SERVICE_ERRORS as exc:
                apply_service_error(form, exc, getattr(self, "error_field_map", None))
            else:
                messages.success(request, self.success_message)
                return redirect("people:person_detail", pk=person.pk)
        return self.render_form(person, form)

    def render_form(self, person, form, **extra):
        context = {**self.person_context(person), "form": form, **extra}
        return render(self.request, self.template_name, context)


class PersonEditView(PersonFormView):
    """Edit biodata with optimistic locking: the form carries the version it was loaded with."""

    template_name = "people/person_edit.html"

    def get_form(self, person, data=None):
        return PersonEditForm(
            data,
            instance=person,
            user=self.request.user,
            can_change_home_state=self.request.user.has_capability(capabilities.CHANGE_CASE),
        )

    def post(self, request, pk):
        person = self.get_object()
        form = self.get_form(person, request.POST)
        if form.is_valid() and not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("people:person_detail", pk=person.pk)
        if form.is_valid():
            try:
                services.update_person(
                    person,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                    home_state=form.cleaned_data.get("home_state"),
                )
            except SERVICE_ERRORS as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The record was saved."))
                return redirect("people:person_detail", pk=person.pk)
        return self.render_form(person, form)


class NameCreateView(PersonFormView):
    template_name = "people/name_form.html"

    @property
    def success_message(self):
        return _("The name was added.")

    def get_form(self, person, data=None):
        return NameForm(data)

    def perform(self, person, form):
        services.add_name(person, actor=self.request.user, **form.cleaned_data)


class CustodyCreateView(PersonFormView):
    """Record a move of a child to a new placement (children only)."""

    template_name = "people/custody_form.html"

    @property
    def success_message(self):
        return _("The custody move was recorded.")

    def get_queryset(self):
        return super().get_queryset().filter(kind=PersonKind.CHILD)

    def get_form(self, person, data=None):
        return CustodyMoveForm(data, user=self.request.user)

    def perform(self, person, form):
        services.record_custody_move(person, actor=self.request.user, **form.cleaned_data)

    def render_form(self, person, form, **extra):
        return super().render_form(person, form, current=current_episode(person), **extra)


class RelativeCreateView(PersonFormView):
    """Link an existing visible person, or register a new adult and link them.

    Each service is its own durable transaction, so the form checks the whole link before
    the adult is created. If linking still fails afterwards, the user is told that the adult
    exists and the link does not.
    """

    template_name = "people/relative_form.html"

    def get_form(self, person, data=None):
        return LinkRelativeForm(
            data,
            person=person,
            user=self.request.user,
            can_add_person=self.request.user.has_capability(capabilities.ADD_PERSON),
        )

    def post(self, request, pk):
        person = self.get_object()
        form = self.get_form(person, request.POST)
        if "find" in request.POST:
            return self._render_candidates(person, form)
        if not form.is_valid():
            return self._render_candidates(person, form)
        relative = form.cleaned_data.get("relative")
        try:
            if form.new_adult is not None:
                relative = services.register_adult(
                    actor=request.user, fields=form.new_adult_fields(), names=[form.new_adult_name]
                )
        except SERVICE_ERRORS as exc:
            apply_service_error(form, exc, LinkRelativeForm.NEW_ADULT_FIELDS)
            return self._render_candidates(person, form)
        try:
            services.link_relative(
                person, actor=request.user, relative=relative, **form.link_details()
            )
        except SERVICE_ERRORS as exc:
            apply_service_error(form, exc)
            if form.new_adult is not None:
                form.add_error(
                    None,
                    _(
                        "%(name)s was registered, but the link could not be recorded. "
                        "Link them from this page."
                    )
                    % {"name": _isolated(relative.display_name)},
                )
            return self._render_candidates(person, form)
        messages.success(request, _("The relative was linked."))
        return redirect("people:person_detail", pk=person.pk)

    def get(self, request, pk):
        person = self.get_object()
        return self._render_candidates(person, self.get_form(person))

    def _render_candidates(self, person, form):
        """Without JavaScript, "Find" posts the form; the matches come back as choices."""
        query = form.data.get("relative_q", "")[:100] if form.is_bound else ""
        candidates = find_people(self.request.user, query, exclude_pk=person.pk) if query else None
        chosen = form.data.get("relative", "") if form.is_bound else ""
        if candidates is not None:
            record_list(
                events.PEOPLE_LISTED,
                actor=self.request.user,
                ids=[candidate.pk for candidate in candidates],
                query=without_names({"lookup": query}, ["lookup"]),
                total=len(candidates),
            )
        return self.render_form(person, form, people=candidates, query=query, chosen=str(chosen))


class ChildCreateView(ScopedViewMixin, View):
    """Register a child: names, biodata, home state and current placement, in one service call."""

    model = Person
    action = "add"
    template_name = "people/child_form.html"
    error_field_map = {
        "started_on": "custody_since",
        "with_person": "held_with",
        "legal_basis": "custody_legal_basis",
    }

    def get(self, request):
        form = ChildRegistrationForm(user=request.user, initial=self._initial_home_state(request))
        formset = NameFormSet(prefix="names", initial=[{"is_primary": True}])
        return self.render_form(form, formset)

    def post(self, request):
        form = ChildRegistrationForm(request.POST, user=request.user)
        formset = NameFormSet(request.POST, prefix="names", initial=[{"is_primary": True}])
        if form.is_valid() and formset.is_valid():
            # Before anything is written: the same child may already be registered under
            # another spelling. The officer must confirm to register anyway.
            duplicates = possible_duplicates(
                request.user, names=formset.names(), fields=form.changes()
            )
            if duplicates and not request.POST.get("confirm_not_duplicate"):
                record_list(
                    matching_events.CANDIDATES_LISTED,
                    actor=request.user,
                    ids=[candidate.person.pk for candidate in duplicates],
                    query={"registration": True},
                    total=len(duplicates),
                )
                return self.render_form(form, formset, duplicates=duplicates)
            try:
                child = services.register_child(
                    actor=request.user,
                    fields=form.changes(),
                    names=formset.names(),
                    home_state=form.cleaned_data["home_state"],
                    custody=form.custody(),
                )
            except SERVICE_ERRORS as exc:
                apply_service_error(form, exc, self.error_field_map)
            else:
                messages.success(
                    request,
                    _("%(name)s was registered as case %(reference)s.")
                    % {
                        "name": _isolated(child.display_name),
                        "reference": _isolated(child.case.reference),
                    },
                )
                return redirect("people:person_detail", pk=child.pk)
        return self.render_form(form, formset)

    def _initial_home_state(self, request) -> dict:
        """A user scoped to one state (a mission) gets it preselected."""
        states = list(HomeState.objects.for_user(request.user)[:2])
        return {"home_state": states[0].pk} if len(states) == 1 else {}

    def render_form(self, form, formset, duplicates=None):
        extra_rows_open = (
            any(f.has_changed() or f.errors for f in formset.forms[1:])
            if formset.is_bound
            else False
        )
        context = {
            "form": form,
            "formset": formset,
            "extra_rows_open": extra_rows_open,
            "duplicates": duplicates,
        }
        return render(self.request, self.template_name, context)
