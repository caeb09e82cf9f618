"""The lockout check that runs before any password is looked at (django-axes)."""

from axes.backends import AxesStandaloneBackend

__all__ = ["LockoutBackend"]


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for sign-ins over HTTP.

    `authenticate()` without a request comes from code on the server (a management command,
    a test), never from a network client, so there is no address to lock and the check is
    left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
