"""The API's filter backend: a query value must be what the schema says it is.

django-filter's UUIDFilter reads values the way Python's `uuid.UUID` does, so 32 bare hex
digits, `{…}` or `urn:uuid:…` were taken although the schema declares `format: uuid`; and an
empty date, number or UUID (`?released_by=`) was silently ignored, listing everything. Here
such a value answers 400 naming the parameter, like any invalid filter. `IdFilter` takes a
whole number in a database key's range (a NumberFilter took -9.6e254 to the database).
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

CANONICAL_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


# filters whose schema has a type or format that an empty string does not satisfy
TYPED = (
    django_filters.UUIDFilter,
    django_filters.DateFilter,
    django_filters.DateTimeFilter,
    django_filters.NumberFilter,
)


class IdFilter(django_filters.NumberFilter):
    """A row's integer key: a whole number from 1 to the largest a database key holds."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return filterset
        errors = {}
        for name, filter_ in filterset.filters.items():
            values = request.query_params.getlist(name)
            if isinstance(filter_, TYPED) and "" in values:
                errors[name] = [_("This value may not be empty.")]
            elif isinstance(filter_, django_filters.UUIDFilter) and not all(
                CANONICAL_UUID.match(value) for value in values
            ):
                errors[name] = [_("Enter a valid UUID.")]
        if errors:
            raise ValidationError(errors)
        return filterset
