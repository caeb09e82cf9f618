"""Diplomacy over the API: scoped, audited reads, and writes through the services.

Linked cases are listed by reference only; a case is linked only to an engagement of its
own home state, so a caller who sees the engagement may see those references. Writes are
thin: the input is validated, the records it names are resolved within the caller's scope
(anything unseen is the 404 of a missing record, or a 400 for a listed case), and the
service checks capability and scope again and writes its audit event. A profile has a
version: changing it needs `If-Match` with its ETag (428 without, 412 when stale).
"""

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from homeward.accounts import capabilities as cap
from homeward.accounts.models import Agency, User
from homeward.attachments import events as attachment_events
from homeward.attachments.api.serializers import AttachmentSerializer
from homeward.attachments.models import Attachment
from homeward.audit.services import record_list
from homeward.core.api.preconditions import etag_for, expected_version, precondition_failed
from homeward.core.api.renderers import file_renderers
from homeward.core.api.views import AuditedReadMixin, DenialAuditMixin, ServiceCallMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.exceptions import StaleEditError
from homeward.core.models import HomeState
from homeward.core.scoping import capability_for
from homeward.diplomacy import events, queries, services
from homeward.diplomacy.api.serializers import (
    ActionItemInput,
    ActionItemSerializer,
    ActionItemStatusInput,
    EngagementDocumentInput,
    EngagementInput,
    EngagementSerializer,
    FocalPointInput,
    FocalPointSerializer,
    HomeStateProfileSerializer,
    PolicyInput,
    ProfileInput,
    ReplyInput,
    RequirementsPolicySerializer,
    ResponsivenessSerializer,
)
from homeward.diplomacy.choices import ActionItemStatus
from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile
from homeward.security.api import RowScopeAPIMixin

TAGS = ["diplomacy"]


@extend_schema_view(
    list=extend_schema(
        summary=_("List home-state profiles"),
        description=_("Profiles of the home states in the caller's scope."),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary=_("Read one home-state profile"),
        description=_("By ISO alpha-2 code, e.g. RU. The ETag header is the profile's version."),
        tags=TAGS,
    ),
    partial_update=extend_schema(
        summary=_("Change a home-state profile"),
        description=_(
            "Needs If-Match with the profile's ETag: 428 without it, 412 if someone changed "
            "the profile since."
        ),
        request=ProfileInput,
        responses={
            200: HomeStateProfileSerializer,
            412: OpenApiResponse(description=_("The profile changed since it was read.")),
            428: OpenApiResponse(description=_("If-Match is missing.")),
        },
        tags=TAGS,
    ),
)
class HomeStateProfileViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """What the ministry knows of each home state's practice: its channel, focal points and
    expectations; edited with If-Match."""

    queryset = HomeStateProfile.objects.prefetch_related("focal_points").order_by("home_state")
    serializer_class = HomeStateProfileSerializer
    list_event = events.PROFILES_LISTED
    view_event = events.PROFILE_VIEWED
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def write_permission(self) -> str:
        return cap.PUBLISH_POLICY if self.action == "policies" else cap.CHANGE_PROFILE

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data["version"])
        return response

    def partial_update(self, request, *args, **kwargs):
        profile = self.get_object()
        given = ProfileInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        version = expected_version(request)
        try:
            saved = self.call(
                services.save_profile,
                profile.home_state,
                expected_version=version,
                **given.validated_data,
            )
        except StaleEditError:
            current = HomeStateProfile.objects.get(pk=profile.pk)
            failed = precondition_failed(current.version)
            return Response(
                {"detail": str(failed.detail), "version": current.version},
                status=failed.status_code,
                headers={"ETag": etag_for(current.version)},
            )
        saved = self.get_queryset().get(pk=saved.pk)
        return Response(
            HomeStateProfileSerializer(saved).data, headers={"ETag": etag_for(saved.version)}
        )

    @extend_schema(
        summary=_("Add a focal point"),
        description=_("A contact person of the home state (name, role, organisation, phone…)."),
        request=FocalPointInput,
        responses={201: FocalPointSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="focal-points")
    def focal_points(self, request, pk=None):
        profile = self.get_object()
        given = FocalPointInput(data=request.data)
        given.is_valid(raise_exception=True)
        point = self.call(services.add_focal_point, profile, **given.validated_data)
        return Response(FocalPointSerializer(point).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Publish a new policy version"),
        description=_(
            "The next version of the home state's requirements policy, in force from "
            "`effective_from`, with the reason. Rules not given carry over from the newest "
            "version. Past decisions keep the version they were taken under."
        ),
        request=PolicyInput,
        responses={201: RequirementsPolicySerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def policies(self, request, pk=None):
        from homeward.workflow.policies import publish_policy

        profile = self.get_object()
        given = PolicyInput(data=request.data)
        given.is_valid(raise_exception=True)
        rules = dict(given.validated_data)
        policy = self.call(
            publish_policy,
            profile.home_state,
            reason=rules.pop("reason"),
            effective_from=rules.pop("effective_from"),
            **rules,
        )
        return Response(RequirementsPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("A home state's responsiveness"),
        description=_(
            "Notes verbales sent and answered, median days to the first reply, notes awaiting "
            "an answer, and children refused, within the caller's scope."
        ),
        responses={200: ResponsivenessSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["get"])
    def responsiveness(self, request, pk=None):
        profile = self.get_object()
        figures = queries.responsiveness(request.user, profile.home_state)
        data = {"home_state": profile.home_state_id, **figures.__dict__}
        return Response(ResponsivenessSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List engagements"),
        description=_("Notes verbales, meetings and visits with the home states in scope."),
        tags=TAGS,
    ),
    retrieve=extend_schema(summary=_("Read one engagement"), tags=TAGS),
    create=extend_schema(
        summary=_("Record an engagement"),
        request=EngagementInput,
        responses={201: EngagementSerializer},
        tags=TAGS,
    ),
)
class EngagementViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """Notes verbales, letters and meetings with a home state, and the replies to them."""

    queryset = Engagement.objects.prefetch_related(
        "cases", Prefetch("replies", queryset=Engagement.objects.only("id", "in_reply_to"))
    ).order_by("-date", "-created_at")
    serializer_class = EngagementSerializer
    list_event = events.ENGAGEMENTS_LISTED
    view_event = events.ENGAGEMENT_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_permission(self):
        # filing a document on an engagement needs what its page needs: the reply grant
        return cap.RECORD_REPLY if self.action in ("reply", "documents") else cap.ADD_ENGAGEMENT

    def output(self, engagement, code=status.HTTP_201_CREATED) -> Response:
        engagement = self.get_queryset().get(pk=engagement.pk)
        return Response(self.get_serializer(engagement).data, status=code)

    def create(self, request, *args, **kwargs):
        given = EngagementInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        state = self.visible(HomeState, code=data.pop("home_state").upper())
        data["cases"] = self.cases(data["cases"])
        return self.output(self.call(services.record_engagement, state, **data))

    @extend_schema(
        summary=_("Record the reply to a note verbale sent"),
        description=_("The home state's note verbale answering this one (officers, its consul)."),
        request=ReplyInput,
        responses={201: EngagementSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        note = self.get_object()
        given = ReplyInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        data["cases"] = self.cases(data["cases"])
        return self.output(self.call(services.record_reply, note, **data))

    @extend_schema(
        methods=["GET"],
        summary=_("List the documents filed on an engagement"),
        description=_(
            "Metadata of the documents filed on this engagement that the caller may see (a "
            "document's scope follows its child), as the engagement's page lists them. Each "
            "read is audited. The bytes come from each document's `download_url`."
        ),
        responses={200: AttachmentSerializer(many=True)},
        tags=TAGS,
    )
    @extend_schema(
        methods=["POST"],
        summary=_("File a document on an engagement"),
        description=_(
            "Multipart upload, as on the engagement's page: `person` is a child whose case is "
            "linked to the engagement (another is refused as unknown), with the `file`, its "
            "`kind` and `title`. Checked and stored like any document (`POST /attachments/`)."
        ),
        request={"multipart/form-data": EngagementDocumentInput},
        responses={201: AttachmentSerializer},
        tags=TAGS,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        engagement = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            return self._file_document(engagement, context)
        documents = queries.engagement_documents(request.user, engagement)
        data = AttachmentSerializer(documents, many=True, context=context).data
        record_list(
            attachment_events.ATTACHMENTS_LISTED,
            actor=request.user,
            ids=[document.pk for document in documents],
            query={"engagement": str(engagement.pk)},
            total=len(documents),
        )
        return Response(data)

    def _file_document(self, engagement, context) -> Response:
        given = EngagementDocumentInput(
            data=self.request.data, engagement=engagement, context=context
        )
        given.is_valid(raise_exception=True)
        data = given.validated_data
        attachment = self.call(
            services.attach_document,
            engagement,
            person=data["person"],
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
        )
        attachment = Attachment.objects.select_related("uploaded_by", "document_type").get(
            pk=attachment.pk
        )
        body = AttachmentSerializer(attachment, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=_("List action items"),
        description=_("Action items agreed with the home states in scope, earliest due first."),
        tags=TAGS,
    ),
    retrieve=extend_schema(summary=_("Read one action item"), tags=TAGS),
    create=extend_schema(
        summary=_("Add an action item to an engagement"),
        request=ActionItemInput,
        responses={201: ActionItemSerializer},
        tags=TAGS,
    ),
)
class ActionItemViewSet(ServiceCallMixin, AuditedReadMixin, ScopedReadOnlyViewSet):
    """What an engagement left someone to do, by when, until it is closed."""

    queryset = (
        ActionItem.objects.select_related("engagement", "owner_agency", "owner_user")
        .prefetch_related("cases")
        .order_by("due", "created_at")
    )
    serializer_class = ActionItemSerializer
    list_event = events.ACTION_ITEMS_LISTED
    view_event = events.ACTION_ITEM_VIEWED
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_permission(self):
        return cap.CHANGE_ACTION_ITEM if self.action == "close" else cap.ADD_ACTION_ITEM

    def output(self, item, code=status.HTTP_201_CREATED) -> Response:
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data, status=code)

    def create(self, request, *args, **kwargs):
        given = ActionItemInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        engagement = self.visible(Engagement, pk=data.pop("engagement"))
        agency = Agency.objects.filter(pk=data["owner_agency"]).first()
        if agency is None or agency.country_id not in (None, engagement.home_state_id):
            raise exceptions.ValidationError({"owner_agency": [_("Unknown agency.")]})
        data["owner_agency"] = agency
        username = data.pop("owner_user")
        data["owner_user"] = None
        if username:
            data["owner_user"] = User.objects.filter(username=username, agency=agency).first()
            if data["owner_user"] is None:
                raise exceptions.ValidationError(
                    {"owner_user": [_("No such person in the owner agency.")]}
                )
        data["cases"] = self.cases(data["cases"])
        return self.output(self.call(services.add_action_item, engagement, **data))

    @extend_schema(
        summary=_("Close an action item (done or cancelled)"),
        request=ActionItemStatusInput,
        responses={200: ActionItemSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        item = self.get_object()
        given = ActionItemStatusInput(data=request.data)
        given.is_valid(raise_exception=True)
        note = given.validated_data["note"]
        if given.validated_data["status"] == ActionItemStatus.DONE:
            closed = self.call(services.complete_action_item, item, note=note)
        else:
            closed = self.call(services.cancel_action_item, item, note=note)
        return self.output(closed, status.HTTP_200_OK)


__all__ = [
    "ActionItemViewSet",
    "EngagementViewSet",
    "HomeStateProfileViewSet",
    "MeetingPackViewSet",
]


@extend_schema_view(
    partial_update=extend_schema(
        summary=_("Correct a focal point"),
        description=_("Any of the contact's fields; the audit names the fields, not the values."),
        request=FocalPointInput,
        responses={200: FocalPointSerializer},
        tags=TAGS,
    ),
    destroy=extend_schema(
        summary=_("Remove a focal point"),
        description=_("A contact who no longer serves (the audit keeps that one was removed)."),
        responses={204: None},
        tags=TAGS,
    ),
)
class FocalPointViewSet(ServiceCallMixin, RowScopeAPIMixin, DenialAuditMixin, GenericViewSet):
    """Change or remove a focal point, as its edit page does (the profile's change grant)."""

    queryset = FocalPoint.objects.select_related("profile").order_by("pk")
    serializer_class = FocalPointSerializer
    permission = capability_for(FocalPoint, "view")  # what the profile it belongs to needs
    write_permission = cap.CHANGE_PROFILE
    http_method_names = ["patch", "delete", "options"]

    def get_queryset(self):
        return self.queryset.for_user(self.request.user, "change")

    def partial_update(self, request, *args, **kwargs):
        point = self.get_object()
        given = FocalPointInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        point = self.call(services.change_focal_point, point, **given.validated_data)
        return Response(FocalPointSerializer(point).data)

    def destroy(self, request, *args, **kwargs):
        point = self.get_object()
        self.call(services.remove_focal_point, point)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingPackViewSet(ServiceCallMixin, RowScopeAPIMixin, DenialAuditMixin, GenericViewSet):
    """The meeting pack PDF of one home state, as its page prints it (diplomacy:meeting_pack).

    The state is found within the caller's scope (404 otherwise, the probe recorded); the
    capability is the page's, reading home-state profiles. The pack is built by
    `queries.meeting_pack` in the caller's scope and its printing audited by
    `services.record_pack_printed` (which cases, which language, names masked or not).
    """

    queryset = HomeState.objects.all()
    permission = capability_for(HomeStateProfile, "view")
    renderer_classes = file_renderers("application/pdf")

    def get_queryset(self):
        return self.queryset.for_user(self.request.user, "view")

    @extend_schema(
        summary=_("Download a home state's meeting pack"),
        description=_(
            "The PDF the Legal Directorate takes into a meeting with the home state: open "
            "cases grouped by what is missing, the proposed next batch, action items, figures "
            "and responsiveness, in the caller's language (Accept-Language; Arabic right to "
            "left) and scope. Names are masked for a caller who may not see the child. Each "
            "download is audited with the cases it listed."
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(
                description=_("No such home state, or not in the caller's scope.")
            ),
        },
        tags=TAGS,
    )
    def retrieve(self, request, *args, **kwargs):
        from homeward.diplomacy.pack import pack_response, render_pack_pdf

        state = self.get_object()
        pack = queries.meeting_pack(request.user, state)
        pdf = render_pack_pdf(pack)
        profile = (
            HomeStateProfile.objects.for_user(request.user, "view").filter(home_state=state).first()
        )
        self.call(
            services.record_pack_printed,
            pack,
            target=profile or state,
            language=translation.get_language(),
        )
        return pack_response(pack, pdf, disposition="attachment")
