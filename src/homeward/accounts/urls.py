from django.urls import include, path

from homeward.accounts.views import (
    ConductView,
    LoginView,
    LogoutView,
    MfaEnrolView,
    MfaVerifyView,
    WebAuthnEnrolView,
    WebAuthnVerifyView,
)

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("login/verify/", MfaVerifyView.as_view(), name="mfa_verify"),
    path("login/enrol/", MfaEnrolView.as_view(), name="mfa_enrol"),
    path("login/key/", WebAuthnVerifyView.as_view(), name="webauthn_verify"),
    path("login/key/enrol/", WebAuthnEnrolView.as_view(), name="webauthn_enrol"),
    path("login/key/api/", include("homeward.accounts.webauthn_urls")),
    path("conduct/", ConductView.as_view(), name="conduct"),
]
