"""WebAuthn (passkeys and security keys) for privileged users (django-otp-webauthn).

A privileged user — a superuser or a holder of a sealed-data capability — must confirm the
sign-in with a WebAuthn credential while HOMEWARD_PRIVILEGED_WEBAUTHN is on; a TOTP code is
not enough for them. The first key is enrolled after a TOTP-verified sign-in, so adding a key
needs the factor the user already has. django-otp-webauthn runs the ceremonies; the views
below add the audit events and bind the verified credential to a fresh session key.
"""

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as otp_webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from homeward.accounts import capabilities, events, mfa
from homeward.audit.services import record_event

__all__ = [
    "SEALED_DATA_CAPABILITIES",
    "has_credential",
    "is_privileged",
    "needs_webauthn",
    "relying_party_id",
    "verified_with_webauthn",
]

# Holding any of these makes a user privileged (sealed data: DNA, security, criminal, health).
SEALED_DATA_CAPABILITIES = (
    capabilities.VIEW_DNA_RESULT,
    capabilities.VIEW_SECURITY_ASSESSMENT,
    capabilities.VIEW_CRIMINAL_RECORD,
    capabilities.VIEW_HEALTH,
)


def is_privileged(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(code in user.capabilities for code in SEALED_DATA_CAPABILITIES)


def needs_webauthn(user) -> bool:
    """Whether `user` must confirm the sign-in with WebAuthn rather than TOTP."""
    return settings.HOMEWARD_PRIVILEGED_WEBAUTHN and is_privileged(user)


def has_credential(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def verified_with_webauthn(user) -> bool:
    return isinstance(getattr(user, "otp_device", None), WebAuthnCredential)


def relying_party_id(request) -> str:
    """The relying party is the host the browser signs in to (checked by ALLOWED_HOSTS)."""
    return request.get_host().rsplit(":", 1)[0]


class _AuditedFailures:
    step = ""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and self.request.user.is_authenticated:
            record_event(events.WEBAUTHN_FAILED, actor=self.request.user, data={"step": self.step})
        return super().handle_exception(exc)


class _VerifiedFirst:
    """Adding a key always needs a session already past the second factor (TOTP at first)."""

    def user_is_mfa_enrolled(self, user) -> bool:
        return True


class BeginRegistrationView(_VerifiedFirst, otp_webauthn_views.BeginCredentialRegistrationView):
    pass


class CompleteRegistrationView(
    _AuditedFailures, _VerifiedFirst, otp_webauthn_views.CompleteCredentialRegistrationView
):
    """Save the new key, bind it to the session and audit the enrolment, in one transaction."""

    step = "enrol"

    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with (
            transaction.atomic(),
            otp_webauthn_views.rewrite_exceptions(
                logger=otp_webauthn_views._get_pywebauthn_logger()
            ),
        ):
            device = self.get_helper().register_complete(
                user=user, state=state, data=self.request.data
            )
            record_event(events.WEBAUTHN_ENROLLED, actor=user, data={"credential": device.pk})
        mfa.mark_verified(self.request, device)
        return JsonResponse({"id": device.pk})


class BeginAuthenticationView(otp_webauthn_views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthenticationView(
    _AuditedFailures, otp_webauthn_views.CompleteCredentialAuthenticationView
):
    """Check the signature for the signed-in user's own key, audit it, bind it to the session."""

    step = "verify"

    def check_device_usable(self, device):
        super().check_device_usable(device)
        if device.user_id != self.request.user.pk:
            raise exceptions.CredentialNotFound()

    def complete_auth(self, device):
        user = self.request.user
        record_event(events.WEBAUTHN_VERIFIED, actor=user, data={"credential": device.pk})
        mfa.mark_verified(self.request, device)

    def post(self, *args, **kwargs):
        with transaction.atomic():
            return super().post(*args, **kwargs)
