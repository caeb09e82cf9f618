"""Forms of the judicial cooperation pages: they validate input; services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.attachments.models import Attachment
from homeward.core.forms import HomewardForm
from homeward.core.models import HomeState
from homeward.judicial.choices import (
    AnsweringAuthority,
    Channel,
    CooperationBasis,
    RequestedItem,
    RequestStatus,
)
from homeward.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class DocumentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} · SHA-256 {obj.sha256[:16]}…"


class EvidenceRequestForm(HomewardForm):
    home_state = forms.ModelChoiceField(
        label=_("Requesting state"), queryset=HomeState.objects.none()
    )
    subject = PersonChoice(label=_("Person concerned"), queryset=Person.objects.none())
    their_reference = forms.CharField(label=_("Requesting state's reference"), max_length=80)
    channel = forms.ChoiceField(label=_("Received through"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=CooperationBasis.choices)
    legal_reference = forms.CharField(
        label=_("Treaty or instrument"), required=False, max_length=200
    )
    items = forms.MultipleChoiceField(
        label=_("Requested"), choices=RequestedItem.choices, widget=forms.CheckboxSelectMultiple
    )
    authority = forms.ChoiceField(
        label=_("Answering authority"), choices=AnsweringAuthority.choices
    )
    authority_name = forms.CharField(label=_("Court or office"), required=False, max_length=200)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_state"].queryset = HomeState.objects.for_user(user, "view")
        self.fields["subject"].queryset = (
            Person.objects.for_user(user, "view")
            .filter(Q(adult_case__isnull=False) | Q(court_cases__isnull=False))
            .prefetch_related("names")
            .distinct()
        )


class ForwardForm(HomewardForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    forwarded_on = forms.DateField(label=_("Forwarded on"), widget=DATE)


class DecisionForm(HomewardForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (code, label)
            for code, label in RequestStatus.choices
            if code in RequestStatus.decided()
        ],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransmissionForm(HomewardForm):
    documents = DocumentChoice(
        label=_("Documents"),
        queryset=Attachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    recipient = forms.CharField(label=_("Sent to"), max_length=200)
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Attachment.objects.for_user(user, "view").filter(
            person=request.subject, is_withdrawn=False
        )


class ApprovalForm(HomewardForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    refuse = forms.BooleanField(label=_("Refuse the sending"), required=False)
