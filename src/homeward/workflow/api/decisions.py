"""Two decisions of the workflow pages over the API: a sibling group's approval, a closure's.

`workflow:approve_group` and `workflow:closure_decide` as POSTs under the case, through the
same services (`approve_family_group`, `approve_closure` / `reject_closure`). The case is
resolved in the caller's scope (out of scope: the 404 of a missing case); the service checks
capability, scope and the versions again and writes the audit events.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from homeward.accounts import capabilities as cap
from homeward.core.api.permissions import HasCapability
from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.api.views import ServiceCallMixin
from homeward.workflow.api.serializers import RequirementSerializer
from homeward.workflow.api.views import CaseResolverMixin, conflict, move_refused
from homeward.workflow.choices import ClosureStatus
from homeward.workflow.exceptions import GateNotMet, TransitionNotAllowed
from homeward.workflow.models import ClosureRequest
from homeward.workflow.queries import siblings_to_approve
from homeward.workflow.services import approve_closure, approve_family_group, reject_closure

__all__ = ["ClosureDecisionView", "GroupApprovalView"]

TAGS = ["workflow"]


class GroupApprovalInput(StrictInputSerializer):
    decision_reference = serializers.CharField(max_length=80, label=_("judicial decision number"))
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        label=_("versions"),
        help_text=_(
            "Each case of the group (id) with the version it was read at: a change to any of "
            "them since refuses the whole approval (409)."
        ),
    )


class CaseStateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()


class GroupApprovalSerializer(serializers.Serializer):
    cases = CaseStateSerializer(many=True, label=_("the cases approved"))


class ClosureDecisionInput(StrictInputSerializer):
    decision = serializers.ChoiceField(
        choices=[("approve", _("Close the case")), ("reject", _("Keep the case open"))],
        label=_("decision"),
    )
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", label=_("note")
    )


class ClosureRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    case_version = serializers.IntegerField(source="case.version", read_only=True)

    class Meta:
        model = ClosureRequest
        fields = [
            "id",
            "case",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "case_status",
            "case_version",
        ]
        read_only_fields = fields


DECISION_CONFLICT = inline_serializer(
    "DecisionConflict",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(
            required=False,
            help_text=_(
                "gate_not_met, transition_not_allowed, not_in_a_group or no_pending_closure"
            ),
        ),
        "unmet": RequirementSerializer(many=True, required=False),
    },
)


class _CaseDecision(ServiceCallMixin, CaseResolverMixin, GenericViewSet):
    """A POST-only action under the case (routed as {"post": "create"}, as the other
    write-only steps are, so no GET route exists for it)."""

    permission_classes = [HasCapability]
    http_method_names = ["post", "options"]


class GroupApprovalView(_CaseDecision):
    """The judge approves every child of a sibling group still travelling together, or none."""

    write_permission = cap.APPROVE_CASE
    serializer_class = GroupApprovalInput

    @extend_schema(
        summary=_("Approve a sibling group"),
        description=_(
            "One judicial decision approves every case of the child's sibling group that must "
            "travel together and is not yet approved, or none of them. `versions` names each "
            "of those cases with the version read: a case missing from it is a 400, a case "
            "changed since a 409. 409 also when the child is in no such group (`code` "
            "`not_in_a_group`) or a case's gate is not met (`unmet`)."
        ),
        request=GroupApprovalInput,
        responses={
            200: GroupApprovalSerializer,
            409: OpenApiResponse(DECISION_CONFLICT, description=_("Not possible now.")),
        },
        tags=TAGS,
    )
    def create(self, request, *args, **kwargs):
        case = self.get_object()
        data = self.given(GroupApprovalInput)
        members = siblings_to_approve(case, request.user)
        if len(members) < 2:
            detail = _("This child is not in a sibling group waiting for approval.")
            return conflict(detail, "not_in_a_group")
        versions = data["versions"]
        missing = [member.reference for member in members if str(member.pk) not in versions]
        if missing:
            message = _("Give the version of every case of the group: %(references)s.") % {
                "references": ", ".join(missing)
            }
            raise exceptions.ValidationError({"versions": [message]})
        try:
            approved = self.call(
                approve_family_group,
                case.family_group,
                expected_versions={member.pk: versions[str(member.pk)] for member in members},
                decision_reference=data["decision_reference"],
            )
        except (GateNotMet, TransitionNotAllowed) as exc:
            return move_refused(exc)
        cases = [
            {"id": c.pk, "reference": c.reference, "status": c.status, "version": c.version}
            for c in approved
        ]
        return Response(GroupApprovalSerializer({"cases": cases}).data)


class ClosureDecisionView(_CaseDecision):
    """A supervisor (not the requester) approves or rejects the case's pending closure."""

    write_permission = cap.APPROVE_CLOSURE
    serializer_class = ClosureDecisionInput

    @extend_schema(
        summary=_("Decide a closure request"),
        description=_(
            "`approve` closes the case, `reject` keeps it open (with a `note`). Only a "
            "supervisor other than the one who asked; 409 when no closure request is waiting "
            "(`code` `no_pending_closure`) or the case changed since it was asked."
        ),
        request=ClosureDecisionInput,
        responses={
            200: ClosureRequestSerializer,
            409: OpenApiResponse(DECISION_CONFLICT, description=_("Not possible now.")),
        },
        tags=TAGS,
    )
    def create(self, request, *args, **kwargs):
        case = self.get_object()
        data = self.given(ClosureDecisionInput)
        pending = (
            ClosureRequest.objects.for_user(request.user, "view")
            .filter(case=case, status=ClosureStatus.PENDING)
            .first()
        )
        if pending is None:
            detail = _("No closure request is waiting for a decision.")
            return conflict(detail, "no_pending_closure")
        if data["decision"] == "approve":
            self.call(approve_closure, pending)
        else:
            self.call(reject_closure, pending, note=data["note"])
        decided = ClosureRequest.objects.select_related("case", "requested_by", "decided_by").get(
            pk=pending.pk
        )
        return Response(ClosureRequestSerializer(decided).data)
