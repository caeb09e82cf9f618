"""Webhook subscriptions and their delivery log over the API: scoped by home state."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.accounts.services import record_denial
from homeward.core.api.preconditions import etag_for, expected_version, precondition_failed
from homeward.core.api.views import AuditedReadMixin, DenialAuditMixin
from homeward.core.api.viewsets import ScopedReadOnlyViewSet
from homeward.core.exceptions import StaleEditError
from homeward.core.models import HomeState
from homeward.core.scoping import home_state_scope
from homeward.webhooks import events, services
from homeward.webhooks.api.serializers import (
    CreatedSubscriptionSerializer,
    DeliverySerializer,
    SubscriptionInput,
    SubscriptionSerializer,
)
from homeward.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = ["WebhookDeliveryViewSet", "WebhookSubscriptionViewSet"]

TAGS = ["webhooks"]
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_('The subscription\'s ETag as last read, e.g. "1" (its version).'),
)


def _denied(request, exc):
    record_denial(actor=request.user, path=request.path, method=request.method, reason="capability")
    return exceptions.PermissionDenied()


@extend_schema_view(
    list=extend_schema(
        summary=_("List webhook subscriptions"),
        description=_("Subscriptions for the home states in the caller's scope."),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary=_("Read one webhook subscription"),
        description=_("The ETag header is the subscription's version."),
        tags=TAGS,
    ),
    create=extend_schema(
        summary=_("Subscribe to events"),
        description=_(
            "Deliveries are POSTed to `target_url` (https only in production), signed with "
            "HMAC-SHA256 over `<Homeward-Timestamp>.<body>` in the `Homeward-Signature` "
            "header (`v1=<hex>`). The secret is in this answer only."
        ),
        request=SubscriptionInput,
        responses={201: CreatedSubscriptionSerializer},
        tags=TAGS,
    ),
)
class WebhookSubscriptionViewSet(DenialAuditMixin, ScopedReadOnlyViewSet):
    queryset = WebhookSubscription.objects.select_related("owner", "home_state")
    serializer_class = SubscriptionSerializer
    http_method_names = ["get", "post", "head", "options"]

    @property
    def write_permission(self):
        return cap.CHANGE_WEBHOOK if self.action == "deactivate" else cap.ADD_WEBHOOK

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data["version"])
        return response

    def create(self, request, *args, **kwargs):
        given = SubscriptionInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        code = data.pop("home_state").upper()
        scope = home_state_scope(request.user)
        state = HomeState.objects.filter(code=code)
        if (scope is not None and code not in scope) or not state.exists():
            raise exceptions.ValidationError({"home_state": [_("Select a valid choice.")]})
        try:
            subscription, secret = services.create_subscription(
                actor=request.user, home_state=state.get(), **data
            )
        except DjangoPermissionDenied as exc:
            raise _denied(request, exc) from exc
        subscription.secret = secret
        return Response(
            CreatedSubscriptionSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag_for(subscription.version)},
        )

    @extend_schema(
        summary=_("Deactivate a webhook subscription"),
        description=_(
            "Stops deliveries; pending ones are withheld. Needs If-Match with the ETag: 428 "
            "without it, 412 if the subscription changed since."
        ),
        request=None,
        parameters=[IF_MATCH],
        responses={
            200: SubscriptionSerializer,
            412: OpenApiResponse(description=_("The subscription changed since it was read.")),
            428: OpenApiResponse(description=_("If-Match is missing.")),
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        subscription = self.get_object()
        version = expected_version(request)
        try:
            saved = services.deactivate_subscription(
                subscription, actor=request.user, expected_version=version
            )
        except StaleEditError as exc:
            current = WebhookSubscription.objects.get(pk=subscription.pk)
            raise precondition_failed(current.version) from exc
        except DjangoPermissionDenied as exc:
            raise _denied(request, exc) from exc
        saved = self.get_queryset().get(pk=saved.pk)
        return Response(
            SubscriptionSerializer(saved).data, headers={"ETag": etag_for(saved.version)}
        )


class DeliveryFilterSet(django_filters.FilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ["subscription", "status", "topic"]


@extend_schema_view(
    list=extend_schema(
        summary=_("The webhook delivery log"),
        description=_(
            "Every delivery with its attempts (status code, error, next attempt), newest "
            "first. Filter by `subscription`, `status` or `topic`."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(summary=_("Read one webhook delivery"), tags=TAGS),
)
class WebhookDeliveryViewSet(AuditedReadMixin, ScopedReadOnlyViewSet):
    queryset = WebhookDelivery.objects.select_related("subscription").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
    )
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    list_event = events.DELIVERIES_LISTED
    view_event = events.DELIVERY_VIEWED
