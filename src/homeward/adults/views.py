"""Adult cases pages: the list with releases due, and one adult's case. Reads only, audited.

Scope is applied once by ScopedViewMixin / ScopedObjectMixin: a consul's list holds its own
nationals, and another state's adult case answers 404 like a missing one. Court charges and
the sentence (its kind, on the case and in its legal track) are sealed criminal records, shown
only to holders of `evidence.view_criminal_record`, as the adult cases export decides
(exports.lists: the "sentence" column). The expected release date is not sealed: the releases
due are what the ministry plans returns around, and the export shows it to every reader.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.adults import events, queries, services
from homeward.adults.choices import LegalStatus
from homeward.adults.forms import (
    AdultCaseForm,
    ConsularVisitForm,
    LegalStatusForm,
    ReturnStepForm,
    RouteHomeForm,
)
from homeward.adults.models import AdultCase
from homeward.audit.services import record_list, record_view
from homeward.core.exceptions import StaleEditError
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.diplomacy.views import FormPageMixin as _DiplomacyFormPageMixin
from homeward.evidence.models import CourtCase
from homeward.judicial.queries import requests_for


class FormPageMixin(_DiplomacyFormPageMixin):
    """The diplomacy form page, and a stale edit shown on the form (the record moved on)."""

    def run(self, form, perform, back, **extra):
        try:
            return super().run(form, perform, back, **extra)
        except StaleEditError as exc:
            apply_service_error(form, exc)
            return self.render_form(form, back, **extra)


def _months(request) -> int:
    try:
        return min(max(int(request.GET.get("months", "")), 1), 24)
    except ValueError:
        return queries.DEFAULT_RELEASE_HORIZON_MONTHS


class AdultCaseListView(ScopedViewMixin, View):
    """Releases due within N months (with the children's cases), then every adult case."""

    model = AdultCase

    def get(self, request):
        months = _months(request)
        due = queries.releases_due(request.user, months=months)
        cases = list(queries.adult_cases_for(request.user).order_by("reference")[:200])
        record_list(
            events.ADULT_CASES_LISTED,
            actor=request.user,
            ids=[case.pk for case in cases],
            query={"months": months},
            total=len(cases),
        )
        context = {
            "months": months,
            "due": due,
            "cases": cases,
            "can_add": request.user.has_capability(cap.ADD_ADULT_CASE),
            "show_sentence": request.user.has_capability(cap.VIEW_CRIMINAL_RECORD),
            "pending": [
                (code, LegalStatus(status).label, n)
                for code, status, n in queries.pending_by_nationality_and_status(request.user)
            ],
            "section": "adults",
        }
        return render(request, "adults/adult_case_list.html", context)


class AdultCaseDetailView(ScopedObjectMixin, View):
    model = AdultCase

    def get(self, request, pk):
        user = request.user
        adult = self.get_object()
        record_view(events.ADULT_CASE_VIEWED, actor=user, target=adult)
        court_cases = CourtCase.objects.for_user(user, "view").filter(defendant=adult.person)
        visits = []
        if user.has_capability(cap.VIEW_CONSULAR_VISIT):
            visits = list(queries.consular_visits_for(user, adult))
        evidence_requests = []
        if user.has_capability(cap.VIEW_EVIDENCE_REQUEST):
            evidence_requests = list(requests_for(user).filter(subject=adult.person))
        context = {
            "adult": adult,
            "history": adult.status_changes.select_related("recorded_by"),
            "children": queries.children_cases(user, [adult])[adult.pk],
            "court_cases": court_cases.prefetch_related("sentences"),
            "show_charges": user.has_capability(cap.VIEW_CRIMINAL_RECORD),
            "show_sentence": user.has_capability(cap.VIEW_CRIMINAL_RECORD),
            "missing": adult.missing_for_return(),
            "visits": visits,
            "evidence_requests": evidence_requests,
            "can_change": user.has_capability(cap.CHANGE_ADULT_CASE),
            "can_visit": user.has_capability(cap.ADD_CONSULAR_VISIT),
            "section": "adults",
        }
        return render(request, "adults/adult_case_detail.html", context)


def _case_url(adult) -> str:
    return reverse("adults:adult_case_detail", kwargs={"pk": adult.pk})


class AdultCaseCreateView(FormPageMixin, ScopedViewMixin, View):
    model = AdultCase
    action = "add"
    title = gettext_lazy("Open an adult case")

    def get(self, request):
        initial = {"person": request.GET.get("person")}
        return self.render_form(AdultCaseForm(user=request.user, initial=initial), None)

    def post(self, request):
        return self.submit(
            AdultCaseForm(request.POST, user=request.user),
            lambda data: services.open_adult_case(
                data.pop("person"),
                actor=request.user,
                home_state=data.pop("home_state"),
                **{key: value for key, value in data.items() if value not in (None,)},
            ),
            None,
            _case_url,
        )


class _AdultCaseFormView(FormPageMixin, ScopedObjectMixin, View):
    """A form about one adult case the user may change; back to the case afterwards."""

    model = AdultCase
    action = "change"
    form_class = None

    def service(self, adult, data):
        raise NotImplementedError

    def get(self, request, pk):
        adult = self.get_object()
        form = self.form_class(initial={"expected_version": adult.version})
        return self.render_form(form, adult)

    def post(self, request, pk):
        adult = self.get_object()
        return self.submit(
            self.form_class(request.POST),
            lambda data: self.service(adult, data),
            adult,
            _case_url(adult),
        )


class LegalStatusView(_AdultCaseFormView):
    title = gettext_lazy("Record the legal status")
    form_class = LegalStatusForm

    def service(self, adult, data):
        if data["legal_status"] not in (LegalStatus.CONVICTED, LegalStatus.COMMUTED):
            data["sentence_kind"] = None
        return services.record_legal_status(adult, actor=self.request.user, **data)


class ReturnStepView(_AdultCaseFormView):
    title = gettext_lazy("Record a step towards the return")
    form_class = ReturnStepForm

    def service(self, adult, data):
        return services.record_return_step(adult, actor=self.request.user, **data)


class RouteHomeView(_AdultCaseFormView):
    title = gettext_lazy("Choose the route home")
    form_class = RouteHomeForm

    def get(self, request, pk):
        adult = self.get_object()
        form = self.form_class(
            initial={"expected_version": adult.version, "route_home": adult.route_home}
        )
        return self.render_form(form, adult)

    def service(self, adult, data):
        return services.choose_route_home(adult, actor=self.request.user, **data)


class ConsularVisitCreateView(FormPageMixin, ScopedObjectMixin, View):
    """Log a consular visit to this adult (the consul, the ministry or the prison)."""

    model = AdultCase
    title = gettext_lazy("Record a consular visit")

    def required_capability(self) -> str:
        return cap.ADD_CONSULAR_VISIT

    def get(self, request, pk):
        return self.render_form(ConsularVisitForm(), self.get_object())

    def post(self, request, pk):
        adult = self.get_object()
        return self.submit(
            ConsularVisitForm(request.POST),
            lambda data: services.record_consular_visit(adult, actor=request.user, **data),
            adult,
            _case_url(adult),
        )
