from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # accounts.lockout imports axes.signals (connecting axes' receivers): keep it last.
        from homeward.accounts import (
            lockout,  # noqa: F401  (the lock's audit receiver)
            signals,  # noqa: F401  (login audit receivers)
        )
