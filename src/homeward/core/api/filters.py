"""The API's filter backend: a UUID query value must be a UUID as the schema writes it.

django-filter's UUIDFilter reads values the way Python's `uuid.UUID` does, so an empty value,
32 bare hex digits, `{…}` or `urn:uuid:…` were taken (or ignored) although the schema declares
`format: uuid`. Here such a value answers 400 naming the parameter, like any invalid filter.
"""

import re

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

CANONICAL_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return filterset
        errors = {}
        for name, filter_ in filterset.filters.items():
            if not isinstance(filter_, django_filters.UUIDFilter):
                continue
            for value in request.query_params.getlist(name):
                if not CANONICAL_UUID.match(value):
                    errors[name] = [_("Enter a valid UUID.")]
        if errors:
            raise ValidationError(errors)
        return filterset
