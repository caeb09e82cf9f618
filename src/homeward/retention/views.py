"""Legal holds: a case's holds (place one), and releasing a hold. Supervisors only.

Both pages need `retention.manage_legalhold` (403 without it) and find the case or the hold
through scoped querysets (404 out of scope, like missing).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import View

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_view
from homeward.cases.models import Case
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin
from homeward.retention import events, services
from homeward.retention.forms import PlaceHoldForm, ReleaseHoldForm
from homeward.retention.models import LegalHold

__all__ = ["CaseHoldsView", "ReleaseHoldView"]


class CaseHoldsView(ScopedObjectMixin, View):
    """A case's legal holds, current and past, and the form to place a new one."""

    model = Case

    def required_capability(self) -> str:
        return cap.MANAGE_LEGAL_HOLD

    def render_page(self, case, form):
        holds = LegalHold.objects.for_user(self.request.user, "manage").filter(case=case)
        context = {"case": case, "holds": holds.select_related("placed_by", "released_by")}
        return render(self.request, "retention/case_holds.html", {**context, "form": form})

    def get(self, request, pk):
        case = self.get_object()
        record_view(events.HOLDS_VIEWED, actor=request.user, target=case)
        return self.render_page(case, PlaceHoldForm())

    def post(self, request, pk):
        case = self.get_object()
        form = PlaceHoldForm(request.POST)
        if form.is_valid():
            try:
                services.place_legal_hold(case, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The case is on legal hold."))
                return redirect("retention:case_holds", pk=case.pk)
        return self.render_page(case, form)


class ReleaseHoldView(ScopedObjectMixin, View):
    """Confirm and release one hold."""

    model = LegalHold
    action = "manage"

    def get(self, request, pk):
        hold = self.get_object()
        return self.render_page(hold, ReleaseHoldForm())

    def render_page(self, hold, form):
        return render(self.request, "retention/release_hold.html", {"hold": hold, "form": form})

    def post(self, request, pk):
        hold = self.get_object()
        form = ReleaseHoldForm(request.POST)
        if form.is_valid():
            try:
                services.release_legal_hold(
                    hold, actor=request.user, reason=form.cleaned_data["release_reason"]
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The legal hold was released."))
                return redirect("retention:case_holds", pk=hold.case_id)
        return self.render_page(hold, form)
