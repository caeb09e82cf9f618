"""API representations of exports: the request, its state, and the one-time answers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.cases.choices import CaseStatus
from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.models import HomeState
from homeward.exports import queries
from homeward.exports.choices import Dataset, ExportFormat, PurposeCategory
from homeward.exports.models import ExportRequest
from homeward.exports.services import PURPOSE_MIN_LENGTH
from homeward.operations.models import Operation

__all__ = [
    "DecisionSerializer",
    "DownloadLinkSerializer",
    "ExportRequestCreateSerializer",
    "ExportRequestSerializer",
    "PreparedSerializer",
]


class ExportRequestSerializer(serializers.ModelSerializer):
    """One export and where it stands. The file's bytes never travel in this representation."""

    requester = serializers.CharField(source="requester.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )
    has_file = serializers.BooleanField(read_only=True, label=_("file kept"))

    class Meta:
        model = ExportRequest
        fields = [
            "id",
            "requester",
            "requested_at",
            "purpose_category",
            "purpose",
            "dataset",
            "file_format",
            "filter_home_state",
            "filter_status",
            "filters",
            "row_count",
            "needs_approval",
            "state",
            "decided_by",
            "decided_at",
            "decision_note",
            "generated_at",
            "size",
            "downloaded_at",
            "ended_at",
            "has_file",
        ]
        read_only_fields = fields


class ExportRequestCreateSerializer(StrictInputSerializer):
    """Ask for an export. `home_state` is limited to the caller's scope."""

    dataset = serializers.ChoiceField(choices=Dataset.choices)
    file_format = serializers.ChoiceField(choices=ExportFormat.choices)
    purpose_category = serializers.ChoiceField(choices=PurposeCategory.choices)
    purpose = serializers.CharField(min_length=PURPOSE_MIN_LENGTH, max_length=1000)
    home_state = serializers.PrimaryKeyRelatedField(
        queryset=HomeState.objects.none(), required=False, allow_null=True, default=None
    )
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, required=False, allow_blank=True, default=""
    )
    operation = serializers.PrimaryKeyRelatedField(
        queryset=Operation.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For the operation manifest: the operation (within your scope)."),
    )

    filters = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        default=dict,
        help_text=_(
            "For a list's dataset: the list page's filters, as its querystring names them "
            '(e.g. {"status": "matched"} for tracing requests). The file holds the rows the '
            "list shows under them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["home_state"].queryset = queries.exportable_home_states(request.user)
            self.fields["operation"].queryset = queries.exportable_operations(request.user)

    def validate_home_state(self, value):
        # an empty string would read as "no home state": the schema says an id or null
        if self.initial_data.get("home_state") == "":
            raise serializers.ValidationError(_("Give a home state's code, or null."))
        return value


class DecisionSerializer(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class DownloadLinkSerializer(serializers.Serializer):
    """A single-use link for the signed-in requester (a page URL: open it in the session)."""

    download_url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PreparedSerializer(DownloadLinkSerializer):
    """Returned once when the file is made: the passphrase is stored nowhere."""

    export = ExportRequestSerializer()
    passphrase = serializers.CharField()
