"""API representation of cases.

Read-only; `version` is also the case's ETag: a request that changes the case (a workflow
transition) sends it back in If-Match, and a stale one answers 412.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.cases.choices import MAIN_STATES
from homeward.cases.models import Case
from homeward.people.api.serializers import (
    MaskedPersonSummarySerializer,
    PersonSummarySerializer,
)

__all__ = ["CaseListSerializer", "CaseSerializer"]


class CaseSerializer(serializers.ModelSerializer):
    """A case with a summary of its child (id, preferred name, every name).

    Expects `child` and `owner` selected and `child__names` prefetched, so that a list page
    costs the same number of queries whatever its length.
    """

    child = PersonSummarySerializer(read_only=True)
    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )
    owner = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, label=_("owner")
    )
    # Only a main state can be returned to (Case.clean), and the schema says so; this also
    # keeps its enum distinct from `status`'s.
    return_status = serializers.ChoiceField(
        choices=[(state.value, state.label) for state in MAIN_STATES],
        allow_blank=True,
        read_only=True,
        label=_("returns to"),
        help_text=_("For a case in a side state, the main state it returns to; otherwise empty."),
    )
    family_group = serializers.UUIDField(
        source="family_group_id", read_only=True, allow_null=True, label=_("family group")
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "child",
            "home_state",
            "status",
            "return_status",
            "status_changed_at",
            "owner",
            "family_group",
            "opened_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class CaseListSerializer(CaseSerializer):
    """A row of the case list: the child masked (name initials, birth year; G22)."""

    child = MaskedPersonSummarySerializer(read_only=True)
