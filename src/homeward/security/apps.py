from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "homeward.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self):
        from homeward.security.rowsecurity import apply_after_migrate

        # Once per `migrate` (this app is the sender), after every app's migrations ran.
        post_migrate.connect(apply_after_migrate, sender=self, dispatch_uid="homeward_rls")
