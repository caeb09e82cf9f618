from django.urls import path

from homeward.accounts.views import (
    ConductView,
    LoginView,
    LogoutView,
    MfaEnrolView,
    MfaVerifyView,
)

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("login/verify/", MfaVerifyView.as_view(), name="mfa_verify"),
    path("login/enrol/", MfaEnrolView.as_view(), name="mfa_enrol"),
    path("conduct/", ConductView.as_view(), name="conduct"),
]
