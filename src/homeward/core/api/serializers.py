"""Serializers for the core reference data exposed by the API, and the strict-input base."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from homeward.core.models import HomeState

__all__ = ["HomeStateSerializer", "StrictInputSerializer"]


class StrictInputSerializer(serializers.Serializer):
    """A write body holds only the fields the serializer declares writable (G12).

    DRF ignores unknown keys; here they are a 400 naming each one, before anything is
    validated or written. A client that sends `home_state`, `owner`, `status`, `version` or a
    sealed result alongside a legitimate write learns at once that it cannot set them,
    and the database is untouched. Every API input serializer derives from this class.
    """

    unknown_field_message = _("This field cannot be set here.")

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {field.field_name for field in self._writable_fields}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: [self.unknown_field_message] for key in unknown}
                )
        return super().to_internal_value(data)


class HomeStateSerializer(serializers.ModelSerializer):
    """A home state. Its `id` is the ISO alpha-2 code, the value cases and filters use."""

    id = serializers.CharField(source="code", read_only=True, label=_("ISO code"))

    class Meta:
        model = HomeState
        fields = ["id", "alpha_3", "name"]
        read_only_fields = fields
