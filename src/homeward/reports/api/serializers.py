"""Shapes of the statistics API: the query each figure accepts and the rows it answers."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.models import HomeState
from homeward.reports.queries import ReportFilters


class FigureQuery(StrictInputSerializer):
    """?date_from=&date_to=&home_state=RU&home_state=TJ — states outside scope are refused."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    home_state = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False
    )

    def validate_home_state(self, value):
        user = self.context["request"].user
        visible = set(
            HomeState.objects.for_user(user, "view")
            .filter(code__in=[code.upper() for code in value])
            .values_list("code", flat=True)
        )
        unknown = sorted({code.upper() for code in value} - visible)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown home states: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return sorted(visible)

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period comes before its start.")]}
            )
        return attrs

    def filters(self) -> ReportFilters:
        data = self.validated_data
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            home_states=tuple(data.get("home_state") or ()),
        )


class PublicQuery(StrictInputSerializer):
    as_of = serializers.DateField(required=False)
    threshold = serializers.IntegerField(required=False, min_value=2, max_value=100)

    def validate_as_of(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return value

    def options(self):
        data = self.validated_data
        return (
            data.get("as_of") or timezone.localdate(),
            data.get("threshold") or int(getattr(settings, "HOMEWARD_PUBLIC_MIN_CELL", 5)),
        )


# -- answers --------------------------------------------------------------------------------


class ReturnsCumulativeSerializer(serializers.Serializer):
    dates = serializers.ListField(child=serializers.DateField())
    series = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    totals = serializers.DictField(child=serializers.IntegerField())


class ReturnsByMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    home_state = serializers.CharField()
    children = serializers.IntegerField()


class ReturnsByOperationSerializer(serializers.Serializer):
    operation = serializers.UUIDField()
    reference = serializers.CharField()
    home_state = serializers.CharField()
    date = serializers.DateField()
    planned = serializers.IntegerField(allow_null=True)
    actual = serializers.IntegerField(allow_null=True)
    children = serializers.IntegerField()


class PendingByStageSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    status = serializers.CharField()
    cases = serializers.IntegerField()


class PendingByBlockerSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    status = serializers.CharField()
    blocker = serializers.CharField()
    owed_by = serializers.CharField(allow_blank=True)
    cases = serializers.IntegerField()


class TimeInLimboSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    age_band = serializers.CharField()
    children = serializers.IntegerField()
    median_days = serializers.FloatField()
    p90_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class StageCycleTimeSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    status = serializers.CharField()
    stays = serializers.IntegerField()
    median_days = serializers.FloatField()
    max_days = serializers.FloatField()


class ResponsivenessRowSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    notes_sent = serializers.IntegerField()
    notes_answered = serializers.IntegerField()
    median_days_to_reply = serializers.FloatField(allow_null=True)
    open_requests = serializers.IntegerField()
    oldest_open_request_days = serializers.IntegerField(allow_null=True)
    refusals = serializers.IntegerField()


class WatchlistSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    reference = serializers.CharField()
    home_state = serializers.CharField()
    threshold = serializers.IntegerField()
    turns_on = serializers.DateField(allow_null=True)
    within_30_days = serializers.BooleanField()
    estimated = serializers.BooleanField()


class JuvenilesSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    in_proceedings = serializers.IntegerField()
    serving = serializers.IntegerField()
    turning_18_before_release = serializers.IntegerField()


class MothersSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    sentence = serializers.CharField()
    children = serializers.IntegerField()


class LabSerializer(serializers.Serializer):
    lab = serializers.CharField()
    comparisons = serializers.IntegerField()


class DNAPipelineSerializer(serializers.Serializer):
    samples_collected = serializers.IntegerField()
    samples_awaiting_comparison = serializers.IntegerField()
    comparisons_reported = serializers.IntegerField()
    by_lab = LabSerializer(many=True)
    conclusions = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("Sealed: null unless the caller holds the DNA-result grant."),
    )


class FollowUpSerializer(serializers.Serializer):
    home_state = serializers.CharField()
    due = serializers.IntegerField()
    received = serializers.IntegerField()
    overdue = serializers.IntegerField()


class PublicCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True, help_text=_("Null when withheld."))
    shown = serializers.CharField(help_text=_("The count, or “<5” (small) or “x” (withheld)."))


class PublicMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    returned = PublicCountSerializer()
    cumulative = PublicCountSerializer()


class PublicNationalitySerializer(serializers.Serializer):
    nationality = serializers.CharField()
    name = serializers.CharField()
    returned = PublicCountSerializer()
    by_month = serializers.DictField(child=PublicCountSerializer())


class PublicOperationSerializer(serializers.Serializer):
    date = serializers.DateField()
    nationality = serializers.CharField()
    children = PublicCountSerializer()


class StatementSerializer(serializers.Serializer):
    ar = serializers.CharField()
    en = serializers.CharField()


class PublicStatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    threshold = serializers.IntegerField()
    definition = serializers.CharField()
    total_returned = PublicCountSerializer()
    by_month = PublicMonthSerializer(many=True)
    by_nationality = PublicNationalitySerializer(many=True)
    operations = PublicOperationSerializer(many=True)
    statement = StatementSerializer()
