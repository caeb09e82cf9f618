"""Diplomacy pages: thin adapters over `queries` (reads) and `services` (writes).

Each view declares `model` and `action`; ScopedViewMixin checks the capability and narrows
the queryset, so a consul of Russia gets 404 for a Tajik engagement exactly as for a
missing one. Pages about a home state resolve it through the scoped HomeState queryset.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial, record_hidden_lookup
from homeward.attachments.permissions import addable_kinds
from homeward.audit.services import record_event, record_list, record_view
from homeward.core.exceptions import OutOfScopeError
from homeward.core.forms import apply_service_error
from homeward.core.models import HomeState
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.diplomacy import events, queries, services
from homeward.diplomacy.forms import (
    ActionItemForm,
    CancelActionItemForm,
    CloseActionItemForm,
    EngagementDocumentForm,
    EngagementForm,
    FocalPointForm,
    PolicyForm,
    ProfileForm,
    ReplyForm,
)
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile


class StateMixin(ScopedViewMixin):
    """A page about one home state (`<code>`), found within the user's scope or 404."""

    model = HomeStateProfile

    def get_state(self) -> HomeState:
        code = self.kwargs["code"].upper()
        visible = HomeState.objects.for_user(self.request.user, "view")
        state = visible.filter(code=code).first()
        if state is None:
            record_hidden_lookup(self.request, visible, code=code)
            raise Http404(_("No such record."))
        return state

    def get_profile(self, state) -> HomeStateProfile | None:
        return (
            HomeStateProfile.objects.for_user(self.request.user, "view")
            .filter(home_state=state)
            .first()
        )


class StateListView(ScopedViewMixin, View):
    """Home states with cases in the user's scope: a consul sees only its own."""

    model = HomeStateProfile

    def get(self, request):
        states = queries.states_for(request.user)
        record_list(
            events.PROFILES_LISTED,
            actor=request.user,
            ids=[state.code for state in states],
            query={},
            total=len(states),
        )
        return render(request, "diplomacy/state_list.html", {"states": states})


class StateListDownloadView(ScopedViewMixin, View):
    """The home-states list as a plain CSV/XLSX download: no personal data (a state, its
    policy stance and how many cases the user may see), so no four-eyes export; the
    download is audited first, and the file carries the same watermark as an export."""

    model = HomeStateProfile

    def get(self, request):
        from homeward.exports.choices import ExportFormat
        from homeward.exports.files import Watermark, render_csv, render_xlsx

        file_format = request.GET.get("format", ExportFormat.XLSX)
        if file_format not in ExportFormat.values:
            raise Http404(_("No such record."))
        states = queries.states_for(request.user)
        with transaction.atomic():
            event = record_event(
                events.PROFILES_DOWNLOADED,
                actor=request.user,
                data={"format": file_format, "ids": [state.code for state in states]},
            )
        header = [_("Code"), _("Home state"), _("Policy stance"), _("Cases")]
        rows = [
            [
                state.code,
                state.display_name,
                state.profile.get_stance_display() if state.profile else "",
                state.cases_total,
            ]
            for state in states
        ]
        mark = Watermark(
            export_id=f"audit-{event.seq}",
            requester=request.user.get_username(),
            created=event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            dataset=str(_("Home states")),
        )
        render = render_xlsx if file_format == ExportFormat.XLSX else render_csv
        response = HttpResponse(render(header, rows, mark), content_type="application/octet-stream")
        response["Content-Disposition"] = (
            f'attachment; filename="homeward-home-states.{file_format}"'
        )
        response["Cache-Control"] = "no-store"
        return response


class StateDetailView(StateMixin, View):
    """The profile, the policy in force and its history, live figures, engagements, actions."""

    def get(self, request, code):
        user = request.user
        state = self.get_state()
        profile = self.get_profile(state)
        today = timezone.localdate()
        history = list(queries.policy_history(state))
        in_force = next((p for p in history if p.effective_from <= today), None)
        engagements = (
            list(queries.engagements_for(user, state)[:50])
            if user.has_capability(cap.VIEW_ENGAGEMENT)
            else []
        )
        items = []
        if user.has_capability(cap.VIEW_ACTION_ITEM):
            items = list(
                ActionItem.objects.for_user(user, "view")
                .filter(engagement__home_state=state, status="open")
                .select_related("owner_agency", "engagement")
            )
        record_view(events.PROFILE_VIEWED, actor=user, target=profile or state)
        releases_due = None
        if user.has_capability(cap.VIEW_ADULT_CASE):
            from homeward.adults.queries import releases_due as adult_releases_due

            releases_due = adult_releases_due(user, home_state=state, today=today)
        context = {
            "releases_due": releases_due,
            "state": state,
            "profile": profile,
            "focal_points": profile.focal_points.all() if profile else [],
            "policy": in_force,
            "history": history,
            "figures": queries.state_figures(user, state, today=today),
            "responsiveness": queries.responsiveness(user, state, today=today),
            "engagements": [(e, e.days_unanswered(today)) for e in engagements],
            "action_items": [(item, item.is_overdue(today)) for item in items],
            "can_edit": user.has_capability(cap.CHANGE_PROFILE),
            "can_publish": user.has_capability(cap.PUBLISH_POLICY),
            "can_add": user.has_capability(cap.ADD_ENGAGEMENT),
        }
        return render(request, "diplomacy/state_detail.html", context)


def _state_url(state) -> str:
    return reverse("diplomacy:state_detail", kwargs={"code": state.code})


def _engagement_url(engagement) -> str:
    return reverse("diplomacy:engagement_detail", kwargs={"pk": engagement.pk})


class FormPageMixin:
    """Render `diplomacy/form.html` with a title, a form and where to go back."""

    title = ""

    def render_form(self, form, back, **extra):
        context = {"form": form, "title": self.title, "back": back, **extra}
        return render(self.request, "diplomacy/form.html", context)

    def submit(self, form, perform, back, success, **extra):
        """Validate `form`, call `perform(cleaned_data)`, redirect to `success`.

        `success` is a URL or a function of the service's result giving one. Invalid input
        and service errors re-render the form with each error at its field.
        """
        if not form.is_valid():
            return self.render_form(form, back, **extra)
        result = self.run(form, lambda: perform(form.cleaned_data), back, **extra)
        if isinstance(result, HttpResponse):
            return result
        return redirect(success(result) if callable(success) else success)

    def run(self, form, perform, back, **extra):
        """Call the service; map its errors onto the form, refusals onto 403/404."""
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
        except ValidationError as exc:
            apply_service_error(form, exc)
            return self.render_form(form, back, **extra)
        messages.success(self.request, _("Recorded."))
        return result


class ProfileEditView(FormPageMixin, StateMixin, View):
    action = "change"
    title = gettext_lazy("Edit the home-state profile")

    def _form(self, state, data=None):
        profile = self.get_profile(state)
        initial = {}
        if profile:
            initial = {key: getattr(profile, key) for key in services.PROFILE_FIELDS}
        return ProfileForm(data, initial=initial)

    def get(self, request, code):
        state = self.get_state()
        return self.render_form(self._form(state), state)

    def post(self, request, code):
        state = self.get_state()
        return self.submit(
            self._form(state, request.POST),
            lambda data: services.save_profile(state, actor=request.user, **data),
            state,
            _state_url(state),
        )


class EngagementCreateView(FormPageMixin, ScopedViewMixin, View):
    model = Engagement
    action = "add"
    title = gettext_lazy("Record an engagement")

    def get(self, request):
        form = EngagementForm(user=request.user, initial={"home_state": request.GET.get("state")})
        return self.render_form(form, None)

    def post(self, request):
        return self.submit(
            EngagementForm(request.POST, user=request.user),
            lambda data: services.record_engagement(
                data.pop("home_state"), actor=request.user, **data
            ),
            None,
            _engagement_url,
        )


class EngagementDetailView(ScopedObjectMixin, View):
    model = Engagement

    def get(self, request, pk):
        engagement = self.get_object()
        record_view(events.ENGAGEMENT_VIEWED, actor=request.user, target=engagement)
        items = []
        if request.user.has_capability(cap.VIEW_ACTION_ITEM):
            items = list(
                ActionItem.objects.for_user(request.user, "view")
                .filter(engagement=engagement)
                .select_related("owner_agency", "owner_user")
            )
        context = {
            "engagement": engagement,
            "days_unanswered": engagement.days_unanswered(),
            "replies": engagement.replies.all(),
            "cases": engagement.cases.filter(
                pk__in=engagement.cases.model.objects.for_user(request.user, "view")
            ),
            "action_items": items,
            "can_reply": engagement.is_note_out and request.user.has_capability(cap.RECORD_REPLY),
            "documents": queries.engagement_documents(request.user, engagement),
            "can_attach": request.user.has_capability(cap.RECORD_REPLY)
            and bool(addable_kinds(request.user))
            and engagement.cases.exists(),
            "can_add_item": request.user.has_capability(cap.ADD_ACTION_ITEM),
            "can_close_item": request.user.has_capability(cap.CHANGE_ACTION_ITEM),
        }
        return render(request, "diplomacy/engagement_detail.html", context)


class ReplyCreateView(FormPageMixin, ScopedObjectMixin, View):
    """Record the note verbale that answers a note verbale sent (officers and the consul)."""

    model = Engagement
    title = gettext_lazy("Record the reply")

    def required_capability(self) -> str:
        return cap.RECORD_REPLY

    def get(self, request, pk):
        return self.render_form(ReplyForm(), self.get_object())

    def post(self, request, pk):
        note = self.get_object()
        return self.submit(
            ReplyForm(request.POST),
            lambda data: services.record_reply(note, actor=request.user, **data),
            note,
            _engagement_url(note),
        )


class ActionItemCreateView(FormPageMixin, ScopedObjectMixin, View):
    """Add an action item to an engagement the user may see."""

    model = Engagement
    title = gettext_lazy("Add an action item")

    def required_capability(self) -> str:
        return cap.ADD_ACTION_ITEM

    def get(self, request, pk):
        engagement = self.get_object()
        return self.render_form(
            ActionItemForm(engagement=engagement, user=request.user), engagement
        )

    def post(self, request, pk):
        engagement = self.get_object()
        return self.submit(
            ActionItemForm(request.POST, engagement=engagement, user=request.user),
            lambda data: services.add_action_item(engagement, actor=request.user, **data),
            engagement,
            _engagement_url(engagement),
        )


class _CloseActionItemView(FormPageMixin, ScopedObjectMixin, View):
    """Close an action item (done or cancelled) with a note, back to its engagement."""

    model = ActionItem
    action = "change"
    form_class = CloseActionItemForm
    close = staticmethod(services.complete_action_item)

    def get(self, request, pk):
        item = self.get_object()
        return self.render_form(self.form_class(), item.engagement, item=item)

    def post(self, request, pk):
        item = self.get_object()
        return self.submit(
            self.form_class(request.POST),
            lambda data: self.close(item, actor=request.user, note=data["note"]),
            item.engagement,
            _engagement_url(item.engagement),
            item=item,
        )


class ActionItemCompleteView(_CloseActionItemView):
    title = gettext_lazy("Mark the action item done")


class ActionItemCancelView(_CloseActionItemView):
    title = gettext_lazy("Cancel the action item")
    form_class = CancelActionItemForm
    close = staticmethod(services.cancel_action_item)


class MeetingPackView(StateMixin, View):
    """The meeting pack PDF, in the user's language; what it listed is audited."""

    def get(self, request, code):
        from homeward.diplomacy.pack import pack_response, render_pack_pdf

        state = self.get_state()
        pack = queries.meeting_pack(request.user, state)
        pdf = render_pack_pdf(pack)
        services.record_pack_printed(
            pack,
            actor=request.user,
            target=self.get_profile(state) or state,
            language=translation.get_language(),
        )
        return pack_response(pack, pdf, disposition="inline")


class EngagementDocumentView(FormPageMixin, ScopedObjectMixin, View):
    """File a document on an engagement, for a child linked to it (attachments app)."""

    model = Engagement
    title = gettext_lazy("File a document")

    def required_capability(self) -> str:
        return cap.RECORD_REPLY

    def get(self, request, pk):
        engagement = self.get_object()
        form = EngagementDocumentForm(engagement=engagement, user=request.user)
        return self.render_form(form, engagement)

    def post(self, request, pk):
        engagement = self.get_object()
        return self.submit(
            EngagementDocumentForm(
                request.POST, request.FILES, engagement=engagement, user=request.user
            ),
            lambda data: services.attach_document(
                engagement,
                actor=request.user,
                person=data["person"],
                upload=data["file"],
                kind=data["kind"],
                title=data["title"],
            ),
            engagement,
            _engagement_url(engagement),
        )


class FocalPointFormMixin(FormPageMixin, StateMixin):
    action = "change"

    def profile_or_404(self, state) -> HomeStateProfile:
        profile = self.get_profile(state)
        if profile is None:
            raise Http404(_("No such record."))
        return profile


class FocalPointCreateView(FocalPointFormMixin, View):
    title = gettext_lazy("Add a focal point")

    def get(self, request, code):
        state = self.get_state()
        self.profile_or_404(state)
        return self.render_form(FocalPointForm(), state)

    def post(self, request, code):
        state = self.get_state()
        profile = self.profile_or_404(state)
        return self.submit(
            FocalPointForm(request.POST),
            lambda data: services.add_focal_point(profile, actor=request.user, **data),
            state,
            _state_url(state),
        )


class FocalPointEditView(FormPageMixin, ScopedObjectMixin, View):
    """Correct a focal point's details, or remove one who no longer serves."""

    model = FocalPoint
    action = "change"
    title = gettext_lazy("Edit the focal point")

    def get(self, request, pk):
        point = self.get_object()
        initial = {key: getattr(point, key) for key in services.FOCAL_POINT_FIELDS}
        return self.render_form(FocalPointForm(initial=initial), point.profile, removable=True)

    def post(self, request, pk):
        point = self.get_object()
        back = reverse("diplomacy:state_detail", kwargs={"code": point.profile_id})
        if request.POST.get("remove"):
            result = self.run(
                FocalPointForm(),
                lambda: services.remove_focal_point(point, actor=request.user),
                point.profile,
                removable=True,
            )
            return result if isinstance(result, HttpResponse) else redirect(back)
        return self.submit(
            FocalPointForm(request.POST),
            lambda data: services.change_focal_point(point, actor=request.user, **data),
            point.profile,
            back,
            removable=True,
        )


class PolicyPublishView(FormPageMixin, StateMixin, View):
    """Publish the next version of the state's requirements policy (workflow.policies)."""

    title = gettext_lazy("Publish a new policy version")

    def required_capability(self) -> str:
        return cap.PUBLISH_POLICY

    def get(self, request, code):
        state = self.get_state()
        latest = queries.policy_history(state).first()
        initial = latest.rules() if latest else {}
        initial["effective_from"] = timezone.localdate()
        return self.render_form(PolicyForm(initial=initial), state)

    def post(self, request, code):
        from homeward.workflow.policies import publish_policy

        state = self.get_state()
        return self.submit(
            PolicyForm(request.POST),
            lambda rules: publish_policy(
                state,
                actor=request.user,
                reason=rules.pop("reason"),
                effective_from=rules.pop("effective_from"),
                **rules,
            ),
            state,
            _state_url(state),
        )
