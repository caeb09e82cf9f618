"""Sign in (password, then second factor, then the code of conduct) and sign out.

Sign-in and sign-out are audited by the receivers in accounts.signals; the second factor and
the code of conduct by their services (accounts.mfa, accounts.conduct).
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from homeward.accounts import conduct, mfa, webauthn
from homeward.accounts.forms import ConductForm, SignInForm, TokenForm

__all__ = [
    "ConductView",
    "LoginView",
    "LogoutView",
    "MfaEnrolView",
    "MfaVerifyView",
    "WebAuthnEnrolView",
    "WebAuthnVerifyView",
    "lockout_response",
]


class LoginView(auth_views.LoginView):
    """Django's login, with our template; a signed-in user goes straight to the dashboard."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out by POST only (Django 5), so a link or an image cannot sign anyone out."""

    http_method_names = ["post", "options"]


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in sees: the sign-in page with the usual refusal (django-axes).

    The lock is only ever flagged while the sign-in form is being checked, and that form
    already carries the one message every refusal shows, so the page is left as it is.
    """
    if original_response is not None and original_response.status_code == 200:
        return original_response
    return redirect(settings.LOGIN_URL)


def _refused() -> str:
    return _("That code was not accepted. Codes change every 30 seconds; try the current one.")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class SecondStepView(LoginRequiredMixin, View):
    template_name = ""

    def render(self, request, status=200, **context):
        context = {"second_step": True, "next": _next_url(request), **context}
        return render(request, self.template_name, context, status=status)


class MfaVerifyView(SecondStepView):
    """The second factor for a user who has an authenticator: a TOTP or recovery code."""

    template_name = "accounts/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if webauthn.needs_webauthn(request.user) and webauthn.has_credential(request.user):
                return redirect(webauthn_step_url(request, "webauthn_verify"))
            if request.user.is_verified():
                return redirect(_next_url(request))
            if not mfa.has_confirmed_device(request.user):
                return redirect("mfa_enrol")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, form=TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = mfa.verify_second_factor(request.user, form.cleaned_data["token"])
            if device is not None:
                mfa.mark_verified(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _refused())
        return self.render(request, form=form)


class MfaEnrolView(SecondStepView):
    """First sign-in: scan the QR code (or type the key), confirm with a code, keep the codes."""

    template_name = "accounts/mfa_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and mfa.has_confirmed_device(request.user):
            return redirect("mfa_verify")
        return super().dispatch(request, *args, **kwargs)

    def render_enrolment(self, request, form):
        device = mfa.pending_device(request.user)
        qr = segno.make(device.config_url, error="m")
        return self.render(
            request,
            form=form,
            qr_svg=qr.svg_inline(scale=4, dark="#000", light="#fff", svgclass="hw-qr"),
            secret=mfa.totp_secret(device),
        )

    def get(self, request):
        return self.render_enrolment(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = mfa.pending_device(request.user)
            codes = mfa.confirm_enrolment(request.user, device, form.cleaned_data["token"])
            if codes is not None:
                mfa.mark_verified(request, device)
                # Shown in this answer only; the database keeps them for checking, not showing.
                self.template_name = "accounts/mfa_recovery_codes.html"
                return self.render(request, codes=codes)
            form.add_error("token", _refused())
        return self.render_enrolment(request, form)


def webauthn_step_url(request, step: str) -> str:
    return f"{reverse(step)}?{urlencode({'next': _next_url(request)})}"


class WebAuthnVerifyView(SecondStepView):
    """A privileged user confirms the sign-in with their passkey or security key.

    The page only hosts django-otp-webauthn's script; the ceremony itself is the JSON pair in
    accounts.webauthn, which binds the key to the session and audits the outcome.
    """

    template_name = "accounts/webauthn_verify.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if webauthn.verified_with_webauthn(user):
                return redirect(_next_url(request))
            if not webauthn.has_credential(user):
                return redirect(webauthn_step_url(request, "webauthn_enrol"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request)


class WebAuthnEnrolView(SecondStepView):
    """A privileged user without a key, past the TOTP step, registers a passkey or security key."""

    template_name = "accounts/webauthn_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if webauthn.verified_with_webauthn(user):
                return redirect(_next_url(request))
            if webauthn.has_credential(user):
                return redirect(webauthn_step_url(request, "webauthn_verify"))
            if not user.is_verified():
                step = "mfa_verify" if mfa.has_confirmed_device(user) else "mfa_enrol"
                return redirect(webauthn_step_url(request, step))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request)


class ConductView(LoginRequiredMixin, View):
    """The code of conduct, accepted once per version before anything else."""

    template_name = "accounts/conduct.html"

    def render(self, request, form):
        context = {
            "form": form,
            "second_step": True,
            "next": _next_url(request),
            "version": conduct.CURRENT_VERSION,
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self.render(request, ConductForm())

    def post(self, request):
        form = ConductForm(request.POST)
        if form.is_valid():
            conduct.accept(request)
            return redirect(_next_url(request))
        return self.render(request, form)
