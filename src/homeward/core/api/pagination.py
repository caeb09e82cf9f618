"""The API's page-number pagination (the default of every list; `views.ListPagination` adds
cursors). Its own module: the settings name it, and `views` imports too much to be named there."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

__all__ = ["ApiPagination"]


class ApiPagination(PageNumberPagination):
    """The settings' page size, which a client may change with `?page_size=` up to a bound.

    The bound keeps one request from reading (and auditing) the whole registry at once.
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """A `page_size` that is not a whole number from 1 is refused (400), as documented."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        """`page` is a whole number (or `last`): Django would also read "1.0", " 1" or "1_0"."""
        given = request.query_params.getlist(self.page_query_param)
        raw = given[-1] if given else None
        readable = len(given) <= 1 and (
            raw is None or raw in self.last_page_strings or (raw.isascii() and raw.isdigit())
        )
        if not readable:
            raise NotFound(_("Invalid page."))
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
