from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Order matters: importing accounts.lockout connects axes' receivers, which must run
        # after the login-failure audit so the trail reads "failed", then "locked".
        from homeward.accounts import (
            lockout,  # noqa: F401  (the lock's audit receiver)
            signals,  # noqa: F401  (login audit receivers)
        )
