"""Export pages: my exports and those awaiting my approval, the request form, one export's
page (prepare the file, get a link, delete), the approver's page, and the download.

Thin adapters: each finds the export through `ExportRequest.objects.for_user`, lets a form
validate, calls a service and renders. The passphrase appears in exactly one response (the
one that prepared the file) and is never stored; that response and the download are marked
`no-store`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.core.forms import apply_service_error
from homeward.core.searches import load_search
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.exports import services
from homeward.exports.choices import Dataset, ExportState
from homeward.exports.exceptions import ExportStateError, LinkGone
from homeward.exports.forms import DecisionForm, ExportRequestForm
from homeward.exports.models import ExportRequest

__all__ = [
    "ExportCreateView",
    "ExportDetailView",
    "ExportDownloadView",
    "ExportListView",
    "ExportReviewView",
]


def _refuse(request) -> None:
    """A business-rule refusal (not the requester; self-approval): audited, then 403."""
    record_denial(actor=request.user, path=request.path, method=request.method, reason="rule")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


class ExportListView(ScopedViewMixin, View):
    """My exports, and (for an approver) the exports of others that await a decision."""

    model = ExportRequest

    def get(self, request):
        mine = (
            self.get_queryset()
            .filter(requester=request.user)
            .select_related("decided_by", "filter_home_state")
        )
        awaiting = (
            ExportRequest.objects.for_user(request.user, "approve")
            .filter(state=ExportState.REQUESTED)
            .exclude(requester=request.user)
            .select_related("requester", "filter_home_state")
        )
        return render(
            request,
            "exports/export_list.html",
            {
                "mine": mine[:100],
                "awaiting": awaiting[:100],
                "may_request": request.user.has_capability(cap.REQUEST_EXPORT),
                "may_approve": request.user.has_capability(cap.APPROVE_EXPORT),
            },
        )


class ExportCreateView(ScopedViewMixin, View):
    """Ask for an export: data, format, filters and the purpose."""

    model = ExportRequest
    action = "add"

    def get(self, request):
        return self._render(ExportRequestForm(user=request.user, initial=self._initial()))

    def _initial(self) -> dict:
        """From a list's Export button: `?dataset=NAME&<the list's querystring>`.

        The dataset is pre-selected and the list's filters carried as they are; the service
        checks them when the request is sent.
        """
        query = self.request.GET.copy()
        dataset = query.pop("dataset", [""])[-1]
        if dataset not in Dataset.values:
            return {}
        query.pop("page", None)
        search_id = query.pop("s", [""])[-1]
        if dataset == Dataset.CHILDREN and search_id:
            # a name search is kept in the session, never in a URL (core.searches)
            terms = load_search(self.request, "children", search_id) or {}
            query = QueryDict(mutable=True)
            query.update(terms)
        elif dataset == Dataset.CHILDREN:
            query.pop("q", None)  # the list ignores a name in a URL, and so does its export
        return {"dataset": dataset, "filters": query.urlencode()}

    def _render(self, form):
        return render(self.request, "exports/export_form.html", {"form": form})

    def post(self, request):
        form = ExportRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        try:
            export = services.request_export(
                actor=request.user,
                dataset=data["dataset"],
                file_format=data["file_format"],
                purpose_category=data["purpose_category"],
                purpose=data["purpose"],
                home_state=data["home_state"],
                status=data["status"],
                operation=data["operation"],
                filters=data["filters"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
            return self._render(form)
        if export.state == ExportState.REQUESTED:
            messages.success(
                request, _("Your export was requested. A second person must approve it.")
            )
        else:
            messages.success(request, _("Your export is approved. You can prepare the file now."))
        return redirect("exports:detail", pk=export.pk)


class ExportDetailView(ScopedObjectMixin, View):
    """One export. Its requester prepares the file, asks for a new link, or deletes it."""

    model = ExportRequest
    template_name = "exports/export_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("requester", "decided_by")

    def _render(self, export, **extra):
        user = self.request.user
        context = {
            "export": export,
            "is_requester": export.requester_id == user.pk,
            "may_decide": export.state == ExportState.REQUESTED
            and export.requester_id != user.pk
            and ExportRequest.objects.for_user(user, "approve").filter(pk=export.pk).exists(),
            "link_minutes": services.settings.HOMEWARD_EXPORT_LINK_MINUTES,
            "keep_days": services.settings.HOMEWARD_EXPORT_KEEP_DAYS,
            **extra,
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(self.get_object())

    def post(self, request, pk):
        export = self.get_object()
        step = request.POST.get("do")
        try:
            if step == "generate":
                prepared = services.generate_export(export, actor=request.user)
                return _no_store(
                    self._render(
                        prepared.export,
                        passphrase=prepared.passphrase,
                        link=reverse("exports:download", kwargs={"token": prepared.token}),
                        link_expires=prepared.expires_at,
                    )
                )
            if step == "link":
                token, expires_at = services.issue_download_link(export, actor=request.user)
                export.refresh_from_db()
                return _no_store(
                    self._render(
                        export,
                        link=reverse("exports:download", kwargs={"token": token}),
                        link_expires=expires_at,
                    )
                )
            if step == "delete":
                services.delete_export(export, actor=request.user)
                messages.success(request, _("The export and its file were deleted."))
                return redirect("exports:detail", pk=export.pk)
        except PermissionDenied:
            _refuse(request)
            raise
        except ExportStateError as exc:
            messages.error(request, str(exc.message))
            return redirect("exports:detail", pk=export.pk)
        return redirect("exports:detail", pk=export.pk)


class ExportReviewView(ScopedObjectMixin, View):
    """The approver's page: the request, its purpose and size; approve or refuse."""

    model = ExportRequest
    action = "approve"

    def _render(self, export, form, status=200):
        return render(
            self.request,
            "exports/export_review.html",
            {
                "export": export,
                "form": form,
                "is_requester": export.requester_id == self.request.user.pk,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(self.get_object(), DecisionForm())

    def post(self, request, pk):
        export = self.get_object()
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self._render(export, form)
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_export(export, actor=request.user, note=note)
                messages.success(request, _("Export approved."))
            else:
                services.reject_export(export, actor=request.user, note=note)
                messages.success(request, _("Export refused."))
        except PermissionDenied:
            _refuse(request)
            raise
        except ValidationError as exc:
            apply_service_error(form, exc)
            return self._render(export, form)
        except ExportStateError as exc:
            messages.error(request, str(exc.message))
        return redirect("exports:list")


class ExportDownloadView(LoginRequiredMixin, View):
    """A single-use link: the encrypted file once; 410 when used or expired.

    The token is the only key in the URL; it must belong to the signed-in requester's own
    export, or the answer is the same 404 as for a token that never existed.
    """

    def get(self, request, token):
        link = services.find_link(token, actor=request.user)
        if link is None:
            raise Http404(_("No such record."))
        try:
            export, data = services.consume_download_link(link, actor=request.user)
        except PermissionDenied:
            _refuse(request)
            raise
        except LinkGone as exc:
            response = render(
                request, "exports/link_gone.html", {"message": exc.message, "export": link.export}
            )
            response.status_code = 410
            return _no_store(response)
        response = HttpResponse(data, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{export.download_name()}"'
        response["X-Content-Type-Options"] = "nosniff"
        return _no_store(response)
