"""Sign in and sign out. Both are audited by the receivers in accounts.signals."""

from django.contrib.auth import views as auth_views

from homeward.core.forms import HomewardAuthenticationForm

__all__ = ["LoginView", "LogoutView"]


class LoginView(auth_views.LoginView):
    """Django's login, with our template; a signed-in user goes straight to the dashboard."""

    template_name = "accounts/login.html"
    authentication_form = HomewardAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out by POST only (Django 5), so a link or an image cannot sign anyone out."""

    http_method_names = ["post", "options"]
