"""Operations pages: thin adapters over `operations.services` (writes) and the read queries.

Each view declares `model` and `action`; ScopedViewMixin checks the capability and narrows
the queryset, so a consul of Russia gets 404 for a Tajik operation exactly as for a missing
one. Forms post to ops services; a service's ValidationError is shown at the field.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.accounts.choices import AgencyKind
from homeward.accounts.services import record_denial
from homeward.audit.services import record_list, record_view
from homeward.cases.choices import CaseStatus
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.operations import documents, page_queries
from homeward.operations.choices import EntryStatus, OperationStatus
from homeward.operations.events import FOLLOW_UPS_LISTED, OPERATION_VIEWED, OPERATIONS_LISTED
from homeward.operations.exceptions import ManifestRefused, OperationStateError
from homeward.operations.forms import (
    ArrivalForm,
    ConfirmForm,
    EntryConfirmForm,
    EntryHandoverForm,
    FollowUpReceiveForm,
    HandoverForm,
    MemberFormSet,
    OperationEditForm,
    OperationFilterForm,
    OperationForm,
    PostponeForm,
    ReasonForm,
    ReconcileForm,
    RemoveEntryForm,
)
from homeward.operations.models import FollowUpReport, ManifestEntry, Operation

# Capabilities (accounts/capabilities.py, issue 5).
VIEW_OPERATION = cap.VIEW_OPERATION
PLAN_OPERATION = cap.PLAN_OPERATION
FREEZE_MANIFEST = cap.FREEZE_MANIFEST
RECORD_HANDOVER = cap.RECORD_OPERATION_HANDOVER
CONFIRM_ARRIVAL = cap.CONFIRM_OPERATION_ARRIVAL
VIEW_FOLLOW_UP = cap.VIEW_FOLLOW_UP
RECORD_FOLLOW_UP = cap.RECORD_FOLLOW_UP

# A manifest is planned until it is frozen; after that, changes need a reason.
PLANNABLE_STATUSES = (
    OperationStatus.PROPOSED,
    OperationStatus.NEGOTIATING,
    OperationStatus.CONFIRMED,
    OperationStatus.POSTPONED,
)
CHANGEABLE_MANIFEST = (*PLANNABLE_STATUSES, OperationStatus.MANIFEST_FROZEN)


# What a service refuses with, shown on the form (nothing was written).
SERVICE_ERRORS = (ValidationError, StaleEditError, ManifestRefused, OperationStateError)


def show_service_error(form, exc, field_map=None) -> None:
    """Put a service's refusal on `form`: at the field, or above the form in words."""
    if isinstance(exc, ManifestRefused):
        for who, reasons in exc.refusals.items():
            form.add_error(None, f"{who}: {' '.join(str(reason) for reason in reasons)}")
        return
    if isinstance(exc, OperationStateError):
        form.add_error(None, str(exc.message))
        return
    apply_service_error(form, exc, field_map)


def _month(value: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return default.replace(day=1)


def _is_mission(user) -> bool:
    """A home-state mission's user: the list highlights what their state still owes."""
    return bool(user.agency_id) and user.agency.kind == AgencyKind.HOME_STATE_MISSION


class OperationListView(ScopedViewMixin, View):
    """Operations in the viewer's scope: a month calendar, the upcoming ones and the past."""

    model = Operation

    def get(self, request):
        user = request.user
        form = OperationFilterForm(request.GET or None, user=user)
        operations = self.get_queryset().select_related("home_state")
        filters = {}
        if form.is_valid():
            filters = {key: value for key, value in form.cleaned_data.items() if value}
            if filters.get("status"):
                operations = operations.filter(status=filters["status"])
            if filters.get("home_state"):
                operations = operations.filter(home_state=filters["home_state"])
            if filters.get("year"):
                operations = operations.filter(planned_date__year=filters["year"])
        operations = list(operations.order_by("planned_date", "reference"))
        today = timezone.localdate()
        upcoming = [
            op
            for op in operations
            if op.status in page_queries.OPEN_STATUSES
            and (op.planned_date >= today or op.status == OperationStatus.EXECUTING)
        ]
        upcoming_ids = {op.pk for op in upcoming}
        past = [op for op in reversed(operations) if op.pk not in upcoming_ids]
        default_month = upcoming[0].planned_date if upcoming else today
        month = page_queries.calendar_month(
            operations, _month(request.GET.get("month"), default_month)
        )
        if _is_mission(user):
            owed = page_queries.mission_owes(upcoming, viewer=user)
            for operation in upcoming:
                operation.mission_owes = owed.get(operation.pk, 0)
        record_list(
            OPERATIONS_LISTED,
            actor=user,
            ids=[op.pk for op in operations],
            query={key: str(getattr(value, "pk", value)) for key, value in filters.items()},
            total=len(operations),
        )
        context = {
            "form": form,
            "month": month,
            "upcoming": upcoming,
            "past": past,
            "today": today,
            "can_add": user.has_capability(PLAN_OPERATION),
            "can_follow_up": user.has_capability(VIEW_FOLLOW_UP),
        }
        return render(request, "operations/operation_list.html", context)


class OperationDetailView(ScopedObjectMixin, View):
    """Details, team, postponements, next steps and the manifest with each child's readiness."""

    model = Operation

    def get(self, request, pk):
        user = request.user
        operation = self.get_object()
        groups = page_queries.manifest_readiness(operation, viewer=user)
        children = [child for group in groups for child in group.children if child.entry.case_id]
        waiting = [
            child
            for child in children
            if child.entry.status in (EntryStatus.PLANNED, EntryStatus.CONFIRMED)
            and not child.ready
        ]
        record_view(OPERATION_VIEWED, actor=user, target=operation)
        context = {
            "operation": operation,
            "members": list(operation.members.all()),
            "date_changes": list(operation.date_changes.all()),
            "groups": groups,
            "ready_count": len(children) - len(waiting),
            "waiting_count": len(waiting),
            "handover": _one_to_one(operation, "handover"),
            "reconciliation": _one_to_one(operation, "reconciliation"),
            "not_boarded": [
                child.entry for child in children if child.entry.status == EntryStatus.NOT_BOARDED
            ],
            "show_names": user.has_capability(cap.VIEW_PERSON),
            "steps": steps_for(operation, user),
            "can_print_records": user.has_capability(VIEW_OPERATION),
            "can_plan": user.has_capability(PLAN_OPERATION)
            and operation.status in CHANGEABLE_MANIFEST,
            "can_remove": user.has_capability(PLAN_OPERATION)
            and operation.status in CHANGEABLE_MANIFEST,
            "can_handover": user.has_capability(RECORD_HANDOVER)
            and operation.status in (OperationStatus.MANIFEST_FROZEN, OperationStatus.EXECUTING),
            "can_reconcile": user.has_capability(PLAN_OPERATION)
            and operation.status == OperationStatus.COMPLETED,
        }
        return render(request, "operations/operation_detail.html", context)


def _one_to_one(obj, name: str):
    """The related record of a one-to-one, or None when it has not been recorded."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _document_language(request) -> str:
    language = request.GET.get("lang") or translation.get_language()
    return language if language in documents.DOCUMENT_LANGUAGES else "en"


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class ManifestPdfView(ScopedObjectMixin, View):
    """The manifest for signature, in Arabic or English (`?lang=`); the print is audited."""

    model = Operation

    def get(self, request, pk):
        operation = self.get_object()
        language = _document_language(request)
        rows = documents.manifest_rows(operation)
        pdf = documents.render_manifest_pdf(operation, rows, language=language)
        documents.record_manifest_printed(
            operation, actor=request.user, language=language, rows=rows
        )
        return _pdf_response(pdf, f"manifest-{operation.reference}-{language}.pdf")


class HandoverRecordPdfView(ScopedObjectMixin, View):
    """One child's handover record for signature; the photo only for who may see it."""

    model = ManifestEntry

    def get(self, request, pk):
        entry = self.get_object(
            self.get_queryset()
            .filter(case__isnull=False)
            .select_related("operation", "case", "person")
        )
        language = _document_language(request)
        record = documents.handover_record(entry, user=request.user)
        pdf = documents.render_handover_record_pdf(record, language=language)
        documents.record_handover_record_printed(record, actor=request.user, language=language)
        return _pdf_response(pdf, f"handover-{entry.case.reference}-{language}.pdf")


# -- writes: every form posts to a service through one adapter ---------------------------------


class FormPageMixin:
    """Render `operations/form.html`; call a service and put its errors on the form."""

    title = ""
    template_name = "operations/form.html"

    def render_form(self, form, **extra):
        context = {"form": form, "title": self.title, **extra}
        return render(self.request, self.template_name, context)

    def expected_version(self) -> int | None:
        try:
            return int(self.request.POST.get("expected_version", ""))
        except ValueError:
            return None

    def run(self, form, perform, **extra):
        """The service's result, or the form again with its error (403/404 on refusals)."""
        try:
            result = perform()
        except PermissionDenied:
            record_denial(
                actor=self.request.user,
                path=self.request.path,
                method=self.request.method,
                reason="rule",
            )
            raise
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self.render_form(form, **extra)
        messages.success(self.request, _("Recorded."))
        return result


class CapabilityMixin:
    """The capability a write page needs (more specific than view/change of its model)."""

    capability = VIEW_OPERATION

    def required_capability(self) -> str:
        return self.capability


@dataclass(frozen=True)
class Step:
    """One move of an operation's status: who may, from where, what it asks, which service."""

    code: str
    label: str
    capability: str
    from_statuses: tuple
    form_class: type = ConfirmForm
    danger: bool = False
    intro: str = ""


# Where each step starts from: the same lists the services check (operations.services).
_BEFORE_THE_DAY = (
    OperationStatus.PROPOSED,
    OperationStatus.NEGOTIATING,
    OperationStatus.CONFIRMED,
    OperationStatus.MANIFEST_FROZEN,
    OperationStatus.POSTPONED,
)

STEPS = {
    step.code: step
    for step in (
        Step(
            "negotiate",
            gettext_lazy("Start negotiating"),
            PLAN_OPERATION,
            (OperationStatus.PROPOSED,),
        ),
        Step(
            "confirm",
            gettext_lazy("Confirm the date and carrier"),
            PLAN_OPERATION,
            (OperationStatus.NEGOTIATING,),
        ),
        Step(
            "freeze",
            gettext_lazy("Freeze the manifest"),
            FREEZE_MANIFEST,
            (OperationStatus.CONFIRMED,),
            intro=gettext_lazy(
                "Every child is checked again for the planned date and scheduled; a later "
                "change to the manifest needs a reason."
            ),
        ),
        Step(
            "start",
            gettext_lazy("Start the operation"),
            RECORD_HANDOVER,
            (OperationStatus.MANIFEST_FROZEN,),
        ),
        Step(
            "complete",
            gettext_lazy("Complete the operation"),
            RECORD_HANDOVER,
            (OperationStatus.EXECUTING,),
            intro=gettext_lazy(
                "Every boarded child's case moves to handed over, all together or not at all."
            ),
        ),
        Step(
            "postpone",
            gettext_lazy("Postpone"),
            PLAN_OPERATION,
            _BEFORE_THE_DAY,
            form_class=PostponeForm,
        ),
        Step(
            "cancel",
            gettext_lazy("Cancel the operation"),
            PLAN_OPERATION,
            _BEFORE_THE_DAY,
            form_class=ReasonForm,
            danger=True,
            intro=gettext_lazy(
                "Every scheduled child goes back to approved, free for another flight."
            ),
        ),
    )
}


@dataclass(frozen=True)
class StepLink:
    code: str
    label: str
    danger: bool
    url: str


def steps_for(operation: Operation, user) -> list[StepLink]:
    """The steps `user` may take on `operation` now: a button only for what they may do."""
    return [
        StepLink(
            step.code,
            step.label,
            step.danger,
            reverse(f"operations:operation_{step.code}", kwargs={"pk": operation.pk}),
        )
        for step in STEPS.values()
        if operation.status in step.from_statuses and user.has_capability(step.capability)
    ]


def _perform_step(step: Step, operation: Operation, *, actor, version, data: dict):
    """Call the service behind `step` (operations.services)."""
    from homeward.operations import services

    if step.code == "postpone":
        return services.postpone_operation(
            operation,
            actor=actor,
            expected_version=version,
            new_date=data["new_date"],
            reason=data["reason"],
        )
    if step.code == "cancel":
        return services.cancel_operation(
            operation, actor=actor, expected_version=version, reason=data["reason"]
        )
    service = {
        "negotiate": services.advance_operation,
        "confirm": services.advance_operation,
        "freeze": services.freeze_manifest,
        "start": services.start_execution,
        "complete": services.complete_operation,
    }[step.code]
    return service(operation, actor=actor, expected_version=version)


class OperationStepView(FormPageMixin, ScopedObjectMixin, View):
    """Move an operation one step (confirm, freeze, start, complete, postpone, cancel)."""

    model = Operation

    def get_step(self) -> Step:
        return STEPS[self.step_code]

    step_code = ""  # set by each step's own view class (STEP_VIEWS)

    def required_capability(self) -> str:
        return STEPS[self.step_code].capability

    def _page(self, form, operation, step):
        return self.render_form(
            form,
            operation=operation,
            intro=step.intro,
            expected_version=operation.version,
            submit_label=step.label,
            danger=step.danger,
            impossible=operation.status not in step.from_statuses,
        )

    def get(self, request, pk):
        operation, step = self.get_object(), self.get_step()
        self.title = step.label
        return self._page(step.form_class(), operation, step)

    def post(self, request, pk):
        operation, step = self.get_object(), self.get_step()
        self.title = step.label
        form = step.form_class(request.POST)
        if not form.is_valid():
            return self._page(form, operation, step)
        try:
            _perform_step(
                step,
                operation,
                actor=request.user,
                version=self.expected_version(),
                data=form.cleaned_data,
            )
        except PermissionDenied:
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="rule"
            )
            raise
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(form, operation, step)
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        messages.success(request, _("Recorded."))
        return redirect("operations:operation_detail", pk=operation.pk)


class OperationCreateView(FormPageMixin, CapabilityMixin, ScopedViewMixin, View):
    """Propose a return operation for a home state."""

    model = Operation
    capability = PLAN_OPERATION
    title = gettext_lazy("Propose an operation")

    def get(self, request):
        return self.render_form(OperationForm(user=request.user))

    def post(self, request):
        from homeward.operations import services

        form = OperationForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form)
        data = dict(form.cleaned_data)
        state = data.pop("home_state")
        result = self.run(
            form, lambda: services.propose_operation(state, actor=request.user, **data)
        )
        if isinstance(result, Operation):
            return redirect("operations:operation_detail", pk=result.pk)
        return result


class OperationEditView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """Change the details, the fee and the team (escort, host side, observers) until the day.

    The planned date changes here only while the operation is proposed; after that it moves
    by postponement, which keeps the history (the service says so on the field).
    """

    model = Operation
    capability = PLAN_OPERATION
    template_name = "operations/operation_edit.html"
    title = gettext_lazy("Edit the operation")

    def _page(self, operation, form, members, status=200):
        response = self.render_form(
            form, operation=operation, members=members, expected_version=operation.version
        )
        response.status_code = status
        return response

    def get(self, request, pk):
        operation = self.get_object()
        initial = {name: getattr(operation, name) for name in OperationEditForm.base_fields}
        members = MemberFormSet(
            prefix="members",
            initial=[
                {"name": m.name, "role": m.role, "side": m.side, "organisation": m.organisation}
                for m in operation.members.all()
            ],
        )
        return self._page(operation, OperationEditForm(initial=initial, user=request.user), members)

    def post(self, request, pk):
        from homeward.operations import services

        operation = self.get_object()
        form = OperationEditForm(request.POST, user=request.user)
        members = MemberFormSet(request.POST, prefix="members")
        if not (form.is_valid() and members.is_valid()):
            return self._page(operation, form, members, status=400)
        team = [
            row for row in members.cleaned_data if row and row.get("name") and not row.get("DELETE")
        ]
        result = self.run(
            form,
            lambda: services.update_operation(
                operation,
                actor=request.user,
                expected_version=self.expected_version(),
                members=[{k: v for k, v in row.items() if k != "DELETE"} for row in team],
                **form.cleaned_data,
            ),
            operation=operation,
            members=members,
            expected_version=operation.version,
        )
        if isinstance(result, Operation):
            return redirect("operations:operation_detail", pk=operation.pk)
        result.status_code = 400
        return result


class EntryFormView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """A form about one person on a manifest, headed by their name (for those who may see it)."""

    model = ManifestEntry
    capability = PLAN_OPERATION
    submit_label = ""
    danger = False

    def _page(self, form, entry):
        return self.render_form(
            form,
            operation=entry.operation,
            intro=entry.person.display_name
            if self.request.user.has_capability(cap.VIEW_PERSON)
            else "",
            expected_version=entry.version,
            submit_label=self.submit_label,
            danger=self.danger,
        )


class EntryConfirmView(EntryFormView):
    """The home state confirmed this person: record it, with medical needs and the escort."""

    title = gettext_lazy("Confirm the person, medical needs and escort")
    submit_label = gettext_lazy("Confirm")

    def get(self, request, pk):
        entry = self.get_object()
        initial = {"medical_needs": entry.medical_needs, "escort": entry.escort_id}
        return self._page(EntryConfirmForm(initial=initial, operation=entry.operation), entry)

    def post(self, request, pk):
        from homeward.operations import services

        entry = self.get_object()
        form = EntryConfirmForm(request.POST, operation=entry.operation)
        if not form.is_valid():
            return self._page(form, entry)
        result = self.run(
            form,
            lambda: services.confirm_entry(
                entry,
                actor=request.user,
                expected_version=self.expected_version(),
                medical_needs=form.cleaned_data["medical_needs"],
                escort=form.cleaned_data["escort"],
            ),
            operation=entry.operation,
            expected_version=entry.version,
            submit_label=self.submit_label,
        )
        if isinstance(result, ManifestEntry):
            return redirect("operations:operation_detail", pk=entry.operation_id)
        return result


class ManifestPlanView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """The APPROVED cases of the state by family, with refusals; add chosen families at once."""

    model = Operation
    capability = PLAN_OPERATION
    template_name = "operations/manifest_plan.html"
    title = gettext_lazy("Plan the manifest")

    def _families(self, operation) -> dict:
        return {
            family.key: family
            for family in page_queries.plan_families(operation, viewer=self.request.user)
        }

    def _page(self, operation, form=None, status=200, families=None):
        context = {
            "operation": operation,
            "families": list((families or self._families(operation)).values()),
            "form": form or RemoveEntryForm(),
            "frozen": operation.status == OperationStatus.MANIFEST_FROZEN,
            "open": operation.status in CHANGEABLE_MANIFEST,
            "title": self.title,
            "show_names": self.request.user.has_capability(cap.VIEW_PERSON),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._page(self.get_object())

    def post(self, request, pk):
        from homeward.operations import services

        operation = self.get_object()
        form = RemoveEntryForm(request.POST)  # the reason, required by the service once frozen
        form.is_valid()
        families = self._families(operation)
        chosen = request.POST.getlist("family")
        if not chosen or any(key not in families for key in chosen):
            form.add_error(None, _("Choose at least one family from the list."))
            return self._page(operation, form, status=400, families=families)
        cases = [member.case for key in chosen for member in families[key].members]
        offered = {
            key: (person, case)
            for family in chosen
            for key, person, case, _reasons in families[family].adults
        }
        adults = request.POST.getlist("adult")
        if any(key not in offered for key in adults):
            form.add_error(None, _("An adult travels only with a family chosen to travel."))
            return self._page(operation, form, status=400, families=families)
        try:
            services.add_to_manifest(
                operation,
                cases,
                actor=request.user,
                expected_version=self.expected_version(),
                adults=[offered[key] for key in adults],
                reason=form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied:
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="rule"
            )
            raise
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc, {"cases": "__all__"})
            return self._page(operation, form, status=400, families=families)
        messages.success(request, _("Added to the manifest."))
        return redirect("operations:operation_detail", pk=operation.pk)


class EntryRemoveView(EntryFormView):
    """Take a person off the manifest; after the freeze, with a reason."""

    title = gettext_lazy("Remove from the manifest")
    submit_label = gettext_lazy("Remove")
    danger = True

    def get(self, request, pk):
        return self._page(RemoveEntryForm(), self.get_object())

    def post(self, request, pk):
        from homeward.operations import services

        entry = self.get_object()
        form = RemoveEntryForm(request.POST)
        if not form.is_valid():
            return self._page(form, entry)
        try:
            services.remove_from_manifest(
                entry,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=self.expected_version(),
            )
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(form, entry)
        messages.success(request, _("Removed from the manifest."))
        return redirect("operations:operation_detail", pk=entry.operation_id)


def _handover_entries(operation):
    return list(
        operation.entries.filter(case__isnull=False)
        .select_related("person", "case")
        .prefetch_related("person__names")
        .order_by("created_at")
    )


def _entry_form(entry, data=None):
    item = _one_to_one(entry, "handover_item")
    initial = {}
    if entry.status == EntryStatus.NOT_BOARDED:
        initial = {
            "outcome": "not_boarded",
            "not_boarded_reason": entry.not_boarded_reason,
            "not_boarded_note": entry.not_boarded_note,
        }
    elif item is not None:
        initial = {
            "outcome": "boarded",
            "identity_checked_by": item.identity_checked_by,
            "identity_method": item.identity_method,
            "documents_handed": "\n".join(item.documents_handed),
            "medical_summary_handed": item.medical_summary_handed,
            "belongings": item.belongings,
            "receiving_official": item.receiving_official,
            "boarded_at": item.boarded_at,
        }
    entry.handover_item_recorded = item is not None
    return EntryHandoverForm(data, initial=initial, prefix=f"e{entry.pk.hex[:8]}")


class HandoverDayView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """The day: a compact form per child, the operation's handover, then completion."""

    model = Operation
    capability = RECORD_HANDOVER
    template_name = "operations/handover_day.html"

    def _page(self, operation, handover_form=None, status=200):
        entries = _handover_entries(operation)
        editable = operation.status in (OperationStatus.MANIFEST_FROZEN, OperationStatus.EXECUTING)
        handover = _one_to_one(operation, "handover")
        if handover_form is None:
            initial = {"location": operation.handover_location}
            if handover is not None:
                initial = {
                    "handed_over_at": timezone.localtime(handover.handed_over_at),
                    "location": handover.location,
                    "host_officials": handover.host_officials,
                    "receiving_officials": handover.receiving_officials,
                    "witnesses": handover.witnesses,
                }
            handover_form = HandoverForm(initial=initial)
        context = {
            "operation": operation,
            "entries": entries,
            "entry_forms": [(entry, _entry_form(entry)) for entry in entries],
            "editable": editable,
            "recorded": sum(
                1
                for entry in entries
                if entry.status in (EntryStatus.BOARDED, EntryStatus.NOT_BOARDED)
            ),
            "handover": handover,
            "handover_form": handover_form,
            "can_record_handover": operation.status == OperationStatus.EXECUTING
            and handover is None,
            "steps": [
                step for step in steps_for(operation, self.request.user) if step.code == "complete"
            ],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._page(self.get_object())

    def post(self, request, pk):
        """Record the operation-level handover (time, place, officials, attestation)."""
        from homeward.operations import services

        operation = self.get_object()
        form = HandoverForm(request.POST)
        if not form.is_valid():
            return self._page(operation, form, status=400)
        data = dict(form.cleaned_data)
        data.pop("attested")
        try:
            services.record_handover(
                operation, actor=request.user, expected_version=self.expected_version(), **data
            )
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(operation, form, status=400)
        messages.success(request, _("Handover recorded."))
        return redirect("operations:handover_day", pk=operation.pk)


class EntryHandoverView(CapabilityMixin, ScopedObjectMixin, View):
    """One child's line of the handover; with htmx, answers with the child's card alone."""

    model = ManifestEntry
    capability = RECORD_HANDOVER

    def _entry(self):
        return self.get_object(
            self.get_queryset()
            .filter(case__isnull=False)
            .select_related("operation", "person", "case")
        )

    def _editable(self, entry) -> bool:
        return entry.operation.status in (
            OperationStatus.MANIFEST_FROZEN,
            OperationStatus.EXECUTING,
        ) and entry.status in (EntryStatus.PLANNED, EntryStatus.CONFIRMED)

    def get(self, request, pk):
        """The child's line alone (a page of its own, for a screen without scripts)."""
        entry = self._entry()
        context = {"entry": entry, "form": _entry_form(entry), "editable": self._editable(entry)}
        return render(request, "operations/entry_handover.html", context)

    def post(self, request, pk):
        entry = self._entry()
        form = _entry_form(entry, request.POST)
        try:
            version = int(request.POST.get("expected_version", ""))
        except ValueError:
            version = None
        if form.is_valid():
            try:
                _record_outcome(entry, form.cleaned_data, actor=request.user, version=version)
            except PermissionDenied:
                record_denial(
                    actor=request.user, path=request.path, method=request.method, reason="rule"
                )
                raise
            except SERVICE_ERRORS as exc:
                show_service_error(form, exc, ITEM_ERROR_FIELDS)
            else:
                if not request.htmx:
                    messages.success(request, _("Recorded."))
                    return redirect("operations:handover_day", pk=entry.operation_id)
                entry = self._entry()
                form = _entry_form(entry)
        context = {"entry": entry, "form": form, "editable": self._editable(entry)}
        template = (
            "operations/_entry_handover.html" if request.htmx else "operations/entry_handover.html"
        )
        return render(request, template, context, status=400 if form.errors else 200)


# A handover item's errors come back as "items.0.<field>"; put them at the field.
ITEM_ERROR_FIELDS = {
    **{f"items.0.{name}": name for name in EntryHandoverForm.base_fields},
    "items.0.entry": "__all__",
    "reason": "not_boarded_reason",
    "note": "not_boarded_note",
    "location": "__all__",
}


def _record_outcome(entry, data: dict, *, actor, version) -> None:
    """Boarded (a handover item, through `record_handover`) or not boarded (with a reason)."""
    from homeward.operations import services

    if data["outcome"] == "not_boarded":
        services.mark_not_boarded(
            entry,
            actor=actor,
            expected_version=version,
            reason=data["not_boarded_reason"],
            note=data["not_boarded_note"],
        )
        return
    handover = _one_to_one(entry.operation, "handover")
    if handover is None:
        raise ValidationError(
            _("Record the handover (time, place and officials) before the children boarding.")
        )
    services.record_handover(
        entry.operation,
        actor=actor,
        expected_version=None,
        handed_over_at=handover.handed_over_at,
        location=handover.location,
        items=[
            {
                "entry": entry,
                "expected_version": version,
                **{
                    name: data[name]
                    for name in (
                        "identity_checked_by",
                        "identity_method",
                        "documents_handed",
                        "medical_summary_handed",
                        "belongings",
                        "receiving_official",
                        "boarded_at",
                    )
                },
            }
        ],
    )


class ReconcileView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """Planned against actual, the difference explained (each not-boarded reason is listed)."""

    model = Operation
    capability = PLAN_OPERATION
    title = gettext_lazy("Reconcile the operation")

    def _page(self, form, operation):
        not_boarded = operation.entries.filter(status=EntryStatus.NOT_BOARDED, case__isnull=False)
        intro = _("Planned %(planned)s, returned %(actual)s; not boarded: %(n)s.") % {
            "planned": operation.planned_count if operation.planned_count is not None else "—",
            "actual": operation.actual_count if operation.actual_count is not None else "—",
            "n": not_boarded.count(),
        }
        return self.render_form(
            form, operation=operation, intro=intro, expected_version=operation.version
        )

    def get(self, request, pk):
        return self._page(ReconcileForm(), self.get_object())

    def post(self, request, pk):
        from homeward.operations import services

        operation = self.get_object()
        form = ReconcileForm(request.POST)
        if not form.is_valid():
            return self._page(form, operation)
        try:
            services.reconcile_operation(
                operation,
                actor=request.user,
                explanation=form.cleaned_data["explanation"],
                expected_version=self.expected_version(),
            )
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(form, operation)
        messages.success(request, _("Recorded."))
        return redirect("operations:operation_detail", pk=operation.pk)


# -- after return -------------------------------------------------------------------------------


class ArrivalView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """The home state confirms a handed-over child arrived, and the first placement."""

    model = Case
    capability = CONFIRM_ARRIVAL
    title = gettext_lazy("Confirm the arrival")

    def _page(self, form, case):
        return self.render_form(form, intro=case.reference, expected_version=case.version)

    def get(self, request, pk):
        case = self.get_object()
        return self._page(ArrivalForm(initial={"arrived_on": timezone.localdate()}), case)

    def post(self, request, pk):
        from homeward.operations import services

        case = self.get_object()
        form = ArrivalForm(request.POST)
        if not form.is_valid():
            return self._page(form, case)
        try:
            services.confirm_arrival(
                case,
                actor=request.user,
                expected_version=self.expected_version(),
                **form.cleaned_data,
            )
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(form, case)
        except OutOfScopeError as exc:
            raise Http404(_("No such record.")) from exc
        messages.success(request, _("Arrival confirmed."))
        return redirect("operations:follow_up_list")


class FollowUpListView(ScopedViewMixin, View):
    """Returned children: arrivals awaited, follow-up reports due, received and overdue."""

    model = FollowUpReport

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        reports = list(
            self.get_queryset()
            .select_related("case", "case__home_state")
            .order_by("received_on", "due_date")
        )
        awaiting_arrival = list(
            Case.objects.for_user(user, "view")
            .filter(status=CaseStatus.HANDED_OVER, arrival__isnull=True)
            .select_related("home_state")
            .order_by("reference")
        )
        record_list(
            FOLLOW_UPS_LISTED,
            actor=user,
            ids=[report.pk for report in reports],
            query={},
            total=len(reports),
        )
        context = {
            "overdue": [r for r in reports if r.is_overdue(today)],
            "due": [r for r in reports if r.received_on is None and not r.is_overdue(today)],
            "received": [r for r in reports if r.received_on is not None],
            "awaiting_arrival": awaiting_arrival,
            "can_confirm": user.has_capability(CONFIRM_ARRIVAL),
            "can_record": user.has_capability(RECORD_FOLLOW_UP),
            "today": today,
        }
        return render(request, "operations/follow_up_list.html", context)


class FollowUpReceiveView(FormPageMixin, CapabilityMixin, ScopedObjectMixin, View):
    """Record a follow-up report as received, with what it says."""

    model = FollowUpReport
    capability = RECORD_FOLLOW_UP
    title = gettext_lazy("Record a follow-up report")

    def _page(self, form, report):
        return self.render_form(form, intro=report.case.reference)

    def get(self, request, pk):
        report = self.get_object()
        return self._page(
            FollowUpReceiveForm(initial={"received_on": timezone.localdate()}), report
        )

    def post(self, request, pk):
        from homeward.operations import services

        report = self.get_object()
        form = FollowUpReceiveForm(request.POST)
        if not form.is_valid():
            return self._page(form, report)
        try:
            services.record_follow_up_report(report, actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as exc:
            show_service_error(form, exc)
            return self._page(form, report)
        messages.success(request, _("Recorded."))
        return redirect("operations:follow_up_list")


# One view class per step, so that each route declares its own capability (security/routes.py
# reads it from the class, for the authorization matrix and the scope matrix).
STEP_VIEWS = {
    code: type(f"Operation{code.title()}View", (OperationStepView,), {"step_code": code})
    for code in STEPS
}
