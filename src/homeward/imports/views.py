"""Import pages: history and upload, one import's dry-run report (with live progress), the
commit, the day/month or encoding choice, the templates and the original file.

Thin adapters over `imports.services`. A small file is checked (and committed) within the
request; a large one is queued for `homeward run_imports`, and its page polls the progress
with htmx until the worker is done.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.imports import services
from homeward.imports.choices import BatchStatus
from homeward.imports.forms import OptionsForm, UploadForm
from homeward.imports.kinds import KINDS, importable_kinds
from homeward.imports.models import ImportBatch
from homeward.imports.reasons import render_html
from homeward.imports.templates import template_xlsx

ROWS_PER_PAGE = 100


def inline_bytes() -> int:
    return getattr(settings, "HOMEWARD_IMPORT_INLINE_BYTES", 2 * 1024 * 1024)


def inline_rows() -> int:
    return getattr(settings, "HOMEWARD_IMPORT_INLINE_ROWS", 2000)


class ImportListView(ScopedViewMixin, View):
    """The history of imports the user may see, and the upload form."""

    model = ImportBatch

    def get(self, request):
        return self._render(UploadForm(user=request.user))

    def _render(self, form, status=200):
        batches = self.get_queryset().select_related("created_by", "home_state")[:200]
        may_add = request_may_add(self.request)
        return render(
            self.request,
            "imports/import_list.html",
            {"batches": batches, "form": form if may_add else None,
             "kinds": importable_kinds(self.request.user) if may_add else []},
            status=status,
        )  # fmt: skip


def request_may_add(request) -> bool:
    return request.user.has_capability("imports.add_importbatch") and bool(
        importable_kinds(request.user)
    )


class ImportUploadView(ScopedViewMixin, View):
    model = ImportBatch
    action = "add"

    def get(self, request):
        return ImportListView(request=request)._render(UploadForm(user=request.user))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return ImportListView(request=request)._render(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = services.create_batch(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                data=upload.read(),
                encoding=form.cleaned_data["encoding"],
                date_order=form.cleaned_data["date_order"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return ImportListView(request=request)._render(form, status=400)
        if batch.size <= inline_bytes():
            services.analyse_batch(batch)
        return redirect("imports:detail", pk=batch.pk)


class ImportDetailView(ScopedObjectMixin, View):
    """The dry-run report: rows with their action, errors and look-alikes."""

    model = ImportBatch

    def get(self, request, pk):
        batch = self.get_object()
        show = request.GET.get("show", "problems")
        page = Paginator(batch.report_rows(show), ROWS_PER_PAGE).get_page(request.GET.get("page"))
        kind = KINDS.get(batch.kind)
        columns = kind.columns if kind else ()
        labels = {c.key: c.en for c in columns}
        services.record_report_read(
            batch,
            actor=request.user,
            numbers=[row.number for row in page],
            query={"show": show, "page": page.number},
        )
        for row in page:
            wrong = row.error_columns
            row.display = [(row.cells.get(c.key, ""), c.key in wrong) for c in columns]
            # each error under the column's header as the page shows it, not its key, and
            # worded in the reader's language
            row.problems = [
                (labels.get(error.get("column"), error.get("column", "")), render_html(error))
                for error in row.errors
            ]
        return render(
            request,
            "imports/import_detail.html",
            {
                "batch": batch,
                "kind": kind,
                "columns": columns,
                "page_obj": page,
                "show": show,
                "options_form": OptionsForm(
                    initial={
                        "encoding": batch.encoding_override,
                        "date_order": batch.date_order_override,
                    }
                ),
                "may_commit": batch.can_commit
                and request.user.has_capability("imports.add_importbatch")
                and kind in importable_kinds(request.user),
                "committed": services.commit_progress(batch),
                "file_errors": [render_html(error) for error in batch.file_errors],
            },
        )


class ImportProgressView(ScopedObjectMixin, View):
    """The progress bar (htmx polls it while a worker runs)."""

    model = ImportBatch

    def get(self, request, pk):
        batch = self.get_object()
        response = render(
            request,
            "imports/_progress.html",
            {"batch": batch, "committed": services.commit_progress(batch)},
        )
        if not batch.is_working and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"  # done: show the full report
        return response


class ImportCommitView(ScopedObjectMixin, View):
    model = ImportBatch
    action = "add"

    def get(self, request, pk):
        batch = self.get_object()
        return render(request, "imports/import_confirm.html", {"batch": batch, "confirm": "commit"})

    def post(self, request, pk):
        batch = self.get_object()
        try:
            batch = services.queue_commit(batch, actor=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("imports:detail", pk=batch.pk)
        if batch.total_rows <= inline_rows():
            batch = services.commit_batch(batch, actor=request.user)
            if batch.status == BatchStatus.COMMITTED:
                messages.success(
                    request, _("%(rows)s rows were imported.") % {"rows": batch.committed_rows}
                )
            else:
                messages.error(request, _("Nothing was imported. %(why)s") % {"why": batch.failure})
        return redirect("imports:detail", pk=batch.pk)


class ImportOptionsView(ScopedObjectMixin, View):
    """Check the file again with the encoding or day/month order the user chose."""

    model = ImportBatch
    action = "add"

    def get(self, request, pk):
        batch = self.get_object()
        form = OptionsForm(
            initial={"encoding": batch.encoding_override, "date_order": batch.date_order_override}
        )
        return render(
            request,
            "imports/import_confirm.html",
            {"batch": batch, "confirm": "options", "options_form": form},
        )

    def post(self, request, pk):
        batch = self.get_object()
        form = OptionsForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            batch = services.set_batch_options(batch, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("imports:detail", pk=batch.pk)
        if batch.size <= inline_bytes():
            services.analyse_batch(batch)
        return redirect("imports:detail", pk=batch.pk)


class ImportTemplateView(ScopedViewMixin, View):
    """The XLSX template of a kind the user may import."""

    model = ImportBatch
    action = "add"

    def get(self, request):
        allowed = importable_kinds(request.user)
        kind = request.GET.get("kind") or (allowed[0].code if allowed else "")
        found = KINDS.get(kind)
        if found is None or found not in importable_kinds(request.user):
            raise Http404
        response = HttpResponse(
            template_xlsx(found),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="homeward-{kind}-template.xlsx"'
        return response


class ImportFileView(ScopedObjectMixin, View):
    """The original file, as uploaded; each download is audited."""

    model = ImportBatch

    def get(self, request, pk):
        batch = self.get_object()
        response = HttpResponse(
            services.download_original(batch, actor=request.user),
            content_type="application/octet-stream",
        )
        response["Content-Disposition"] = f'attachment; filename="homeward-import-{batch.short_id}"'
        response["Cache-Control"] = "no-store"
        return response
