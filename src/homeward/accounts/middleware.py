"""Session rules after the password: lifetime limits, the second factor, the code of conduct.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and django-otp's OTPMiddleware.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from homeward.accounts import conduct, events, webauthn
from homeward.accounts.mfa import has_confirmed_device
from homeward.audit.services import record_event

__all__ = ["AUTH_AT", "LAST_SEEN", "SecondStepMiddleware", "SessionLifetimeMiddleware"]

AUTH_AT = "homeward_auth_at"
LAST_SEEN = "homeward_last_seen"


class SessionLifetimeMiddleware:
    """End a session idle for longer than the idle timeout or older than the absolute limit.

    Both clocks live in the (database) session: the sign-in time, set when the user signs in,
    and the time of the last request. An expired session is deleted server side and audited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.setdefault(AUTH_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            reason = None
            if now - started > settings.HOMEWARD_SESSION_MAX_HOURS * 3600:
                reason = "absolute"
            elif now - last_seen > settings.HOMEWARD_SESSION_IDLE_MINUTES * 60:
                reason = "idle"
            if reason:
                record_event(events.SESSION_EXPIRED, actor=user, data={"reason": reason})
                session.flush()
                request.user = AnonymousUser()
            else:
                session[LAST_SEEN] = now
        return self.get_response(request)


# Reachable with a password-only session: signing in and out, the second-factor pages, the
# language switch, the health check and static files. The token-authenticated API has no
# session and is not affected.
OPEN_ROUTES = (
    "login",
    "logout",
    "mfa_verify",
    "mfa_enrol",
    "webauthn_verify",
    "webauthn_enrol",
    "set_language",
    "healthz",
)
# The WebAuthn ceremonies (JSON) and their script's translations, under one prefix.
OPEN_PREFIX_ROUTE = "otp_webauthn:js-i18n-catalog"


class SecondStepMiddleware:
    """Send a signed-in user through the second factor, then the code of conduct.

    Until both are done every other page redirects to the step still missing, and the API
    (when called with the session) answers 403.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None
        self._open_prefix = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in OPEN_ROUTES}
        return self._open_paths

    def open_prefix(self) -> str:
        if self._open_prefix is None:
            self._open_prefix = reverse(OPEN_PREFIX_ROUTE).removesuffix("jsi18n/")
        return self._open_prefix

    def __call__(self, request):
        user = request.user
        path = request.path_info
        if not user.is_authenticated or path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if path in self.open_paths() or path.startswith(self.open_prefix()):
            return self.get_response(request)
        if webauthn.needs_webauthn(user) and not webauthn.verified_with_webauthn(user):
            # Privileged: TOTP only opens the way to enrolling the first key.
            if webauthn.has_credential(user):
                return self.refuse(
                    request, "webauthn_verify", _("Confirm your security key first.")
                )
            if user.is_verified():
                return self.refuse(request, "webauthn_enrol", _("Register a security key first."))
        if not user.is_verified():
            step = "mfa_verify" if has_confirmed_device(user) else "mfa_enrol"
            return self.refuse(request, step, _("Confirm your second factor first."))
        if path != reverse("conduct") and not conduct.has_accepted(request):
            return self.refuse(request, "conduct", _("Accept the code of conduct first."))
        return self.get_response(request)

    @staticmethod
    def refuse(request, step: str, message: str):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        url = reverse(step)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
