"""Workflow pages: the desk, one small form per transition, and the closure decision.

Every page is about one case found through the scoped Case queryset (ScopedObjectMixin:
403 without the capability the page declares, 404 out of scope). `CaseActionView` is the
adapter every action form shares, here and in `evidence.views`: GET shows the form, POST
validates it and calls one service, then returns to the child's record. The services check
capability, scope, version, state and gate themselves; this module only turns their
refusals into answers: a gate not met lists what is missing, a stale edit says so, a
transition the case or the user may not take is a 403, a case out of scope a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.adults import events as adult_events
from homeward.adults import queries as adult_queries
from homeward.audit.services import record_list
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.people import events as people_events
from homeward.workflow import services
from homeward.workflow.choices import ClosureStatus
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed
from homeward.workflow.forms import ClosureDecisionForm, GroupApproveForm
from homeward.workflow.gates import requirements_for
from homeward.workflow.models import ClosureRequest
from homeward.workflow.panel import action_for
from homeward.workflow.queries import desk_for
from homeward.workflow.steps import FORWARD, STEPS, Step

__all__ = ["CaseActionView", "ClosureDecisionView", "DeskView", "TransitionView", "transition_view"]

DESK_ITEMS_PER_PAGE = 50


class CaseActionView(ScopedObjectMixin, View):
    """One action on one case: declare `capability`, `form_class`, `title` and `perform`."""

    model = Case
    action = "view"
    capability = ""
    form_class = None
    template_name = "workflow/action_form.html"
    title = ""
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("Recorded.")
    error_field_map: dict[str, str] = {}

    def required_capability(self) -> str:
        return self.capability

    def get_queryset(self):
        return super().get_queryset().select_related("child", "home_state")

    def get_form(self, case, data=None):
        return self.form_class(data, case=case, user=self.request.user)

    def perform(self, case, form):
        raise NotImplementedError

    def get(self, request, pk):
        case = self.get_object()
        return self.render_form(case, self.get_form(case))

    def post(self, request, pk):
        case = self.get_object()
        form = self.get_form(case, request.POST)
        if form.is_valid() and not form.unavailable:
            try:
                self.perform(case, form)
            except GateNotMet as exc:
                form.add_error(None, [str(exc.message), *exc.descriptions])
            except (TransitionNotAllowed, PermissionDenied) as exc:
                record_denial(
                    actor=request.user, path=request.path, method=request.method, reason="rule"
                )
                raise PermissionDenied from exc
            except OutOfScopeError as exc:
                raise Http404(_("No such record.")) from exc
            except (ValidationError, StaleEditError) as exc:
                apply_service_error(form, exc, self.error_field_map)
            else:
                messages.success(request, str(self.success_message))
                return redirect("people:person_detail", pk=case.child_id)
        return self.render_form(case, form)

    def extra_context(self, case) -> dict:
        return {}

    def render_form(self, case, form):
        context = {
            "person": case.child,
            "case": case,
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
            **self.extra_context(case),
        }
        return render(self.request, self.template_name, context)


class TransitionView(CaseActionView):
    """A transition of the case lifecycle, described by a `Step` (workflow.steps)."""

    step: Step

    @property
    def capability(self):
        return self.step.capability

    @property
    def title(self):
        return self.step.label

    @property
    def submit_label(self):
        return self.step.label

    @property
    def success_message(self):
        return _("Done: %(step)s.") % {"step": self.step.label}

    def get_form(self, case, data=None):
        return self.step.form(data, case=case, user=self.request.user)

    def perform(self, case, form):
        self.step.service(case, actor=self.request.user, **form.service_kwargs())

    def extra_context(self, case) -> dict:
        """The gate the step must pass, in words, and whether the case is where it starts."""
        target = self.step.target
        gate = target if target and self.step in FORWARD else None
        return {
            "step": self.step,
            "step_possible": case.status in self.step.sources,
            "gate": requirements_for(case, viewer=self.request.user, target=gate) if gate else [],
        }


def transition_view(step: Step):
    """The view class of one step (a class, so its capability is declared like any page's)."""
    name = "".join(part.title() for part in step.slug.split("_")) + "View"
    return type(name, (TransitionView,), {"step": step, "__doc__": f"Transition: {step.slug}."})


TRANSITION_VIEWS = {step.slug: transition_view(step) for step in STEPS}


class GroupApprovalView(CaseActionView):
    """The judge approves a sibling group that must travel together, in one decision."""

    capability = cap.APPROVE_CASE
    form_class = GroupApproveForm
    title = gettext_lazy("Approve the sibling group")
    submit_label = gettext_lazy("Approve the sibling group")
    success_message = gettext_lazy("The sibling group was approved.")

    def perform(self, case, form):
        services.approve_family_group(
            case.family_group, actor=self.request.user, **form.service_kwargs()
        )


class ClosureDecisionView(CaseActionView):
    """A supervisor approves or rejects the pending closure request of a case."""

    capability = cap.APPROVE_CLOSURE
    title = gettext_lazy("Decide the closure request")
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("The closure decision was recorded.")

    def pending(self, case):
        return (
            ClosureRequest.objects.for_user(self.request.user, "view")
            .filter(case=case, status=ClosureStatus.PENDING)
            .select_related("requested_by")
            .first()
        )

    def get_form(self, case, data=None):
        form = ClosureDecisionForm(data, case=case, user=self.request.user)
        if self.pending(case) is None:
            form.unavailable = _("No closure request is waiting for a decision.")
        return form

    def perform(self, case, form):
        request = self.pending(case)
        if form.cleaned_data["decision"] == "approve":
            services.approve_closure(request, actor=self.request.user)
        else:
            services.reject_closure(
                request, actor=self.request.user, note=form.cleaned_data["note"]
            )

    def extra_context(self, case) -> dict:
        return {"closure_request": self.pending(case)}


class DeskView(ScopedViewMixin, View):
    """The user's queue: what their agency owes on the cases they see, oldest first.

    The whole desk is computed and its items are paged, so the first page always holds the
    oldest waiting items (paging the cases instead left pages that looked empty while work
    waited further on). The gate engine costs a handful of queries per case: about 0.7 s for
    100 pending cases on SQLite; a stored requirement table is the next step at larger scale.
    """

    model = Case
    action = "view"
    template_name = "workflow/desk.html"

    def get(self, request):
        user = request.user
        desk = desk_for(user)
        paginator = Paginator(desk.items, DESK_ITEMS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        rows = [(item, action_for(user, item.case, item.requirement)) for item in page.object_list]
        closures = []
        if user.has_capability(cap.APPROVE_CLOSURE):
            closures = list(
                ClosureRequest.objects.for_user(user, "view")
                .filter(status=ClosureStatus.PENDING)
                .exclude(requested_by=user)
                .select_related("case", "case__child", "requested_by")
                .order_by("requested_at")
            )
        first_page = page.number == 1
        shown = {item.case.pk for item in page.object_list}
        releases = adult_queries.desk_releases_due(user) if first_page else None
        if first_page:
            shown |= {task.case_id for task in desk.tasks}
        if releases is not None:
            shown |= {case.pk for row in releases for case in row.children}
            record_list(
                adult_events.RELEASES_DUE_LISTED,
                actor=user,
                ids=[row.adult_case.pk for row in releases],
                query={"desk": "1", "months": str(adult_queries.DEFAULT_RELEASE_HORIZON_MONTHS)},
                total=len(releases),
            )
        record_list(
            people_events.PEOPLE_LISTED,
            actor=user,
            ids=sorted(str(pk) for pk in shown),
            query={"desk": str(page.number)},
            total=paginator.count,
        )
        context = {
            "page_obj": page,
            "rows": rows,
            "overdue_count": desk.overdue_count,
            "tasks": desk.tasks if first_page else [],
            "closures": closures if first_page else [],
            "releases_due": releases,
            "release_months": adult_queries.DEFAULT_RELEASE_HORIZON_MONTHS,
            "items_total": paginator.count,
        }
        return render(request, self.template_name, context)
