"""The request half of row-level security: set the caller's scope, reset it afterwards."""

from homeward.security.rowsecurity import reset_row_scope, set_row_scope


class RowSecurityMiddleware:
    """Sets `homeward.home_states` for the signed-in user (after AuthenticationMiddleware).

    API token users are not known yet here (DRF authenticates inside the view), so the API
    base classes set it again in `initial()` (RowScopeAPIMixin). Whatever happened, the
    scope is reset to "no rows" when the response leaves: the connection outlives the
    request (persistent connections, the test client), and a leaked scope would be used by
    whatever runs on it next.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            set_row_scope(getattr(request, "user", None))
            return self.get_response(request)
        finally:
            reset_row_scope()
