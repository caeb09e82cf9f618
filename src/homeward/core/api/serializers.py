"""Serializers for the core reference data exposed by the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.models import HomeState

__all__ = ["HomeStateSerializer"]


class HomeStateSerializer(serializers.ModelSerializer):
    """A home state. Its `id` is the ISO alpha-2 code, the value cases and filters use."""

    id = serializers.CharField(source="code", read_only=True, label=_("ISO code"))

    class Meta:
        model = HomeState
        fields = ["id", "alpha_3", "name"]
        read_only_fields = fields
