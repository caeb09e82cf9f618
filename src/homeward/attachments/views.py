"""Document pages: upload to a person, download, withdraw. Thin adapters over the services.

Every page finds its record through a scoped queryset (ScopedObjectMixin): a person or a
document outside the user's home states is a 404 exactly like a missing one. The download
is the only way to the bytes; it is audited, it re-checks the hash, and it hands out a file
name that says nothing about the child.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.attachments import services
from homeward.attachments.exceptions import IntegrityFailure
from homeward.attachments.forms import AttachmentForm, WithdrawForm
from homeward.attachments.models import Attachment
from homeward.attachments.permissions import can_download, can_see_title
from homeward.attachments.queries import visible_attachments
from homeward.attachments.uploads import oversized_fields
from homeward.core.exceptions import OutOfScopeError
from homeward.core.forms import apply_service_error
from homeward.core.views import ScopedObjectMixin
from homeward.people.models import Person

__all__ = ["AttachmentCreateView", "AttachmentDownloadView", "AttachmentWithdrawView", "serve"]

SERVICE_ERRORS = (ValidationError, OutOfScopeError)


def serve(attachment: Attachment, *, actor):
    """The verified bytes as a download (shared by the page and the API)."""
    verified = services.open_verified(attachment, actor=actor)
    response = FileResponse(
        verified,
        as_attachment=True,
        filename=attachment.download_name(),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _person_context(person: Person) -> dict:
    return {"person": person, "case": getattr(person, "case", None) if person.is_child else None}


class AttachmentCreateView(ScopedObjectMixin, View):
    """Attach a document to a person the user may see (the kinds narrowed to their role)."""

    model = Person
    action = "view"
    pk_url_kwarg = "person_pk"
    template_name = "attachments/attachment_form.html"

    def required_capability(self) -> str:
        return cap.ADD_ATTACHMENT

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("case", "case__home_state")
            .prefetch_related("names")
        )

    def get(self, request, person_pk):
        person = self.get_object()
        return self._render(person, AttachmentForm(user=request.user))

    def post(self, request, person_pk):
        person = self.get_object()
        form = AttachmentForm(
            request.POST, request.FILES, user=request.user, oversized=oversized_fields(request)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_attachment(
                    person,
                    actor=request.user,
                    upload=data["file"],
                    kind=data["kind"],
                    title=data["title"],
                    language=data["language"],
                    sensitive=data["sensitive"],
                )
            except SERVICE_ERRORS as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The document was attached."))
                return redirect("people:person_detail", pk=person.pk)
        return self._render(person, form)

    def _render(self, person, form, status=200):
        context = {**_person_context(person), "form": form}
        return render(self.request, self.template_name, context, status=status)


class AttachmentDownloadView(ScopedObjectMixin, View):
    """The only way to a document's bytes: scoped, sensitivity-checked, verified, audited."""

    model = Attachment
    action = "download"

    def get_queryset(self):
        return visible_attachments(self.request.user, self.action).select_related(
            "person", "person__case"
        )

    def get(self, request, pk):
        attachment = self.get_object()
        if not can_download(request.user, attachment):
            record_denial(
                actor=request.user, path=request.path, method=request.method, reason="sensitivity"
            )
            raise PermissionDenied
        try:
            return serve(attachment, actor=request.user)
        except IntegrityFailure as exc:
            return render(
                request,
                "attachments/integrity_failed.html",
                {"message": exc.message, "person": attachment.person},
                status=409,
            )


class AttachmentWithdrawView(ScopedObjectMixin, View):
    """Withdraw a document from a record, with a reason; the file itself is kept."""

    model = Attachment
    action = "withdraw"
    template_name = "attachments/withdraw_form.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(is_withdrawn=False)
            .select_related("person", "person__case", "person__case__home_state")
        )

    def get(self, request, pk):
        attachment = self.get_object()
        return self._render(attachment, WithdrawForm())

    def post(self, request, pk):
        attachment = self.get_object()
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw_attachment(
                    attachment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except SERVICE_ERRORS as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The document was withdrawn. The file is kept."))
                return redirect("people:person_detail", pk=attachment.person_id)
        return self._render(attachment, form)

    def _render(self, attachment, form, status=200):
        context = {
            **_person_context(attachment.person),
            "attachment": attachment,
            "show_title": can_see_title(self.request.user, attachment),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)
