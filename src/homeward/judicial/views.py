"""Requests for evidence: the list and one request with its decision and what was sent.

A consul sees its own state's requests (status, decision, what was sent and when); another
state's request answers 404 like a missing one.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from homeward.accounts import capabilities as cap
from homeward.adults.views import FormPageMixin
from homeward.audit.services import record_list, record_view
from homeward.core.views import ScopedObjectMixin, ScopedViewMixin
from homeward.judicial import events, queries, services
from homeward.judicial.forms import (
    ApprovalForm,
    DecisionForm,
    EvidenceRequestForm,
    ForwardForm,
    TransmissionForm,
)
from homeward.judicial.models import EvidenceRequest, EvidenceTransmission


class EvidenceRequestListView(ScopedViewMixin, View):
    model = EvidenceRequest

    def get(self, request):
        rows = list(queries.requests_for(request.user)[:200])
        record_list(
            events.REQUESTS_LISTED,
            actor=request.user,
            ids=[row.pk for row in rows],
            query={},
            total=len(rows),
        )
        context = {
            "requests": rows,
            "figures": queries.request_figures(request.user),
            "can_add": request.user.has_capability(cap.ADD_EVIDENCE_REQUEST),
            "section": "judicial",
        }
        return render(request, "judicial/request_list.html", context)


class EvidenceRequestDetailView(ScopedObjectMixin, View):
    model = EvidenceRequest

    def get(self, request, pk):
        evidence_request = self.get_object()
        record_view(events.REQUEST_VIEWED, actor=request.user, target=evidence_request)
        context = {
            "req": evidence_request,
            "transmissions": queries.transmissions_for(request.user, evidence_request),
            "overdue": evidence_request.is_overdue(),
            "can_add": request.user.has_capability(cap.ADD_EVIDENCE_REQUEST),
            "can_approve": request.user.has_capability(cap.APPROVE_EVIDENCE_TRANSMISSION),
            "section": "judicial",
        }
        return render(request, "judicial/request_detail.html", context)


def _request_url(evidence_request) -> str:
    return reverse("judicial:request_detail", kwargs={"pk": evidence_request.pk})


class EvidenceRequestCreateView(FormPageMixin, ScopedViewMixin, View):
    model = EvidenceRequest
    action = "add"
    title = gettext_lazy("Record a request for evidence")

    def get(self, request):
        return self.render_form(EvidenceRequestForm(user=request.user), None)

    def post(self, request):
        return self.submit(
            EvidenceRequestForm(request.POST, user=request.user),
            lambda data: services.record_evidence_request(
                data.pop("home_state"), actor=request.user, **data
            ),
            None,
            _request_url,
        )


class _RequestFormView(FormPageMixin, ScopedObjectMixin, View):
    model = EvidenceRequest
    form_class = None

    def required_capability(self) -> str:
        return cap.ADD_EVIDENCE_REQUEST

    def get(self, request, pk):
        evidence_request = self.get_object()
        form = self.form_class(initial={"expected_version": evidence_request.version})
        return self.render_form(form, evidence_request)

    def post(self, request, pk):
        evidence_request = self.get_object()
        return self.submit(
            self.form_class(request.POST),
            lambda data: self.service(evidence_request, data),
            evidence_request,
            _request_url(evidence_request),
        )


class ForwardView(_RequestFormView):
    title = gettext_lazy("Forward to the answering authority")
    form_class = ForwardForm

    def service(self, evidence_request, data):
        return services.forward_evidence_request(evidence_request, actor=self.request.user, **data)


class DecisionView(_RequestFormView):
    title = gettext_lazy("Record the decision")
    form_class = DecisionForm

    def service(self, evidence_request, data):
        return services.decide_evidence_request(evidence_request, actor=self.request.user, **data)


class TransmissionCreateView(FormPageMixin, ScopedObjectMixin, View):
    """Prepare the documents to send; a second person approves them."""

    model = EvidenceRequest
    title = gettext_lazy("Prepare documents to send")

    def required_capability(self) -> str:
        return cap.ADD_EVIDENCE_REQUEST

    def get(self, request, pk):
        evidence_request = self.get_object()
        form = TransmissionForm(user=request.user, request=evidence_request)
        return self.render_form(form, evidence_request)

    def post(self, request, pk):
        evidence_request = self.get_object()
        return self.submit(
            TransmissionForm(request.POST, user=request.user, request=evidence_request),
            lambda data: services.record_transmission(evidence_request, actor=request.user, **data),
            evidence_request,
            _request_url(evidence_request),
        )


class TransmissionDecisionView(FormPageMixin, ScopedObjectMixin, View):
    """The second person approves (and the disclosure is logged) or refuses the sending."""

    model = EvidenceTransmission
    action = "approve"
    title = gettext_lazy("Approve or refuse the sending")

    def get(self, request, pk):
        transmission = self.get_object()
        return self.render_form(ApprovalForm(), transmission.request)

    def post(self, request, pk):
        transmission = self.get_object()

        def decide(data):
            if data["refuse"]:
                return services.refuse_transmission(
                    transmission, actor=request.user, note=data["note"]
                )
            return services.approve_transmission(
                transmission, actor=request.user, note=data["note"]
            )

        return self.submit(
            ApprovalForm(request.POST),
            decide,
            transmission.request,
            _request_url(transmission.request),
        )
