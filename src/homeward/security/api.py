"""The API half of row-level security: DRF authenticates token users inside the view."""

from homeward.security.rowsecurity import set_row_scope


class RowScopeAPIMixin:
    """Every API view: as soon as DRF has authenticated the caller (first step of
    `initial()`), their scope goes to PostgreSQL, before permissions or queries run.

    `RowSecurityMiddleware` resets it when the response leaves.
    """

    def perform_authentication(self, request):
        super().perform_authentication(request)  # DRF's initial() calls this first
        set_row_scope(request.user)
